#pragma once

namespace flinkcpp {

/// Raises this process's soft limit of open files to its hard limit, as the
/// JVM does for Flink's processes: the usual soft limit (1024) is below what
/// a taskmanager's LevelDB stores (a descriptor per open table file) or a
/// REST server's connections need. Does nothing when the limits cannot be
/// read or are already equal. Thread-safe.
void raise_open_file_limit();

} // namespace flinkcpp

#pragma once

#include <leveldb/env.h>

namespace flinkcpp {

/// LevelDB's default environment, except that tables are read with pread()
/// into LevelDB's own buffers instead of being mapped into memory (a store
/// larger than memory then keeps only its block cache resident, and the
/// kernel may drop the rest of what it read like any file cache), and that
/// write-ahead logs are written in whole buffers, not flushed after every
/// write (the state backend never recovers a database from its log).
/// Thread-safe; lives as long as the process.
leveldb::Env* reading_env();

} // namespace flinkcpp

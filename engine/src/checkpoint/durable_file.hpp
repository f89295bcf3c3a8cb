#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace flinkcpp {

/// Writes `bytes` to `path` so that readers see either the old file or the
/// whole new one, also after a crash: a temporary file beside it is written,
/// flushed to disk and renamed over `path`, then the directory is flushed.
/// Blocking. Fails with a message naming the file.
result<void> write_file_durably(const std::string& path, std::string_view bytes);

/// The whole content of `path`. Blocking. Fails with a message naming the file.
result<std::string> read_file_bytes(const std::string& path);

/// Flushes a directory's entries (new files, renames) to disk. Blocking.
result<void> sync_directory(const std::string& path);

} // namespace flinkcpp

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace flinkcpp {

/// Writes `bytes` to `path` so that readers see either the old file or the
/// whole new one, also after a crash: a temporary file beside it is written,
/// flushed to disk and renamed over `path`, then the directory is flushed.
/// Blocking. Fails with a message naming the file.
result<void> write_file_durably(const std::string& path, std::string_view bytes);

/// Copies `from` to `to` as write_file_durably writes; returns the xxh64
/// checksum of what it copied. Blocking. Fails naming the file.
result<std::uint64_t> copy_file_durably(const std::string& from, const std::string& to);

/// The xxh64 checksum of the whole content of `path` (as sealed files and
/// copy_file_durably compute it). Blocking. Fails naming the file.
result<std::uint64_t> file_checksum(const std::string& path);

/// The whole content of `path`. Blocking. Fails with a message naming the file.
result<std::string> read_file_bytes(const std::string& path);

/// Deletes `path` and everything below it, also while another thread deletes
/// some of the same files (an entry that vanished meanwhile is no error, the
/// pass is repeated). Blocking; best effort: false if something stayed.
bool remove_tree(const std::string& path);

/// Flushes a directory's entries (new files, renames) to disk. Blocking.
result<void> sync_directory(const std::string& path);

} // namespace flinkcpp

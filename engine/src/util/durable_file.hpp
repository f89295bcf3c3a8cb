#pragma once

// Durable file sequences on file_system::current(): a file is written under
// a temporary name beside its final one, flushed to the device, renamed into
// place and its directory flushed, so that readers (and a process started
// after a crash) see either the old file or the whole new one.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace flinkcpp {

/// Writes `bytes` to `path`, replacing it, durably. A failure leaves `path`
/// as it was and removes the temporary file (a crash may leave one: its
/// name starts with `path`.tmp-). Blocking. Fails naming the file.
result<void> write_file_durably(const std::string& path, std::string_view bytes);

/// Writes `bytes` to `path` durably, unless `path` exists: then fails naming
/// it and leaves it alone. Blocking.
result<void> create_file_durably(const std::string& path, std::string_view bytes);

/// Copies `from` to `to` as write_file_durably writes; returns the xxh64
/// checksum of what it copied. Blocking. Fails naming the file.
result<std::uint64_t> copy_file_durably(const std::string& from, const std::string& to);

/// The xxh64 checksum of the whole content of `path` (as sealed files and
/// copy_file_durably compute it). Blocking. Fails naming the file.
result<std::uint64_t> file_checksum(const std::string& path);

/// The whole content of `path`. Blocking. Fails with a message naming the file.
result<std::string> read_file_bytes(const std::string& path);

/// file_system::current().remove_tree(path).
bool remove_tree(const std::string& path);

/// file_system::current().sync_directory(path).
result<void> sync_directory(const std::string& path);

} // namespace flinkcpp

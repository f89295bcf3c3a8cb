#pragma once

// The envelope of every file flink-cpp writes into a checkpoint: an 8-byte
// magic naming the kind of file, a format version, the payload's length, the
// payload, and an xxh64 checksum of the payload. Reading it back tells apart
// an empty, truncated, foreign, newer or corrupt file.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/file_system.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// The envelope around `payload`. `magic` must be 8 characters.
std::string seal(std::string_view magic, std::uint32_t version, std::string_view payload);

/// The payload inside `bytes`, checked. `what` names the file in messages
/// ("checkpoint metadata '/x/_metadata'"). The view points into `bytes`.
result<std::string_view> unseal(std::string_view bytes, std::string_view magic,
                                std::uint32_t version, const std::string& what);

/// The format version a sealed file of kind `magic` says it holds; nullopt
/// when `bytes` do not begin as such a file. Checks nothing else.
std::optional<std::uint32_t> sealed_version(std::string_view bytes, std::string_view magic);

/// xxh64 of `bytes` (seed 0).
std::uint64_t checksum_of(std::string_view bytes);

/// Writes a sealed file piece by piece, without holding the payload in
/// memory: the length is filled in when the file is finished. Through
/// file_system::current(). Blocking; one thread at a time. A writer
/// destroyed before finish() succeeded removes its file.
class sealed_file_writer {
public:
  sealed_file_writer(std::string path, std::string_view magic, std::uint32_t version);
  ~sealed_file_writer();

  sealed_file_writer(const sealed_file_writer&) = delete;
  sealed_file_writer& operator=(const sealed_file_writer&) = delete;

  /// Whether the file could be created; else error() says why.
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void append(std::string_view bytes);

  /// Writes the trailer, flushes the file to disk and closes it. Returns the
  /// payload's checksum and the file's size.
  result<std::pair<std::uint64_t, std::uint64_t>> finish();

private:
  void write_raw(std::string_view bytes);

  std::string path_;
  std::unique_ptr<writable_file> file_; ///< null once finished, or if creating it failed
  void* hash_ = nullptr;                ///< XXH64_state_t
  std::uint64_t length_ = 0;
  std::uint64_t written_ = 0;
  std::string buffer_;
  std::string error_;
};

/// Reads a sealed file piece by piece, without holding the payload in
/// memory, with unseal's checks: the envelope when opened, the checksum by
/// finish() once the whole payload is read (so what was read before is
/// trusted only after finish() succeeds). Blocking; one thread at a time.
class sealed_file_reader {
public:
  /// `what` names the file in messages, as for unseal.
  sealed_file_reader(const std::string& path, std::string_view magic, std::uint32_t version,
                     std::string what);
  ~sealed_file_reader();

  sealed_file_reader(const sealed_file_reader&) = delete;
  sealed_file_reader& operator=(const sealed_file_reader&) = delete;

  /// Whether the file opened and its envelope is sound; else error() says why.
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  /// The whole file's size in bytes.
  std::uint64_t file_size() const { return file_size_; }
  /// Payload bytes not read yet.
  std::uint64_t remaining() const { return length_ - consumed_; }

  /// The next `n` payload bytes into `out` (replacing its content); fails
  /// naming the file when fewer remain or reading fails.
  result<void> read(std::size_t n, std::string& out);
  /// The next varint of the payload (as binary_writer writes them).
  result<std::uint64_t> read_varint();
  /// Checks, after the whole payload was read, that it matches the file's
  /// checksum; returns that checksum.
  result<std::uint64_t> finish();

private:
  result<void> fill(char* to, std::size_t n);

  int fd_ = -1;
  void* hash_ = nullptr; // XXH64_state_t
  std::string what_;
  std::uint64_t file_size_ = 0;
  std::uint64_t length_ = 0;
  std::uint64_t consumed_ = 0;
  std::string error_;
};

} // namespace flinkcpp

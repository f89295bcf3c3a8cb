#include "checkpoint/storage/sealed_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

namespace flinkcpp {

namespace {

constexpr std::size_t header_size = 8 + 4 + 8;
constexpr std::size_t trailer_size = 8;

template <class T>
void append_le(std::string& out, T value) {
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  out.append(raw, sizeof(T));
}

template <class T>
T read_le(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

/// The payload's length a sealed file's `header` (its first header_size
/// bytes, or fewer when the file is shorter) records, checked against the
/// file's size; fails as unseal documents.
result<std::uint64_t> payload_length(std::string_view header, std::uint64_t file_size,
                                     std::string_view magic, std::uint32_t version,
                                     const std::string& what) {
  if (file_size == 0)
    return failure{what + " is empty"};
  if (header.size() < header_size || header.substr(0, 8) != magic.substr(0, 8))
    return failure{what + " is not a flink-cpp " + std::string{magic} + " file"};
  auto found = read_le<std::uint32_t>(header.data() + 8);
  if (found != version)
    return failure{what + " has format version " + std::to_string(found) +
                   "; this flink-cpp reads version " + std::to_string(version)};
  auto length = read_le<std::uint64_t>(header.data() + 12);
  auto expected = header_size + length + trailer_size;
  if (length > file_size || file_size != expected)
    return failure{what + " is truncated or padded: expected " + std::to_string(expected) +
                   " bytes, found " + std::to_string(file_size)};
  return length;
}

} // namespace

std::optional<std::uint32_t> sealed_version(std::string_view bytes, std::string_view magic) {
  if (bytes.size() < header_size || bytes.substr(0, 8) != magic.substr(0, 8))
    return std::nullopt;
  return read_le<std::uint32_t>(bytes.data() + 8);
}

std::uint64_t checksum_of(std::string_view bytes) {
  return XXH64(bytes.data(), bytes.size(), 0);
}

std::string seal(std::string_view magic, std::uint32_t version, std::string_view payload) {
  std::string out;
  out.reserve(header_size + payload.size() + trailer_size);
  out.append(magic.substr(0, 8));
  append_le<std::uint32_t>(out, version);
  append_le<std::uint64_t>(out, payload.size());
  out.append(payload);
  append_le<std::uint64_t>(out, checksum_of(payload));
  return out;
}

result<std::string_view> unseal(std::string_view bytes, std::string_view magic,
                                std::uint32_t version, const std::string& what) {
  auto length = payload_length(bytes.substr(0, header_size), bytes.size(), magic, version, what);
  if (!length)
    return failure{length.error()};
  auto payload = bytes.substr(header_size, *length);
  if (checksum_of(payload) != read_le<std::uint64_t>(bytes.data() + header_size + *length))
    return failure{what + " is corrupt: its checksum does not match its content"};
  return payload;
}

sealed_file_writer::sealed_file_writer(std::string path, std::string_view magic,
                                       std::uint32_t version)
  : path_(std::move(path)) {
  auto file = file_system::current().open_for_write(path_, file_system::create_mode::truncate);
  if (!file) {
    error_ = file.error();
    return;
  }
  file_ = std::move(file.value());
  auto* state = XXH64_createState();
  XXH64_reset(state, 0);
  hash_ = state;
  std::string header;
  header.append(magic.substr(0, 8));
  append_le<std::uint32_t>(header, version);
  append_le<std::uint64_t>(header, 0); // the length, filled in by finish()
  write_raw(header);
}

sealed_file_writer::~sealed_file_writer() {
  if (hash_ != nullptr)
    XXH64_freeState(static_cast<XXH64_state_t*>(hash_));
  if (file_) {
    file_.reset();
    (void)file_system::current().remove_file(path_);
  }
}

void sealed_file_writer::write_raw(std::string_view bytes) {
  if (!error_.empty() || bytes.empty())
    return;
  if (auto appended = file_->append(bytes); !appended)
    error_ = appended.error();
  else
    written_ += bytes.size();
}

void sealed_file_writer::append(std::string_view bytes) {
  if (!error_.empty())
    return;
  XXH64_update(static_cast<XXH64_state_t*>(hash_), bytes.data(), bytes.size());
  length_ += bytes.size();
  constexpr std::size_t buffered = 1u << 20; // small pieces are gathered first
  if (buffer_.size() + bytes.size() < buffered) {
    buffer_.append(bytes);
    return;
  }
  write_raw(buffer_);
  buffer_.clear();
  if (bytes.size() >= buffered)
    write_raw(bytes);
  else
    buffer_.append(bytes);
}

result<std::pair<std::uint64_t, std::uint64_t>> sealed_file_writer::finish() {
  write_raw(buffer_);
  buffer_.clear();
  auto checksum = XXH64_digest(static_cast<XXH64_state_t*>(hash_));
  std::string trailer;
  append_le<std::uint64_t>(trailer, checksum);
  write_raw(trailer);
  std::string length;
  append_le<std::uint64_t>(length, length_);
  if (!error_.empty())
    return failure{error_};
  auto done = file_->write_at(12, length);
  if (done)
    done = file_->sync_and_close();
  if (!done) {
    error_ = done.error();
    return failure{error_};
  }
  file_.reset();
  return std::pair<std::uint64_t, std::uint64_t>{checksum, written_};
}

sealed_file_reader::sealed_file_reader(const std::string& path, std::string_view magic,
                                       std::uint32_t version, std::string what)
  : what_(std::move(what)) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    error_ = "cannot open " + what_ + ": " + std::strerror(errno);
    return;
  }
  file_size_ = static_cast<std::uint64_t>(st.st_size);
  char header[header_size];
  bool whole = file_size_ >= header_size && fill(header, header_size);
  auto length =
    payload_length({header, whole ? header_size : 0}, file_size_, magic, version, what_);
  if (!length) {
    error_ = length.error();
    return;
  }
  length_ = *length;
  auto* state = XXH64_createState();
  XXH64_reset(state, 0);
  hash_ = state;
}

sealed_file_reader::~sealed_file_reader() {
  if (hash_ != nullptr)
    XXH64_freeState(static_cast<XXH64_state_t*>(hash_));
  if (fd_ >= 0)
    ::close(fd_);
}

result<void> sealed_file_reader::fill(char* to, std::size_t n) {
  while (n > 0) {
    auto got = ::read(fd_, to, n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return failure{"cannot read " + what_ + ": " + std::strerror(errno)};
    if (got == 0)
      return failure{what_ + " is truncated: it ended while being read"};
    to += got;
    n -= static_cast<std::size_t>(got);
  }
  return {};
}

result<void> sealed_file_reader::read(std::size_t n, std::string& out) {
  if (n > remaining())
    return failure{what_ + " is corrupt: " + std::to_string(n) + " more bytes expected, " +
                   std::to_string(remaining()) + " left"};
  out.resize(n);
  auto filled = fill(out.data(), n);
  if (!filled)
    return filled;
  XXH64_update(static_cast<XXH64_state_t*>(hash_), out.data(), n);
  consumed_ += n;
  return {};
}

result<std::uint64_t> sealed_file_reader::read_varint() {
  std::uint64_t v = 0;
  std::string byte;
  for (int shift = 0; shift < 64; shift += 7) {
    auto got = read(1, byte);
    if (!got)
      return failure{got.error()};
    auto b = static_cast<unsigned char>(byte[0]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0)
      return v;
  }
  return failure{what_ + " is corrupt: a malformed length"};
}

result<std::uint64_t> sealed_file_reader::finish() {
  char trailer[trailer_size];
  if (remaining() != 0)
    return failure{what_ + " is corrupt: " + std::to_string(remaining()) +
                   " bytes after its content"};
  auto filled = fill(trailer, trailer_size);
  if (!filled)
    return failure{filled.error()};
  auto recorded = read_le<std::uint64_t>(trailer);
  if (XXH64_digest(static_cast<XXH64_state_t*>(hash_)) != recorded)
    return failure{what_ + " is corrupt: its checksum does not match its content"};
  return recorded;
}

} // namespace flinkcpp

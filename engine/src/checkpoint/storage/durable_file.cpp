#include "checkpoint/storage/durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "util/id.hpp"

namespace flinkcpp {

namespace {

std::string errno_text() {
  return std::strerror(errno);
}

/// Closes a file descriptor when it goes out of scope.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace

bool remove_tree(const std::string& path) {
  constexpr int passes = 8; // each one that fails lost a race with another deleter
  std::error_code ec;
  for (int pass = 0; pass < passes; ++pass) {
    std::filesystem::remove_all(path, ec);
    if (!ec)
      return true;
    if (ec != std::errc::no_such_file_or_directory)
      return false;
  }
  return false;
}

result<void> sync_directory(const std::string& path) {
  fd_guard dir{::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0 || ::fsync(dir.fd) != 0)
    return failure{"cannot flush directory '" + path + "': " + errno_text()};
  return {};
}

namespace {

/// Writes `n` bytes at the file's position; an error names `path`.
result<void> write_all(int fd, const char* data, std::size_t n, const std::string& path) {
  std::size_t written = 0;
  while (written < n) {
    auto w = ::write(fd, data + written, n - written);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return failure{"cannot write '" + path + "': " + errno_text()};
    written += static_cast<std::size_t>(w);
  }
  return {};
}

/// Creates `path` as write_file_durably promises, with the content `fill`
/// writes into the descriptor it is given.
result<void> create_durably(const std::string& path,
                            const std::function<result<void>(int fd, const std::string&)>& fill) {
  auto temporary = path + ".tmp-" + job_id::random().to_string().substr(0, 8);
  {
    fd_guard out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (out.fd < 0)
      return failure{"cannot create '" + temporary + "': " + errno_text()};
    auto filled = fill(out.fd, temporary);
    if (!filled) {
      ::unlink(temporary.c_str());
      return filled;
    }
    if (::fsync(out.fd) != 0) {
      auto why = errno_text();
      ::unlink(temporary.c_str());
      return failure{"cannot flush '" + temporary + "' to disk: " + why};
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    auto why = errno_text();
    ::unlink(temporary.c_str());
    return failure{"cannot rename '" + temporary + "' to '" + path + "': " + why};
  }
  auto parent = std::filesystem::path{path}.parent_path().string();
  return sync_directory(parent.empty() ? "." : parent);
}

/// An xxh64 checksum computed piece by piece.
class xxh64_stream {
public:
  xxh64_stream() : state_(XXH64_createState()) { XXH64_reset(state_, 0); }
  ~xxh64_stream() { XXH64_freeState(state_); }
  xxh64_stream(const xxh64_stream&) = delete;
  xxh64_stream& operator=(const xxh64_stream&) = delete;

  void update(const char* data, std::size_t n) { XXH64_update(state_, data, n); }
  std::uint64_t digest() const { return XXH64_digest(state_); }

private:
  XXH64_state_t* state_;
};

/// Reads all of `path` in pieces, handing each to `take`.
result<void> read_in_pieces(const std::string& path,
                            const std::function<result<void>(const char*, std::size_t)>& take) {
  fd_guard in{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0)
    return failure{"cannot open '" + path + "': " + errno_text()};
  std::vector<char> buffer(1 << 20);
  for (;;) {
    auto n = ::read(in.fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return failure{"cannot read '" + path + "': " + errno_text()};
    if (n == 0)
      return {};
    auto taken = take(buffer.data(), static_cast<std::size_t>(n));
    if (!taken)
      return taken;
  }
}

} // namespace

result<void> write_file_durably(const std::string& path, std::string_view bytes) {
  return create_durably(path, [&](int fd, const std::string& temporary) {
    return write_all(fd, bytes.data(), bytes.size(), temporary);
  });
}

result<std::uint64_t> copy_file_durably(const std::string& from, const std::string& to) {
  xxh64_stream hash;
  auto copied = create_durably(to, [&](int fd, const std::string& temporary) {
    return read_in_pieces(from, [&](const char* data, std::size_t n) {
      hash.update(data, n);
      return write_all(fd, data, n, temporary);
    });
  });
  if (!copied)
    return failure{copied.error()};
  return hash.digest();
}

result<std::uint64_t> file_checksum(const std::string& path) {
  xxh64_stream hash;
  auto read = read_in_pieces(path, [&](const char* data, std::size_t n) -> result<void> {
    hash.update(data, n);
    return {};
  });
  if (!read)
    return failure{read.error()};
  return hash.digest();
}

result<std::string> read_file_bytes(const std::string& path) {
  fd_guard in{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0)
    return failure{"cannot open '" + path + "': " + errno_text()};
  struct stat st {};
  if (::fstat(in.fd, &st) != 0)
    return failure{"cannot read '" + path + "': " + errno_text()};
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::pread(in.fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return failure{"cannot read '" + path + "': " + errno_text()};
    if (n == 0)
      break; // the file shrank while we read it
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

} // namespace flinkcpp

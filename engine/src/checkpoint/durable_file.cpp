#include "checkpoint/durable_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

result<void> sync_directory(const std::string& path) {
  fd_guard dir{::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0 || ::fsync(dir.fd) != 0)
    return failure{"cannot flush directory '" + path + "': " + errno_text()};
  return {};
}

result<void> write_file_durably(const std::string& path, std::string_view bytes) {
  auto temporary = path + ".tmp-" + job_id::random().to_string().substr(0, 8);
  {
    fd_guard out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (out.fd < 0)
      return failure{"cannot create '" + temporary + "': " + errno_text()};
    std::size_t written = 0;
    while (written < bytes.size()) {
      auto n = ::write(out.fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        auto why = errno_text();
        ::unlink(temporary.c_str());
        return failure{"cannot write '" + temporary + "': " + why};
      }
      written += static_cast<std::size_t>(n);
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

#include "security/memory_file.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace flinkcpp::security {

result<memory_file> memory_file::holding(const std::string& name, std::string_view content) {
  int fd = ::memfd_create(name.c_str(), MFD_CLOEXEC);
  if (fd < 0)
    return failure{"cannot create an in-memory file for " + name + ": " + std::strerror(errno)};
  memory_file file{fd};
  for (std::size_t written = 0; written < content.size();) {
    auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return failure{"cannot write the in-memory file for " + name + ": " + std::strerror(errno)};
    written += static_cast<std::size_t>(n);
  }
  return file;
}

memory_file::memory_file(int fd) : fd_(fd), path_("/proc/self/fd/" + std::to_string(fd)) {}

memory_file::memory_file(memory_file&& other) noexcept
  : fd_(std::exchange(other.fd_, -1)),
    path_(std::move(other.path_)) {}

memory_file& memory_file::operator=(memory_file&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

memory_file::~memory_file() {
  if (fd_ >= 0)
    ::close(fd_);
}

} // namespace flinkcpp::security

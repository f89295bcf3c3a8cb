#include "connectors/part_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/id.hpp"

namespace flinkcpp {

std::string random_file_suffix() {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  detail::random128(high, low);
  return detail::hex128(high, low).substr(0, 16);
}

void rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
    return;
  if (errno == EINVAL || errno == ENOSYS) { // file system without RENAME_NOREPLACE
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return;
    }
  }
  throw std::runtime_error("cannot commit output '" + to + "': " + std::strerror(errno));
}

void commit_part_file(const std::string& from, const std::string& to) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0 && errno == ENOENT) {
    if (::stat(to.c_str(), &st) == 0)
      return; // committed before a failure
    throw std::runtime_error("cannot commit part file '" + to + "': it and its in-progress file '" +
                             from + "' are both gone");
  }
  rename_no_replace(from, to);
}

} // namespace flinkcpp

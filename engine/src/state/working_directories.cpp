#include "state/working_directories.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/id.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view owner_prefix = "tm-";
constexpr std::string_view lock_suffix = ".lock";

bool owned_name(const std::string& name) {
  return name.rfind(owner_prefix, 0) == 0 && name.size() > owner_prefix.size();
}

/// `owner` as part of a file name (a taskmanager id holds host:port).
std::string file_name_of(std::string owner) {
  for (auto& c : owner)
    if (c == '/' || c == ':')
      c = '_';
  return owner;
}

} // namespace

working_directories::working_directories(std::string owner) : owner_(file_name_of(owner)) {}

working_directories::~working_directories() {
  std::error_code ec;
  for (const auto& [base, fd] : locks_) {
    auto dir = (fs::path{base} / (std::string{owner_prefix} + owner_)).string();
    fs::remove_all(dir, ec);
    fs::remove(dir + std::string{lock_suffix}, ec);
    ::close(fd);
  }
}

result<working_directories::claimed> working_directories::claim(const std::string& base) {
  auto dir = (fs::path{base} / (std::string{owner_prefix} + owner_)).string();
  std::lock_guard<std::mutex> guard{mutex_};
  if (locks_.count(base) > 0)
    return claimed{dir, false};
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec)
    return failure{"cannot create the LevelDB state directory '" + base +
                   "' (state.backend.leveldb.localdir): " + ec.message()};
  // The lock is taken under a temporary name and then linked into place
  // (which fails if the name is taken), so that no other process ever finds
  // it unlocked while we live.
  auto lock = dir + std::string{lock_suffix};
  auto temporary = lock + "." + job_id::random().to_string().substr(0, 8);
  int fd = ::open(temporary.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool locked =
    fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::link(temporary.c_str(), lock.c_str()) == 0;
  auto why = std::strerror(errno);
  if (fd >= 0)
    ::unlink(temporary.c_str());
  if (!locked) {
    if (fd >= 0)
      ::close(fd);
    return failure{"cannot lock the LevelDB state directory '" + dir + "': " + why};
  }
  fs::create_directories(dir, ec);
  if (ec) {
    ::close(fd);
    ::unlink(lock.c_str());
    return failure{"cannot create the LevelDB state directory '" + dir + "': " + ec.message()};
  }
  locks_.emplace(base, fd);
  return claimed{dir, true};
}

void working_directories::remove_dead_owners(const std::string& base) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    auto name = entry.path().filename().string();
    if (!owned_name(name) || !entry.is_directory(ec))
      continue; // lock files go with their directories
    auto lock = entry.path().string() + std::string{lock_suffix};
    int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd); // held: its owner lives
      continue;
    }
    // Free (its owner died), or gone (a sweep that stopped half way): the
    // directory first, so that a directory never outlives its lock file.
    fs::remove_all(entry.path(), ec);
    ::unlink(lock.c_str());
    if (fd >= 0)
      ::close(fd);
  }
}

} // namespace flinkcpp

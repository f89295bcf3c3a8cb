#include "state/working_directories.hpp"

#include <filesystem>
#include <system_error>

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

working_directories::working_directories(std::string owner)
  : owner_(file_name_of(std::move(owner))) {}

working_directories::~working_directories() {
  auto& files = file_system::current();
  for (auto& [base, lock] : locks_) {
    auto dir = (fs::path{base} / (std::string{owner_prefix} + owner_)).string();
    files.remove_tree(dir);
    (void)files.remove_file(dir + std::string{lock_suffix});
    lock.reset();
  }
}

result<working_directories::claimed> working_directories::claim(const std::string& base) {
  auto dir = (fs::path{base} / (std::string{owner_prefix} + owner_)).string();
  std::lock_guard<std::mutex> guard{mutex_};
  if (locks_.count(base) > 0)
    return claimed{dir, false};
  auto& files = file_system::current();
  if (auto created = files.create_directories(base); !created)
    return failure{"cannot create the LevelDB state directory (state.backend.leveldb.localdir): " +
                   created.error()};
  // No other process ever finds the lock there unlocked while we live.
  auto lock_path = dir + std::string{lock_suffix};
  auto lock = files.create_lock(lock_path);
  if (!lock)
    return failure{"cannot lock the LevelDB state directory '" + dir + "': " + lock.error()};
  if (auto created = files.create_directories(dir); !created) {
    (void)files.remove_file(lock_path);
    return failure{"cannot create the LevelDB state directory: " + created.error()};
  }
  locks_.emplace(base, std::move(lock.value()));
  return claimed{dir, true};
}

void working_directories::remove_dead_owners(const std::string& base) {
  auto& files = file_system::current();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base, ec)) {
    auto name = entry.path().filename().string();
    if (!owned_name(name) || !entry.is_directory(ec))
      continue; // lock files go with their directories
    auto lock_path = entry.path().string() + std::string{lock_suffix};
    auto lock = files.try_lock(lock_path);
    if (!lock && files.exists(lock_path))
      continue; // held: its owner lives
    // Free (its owner died), or gone (a sweep that stopped half way): the
    // directory first, so that a directory never outlives its lock file.
    files.remove_tree(entry.path().string());
    (void)files.remove_file(lock_path);
  }
}

} // namespace flinkcpp

#pragma once

// Where a process keeps LevelDB working state: below each configured
// state.backend.leveldb.localdir, a directory of its own (`tm-<owner>`),
// with a lock file beside it (`tm-<owner>.lock`, flock'ed) held as long as
// the process lives. A process killed without cleaning up leaves both, with
// the lock free: the next process to claim a directory there deletes them.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "util/file_system.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// One process's working directories. Thread-safe. The destructor deletes
/// them and releases their locks.
class working_directories {
public:
  /// `owner` names this process's directories; it must be unique among the
  /// processes sharing a localdir (claim() fails on a name in use).
  explicit working_directories(std::string owner);
  ~working_directories();

  working_directories(const working_directories&) = delete;
  working_directories& operator=(const working_directories&) = delete;

  struct claimed {
    std::string directory;
    bool first = false; ///< claimed now: remove_dead_owners(base) is due
  };

  /// This process's directory below `base`: on first use created and
  /// locked (cheap: a few system calls). Fails naming the directory.
  result<claimed> claim(const std::string& base);

  /// Deletes the directories below `base` whose owners died (their lock is
  /// free). Blocking (an I/O thread); best effort.
  static void remove_dead_owners(const std::string& base);

private:
  const std::string owner_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<file_lock>> locks_; ///< by base; guarded
};

} // namespace flinkcpp

#pragma once

#include <cstdint>
#include <string>

#include <sys/types.h>

namespace flinkcpp::testing {

/// A memory cgroup the test makes (cgroup v1's memory controller below the
/// test's own group, or a v2 group at the root) whose limit bounds what the
/// processes moved into it may use, page cache included; a process that
/// needs more anonymous memory than that is killed by the kernel. Removed on
/// destruction, which requires its processes to have ended. Throws
/// std::runtime_error saying what is missing when the machine offers no
/// writable memory cgroup (tests that need one need root).
class memory_cgroup {
public:
  explicit memory_cgroup(std::uint64_t limit_bytes);
  ~memory_cgroup();
  memory_cgroup(const memory_cgroup&) = delete;
  memory_cgroup& operator=(const memory_cgroup&) = delete;

  /// Moves process `pid` into the group.
  void add(pid_t pid) const;

  /// How often the group's usage reached its limit (and the kernel had to
  /// reclaim memory from it).
  std::uint64_t times_limit_reached() const;

private:
  std::string directory_;
  bool v2_ = false;
};

} // namespace flinkcpp::testing

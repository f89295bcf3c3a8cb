#pragma once

#include <cstdint>

#include <sys/types.h>

namespace flinkcpp::testing {

/// The resident memory of process `pid` (VmRSS), in bytes. Throws
/// std::runtime_error when the process does not exist.
std::uint64_t resident_bytes(pid_t pid);

/// The CPU time (user and system) process `pid` has used so far, in seconds.
/// Throws std::runtime_error when the process does not exist.
double cpu_seconds(pid_t pid);

} // namespace flinkcpp::testing

#pragma once

#include <cstdint>

namespace flinkcpp {

/// What the operating system says of this process (/proc/self): CPU time
/// used, resident memory, threads. Zeros where it cannot be read.
struct process_usage {
  double cpu_seconds = 0;
  std::int64_t resident_bytes = 0;
  std::int64_t threads = 0;
};

/// This process's usage now. Blocking only on /proc (no disk); thread-safe.
process_usage read_process_usage();

/// The number of CPUs this process may run on.
int available_cpus();

} // namespace flinkcpp

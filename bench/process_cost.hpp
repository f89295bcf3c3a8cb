#pragma once

// Wall and CPU time of work done in this process (the embedded
// mini-cluster's threads included), for the benchmarks' ratios.

#include <chrono>
#include <ctime>

#include <sys/resource.h>

namespace flinkcpp::bench {

/// Wall and CPU seconds of a run.
struct cost {
  double wall = 0;
  double cpu = 0;
};

/// CPU seconds this process used so far (all its threads).
inline double process_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

/// The user + system CPU seconds in `usage` (of a child, from wait4).
inline double cpu_seconds(const rusage& usage) {
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// The wall and CPU time of run().
template <class F>
cost measure(F&& run) {
  auto started = std::chrono::steady_clock::now();
  auto cpu_started = process_cpu_seconds();
  run();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
          process_cpu_seconds() - cpu_started};
}

} // namespace flinkcpp::bench

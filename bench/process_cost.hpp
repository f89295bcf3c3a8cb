#pragma once

// Wall and CPU time of work done in this process (the embedded
// mini-cluster's threads included), for the benchmarks' ratios.

#include <chrono>
#include <ctime>

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

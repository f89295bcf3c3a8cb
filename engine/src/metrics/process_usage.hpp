#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

/// The machine as a taskmanager describes it (Flink's HardwareDescription):
/// CPUs it may use, physical memory, memory available now, and the memory
/// limit of its cgroup (physical memory when there is none). Bytes.
struct hardware_description {
  std::int32_t cpu_cores = 0;
  std::int64_t physical_memory = 0;
  std::int64_t free_memory = 0;
  std::int64_t memory_limit = 0;
};

template <class Inspector>
auto inspect(Inspector& f, hardware_description& x) {
  return f(x.cpu_cores, x.physical_memory, x.free_memory, x.memory_limit);
}

/// What this machine and cgroup offer now (/proc, /sys/fs/cgroup).
hardware_description read_hardware();

/// One thread of this process, as a thread dump lists it.
struct thread_snapshot {
  std::string name; ///< what the thread is called (/proc/self/task/<id>/comm)
  std::int64_t id = 0;
  std::string state; ///< as Java names thread states: RUNNABLE, WAITING, BLOCKED, TERMINATED
};

template <class Inspector>
auto inspect(Inspector& f, thread_snapshot& x) {
  return f(x.name, x.id, x.state);
}

/// The threads of this process now (/proc/self/task), by id.
std::vector<thread_snapshot> read_threads();

/// This process's command line (/proc/self/cmdline).
std::vector<std::string> read_process_arguments();

} // namespace flinkcpp

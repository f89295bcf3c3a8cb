#include "metrics/process_usage.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sched.h>
#include <unistd.h>

namespace flinkcpp {

process_usage read_process_usage() {
  process_usage u;
  // /proc/self/stat: fields 14 and 15 are utime and stime in clock ticks,
  // 20 the thread count; the command (field 2) may hold spaces, so fields
  // are counted after its closing parenthesis.
  std::ifstream stat{"/proc/self/stat"};
  std::string line;
  if (std::getline(stat, line)) {
    auto close = line.rfind(')');
    if (close != std::string::npos) {
      std::istringstream fields{line.substr(close + 2)};
      std::string field;
      long ticks = ::sysconf(_SC_CLK_TCK);
      for (int i = 3; fields >> field; ++i) {
        if (i == 14 || i == 15)
          u.cpu_seconds += std::stod(field) / static_cast<double>(ticks > 0 ? ticks : 100);
        else if (i == 20)
          u.threads = std::stoll(field);
      }
    }
  }
  std::ifstream statm{"/proc/self/statm"};
  std::int64_t size = 0;
  std::int64_t resident = 0;
  if (statm >> size >> resident)
    u.resident_bytes = resident * ::sysconf(_SC_PAGESIZE);
  return u;
}

namespace {

/// The first number of file `path`, or `fallback` ("max" and unreadable files).
std::int64_t number_in(const std::string& path, std::int64_t fallback) {
  std::ifstream in{path};
  std::int64_t value = 0;
  if (in >> value)
    return value;
  return fallback;
}

/// Java's name for a thread in Linux state `state` (/proc/<id>/stat field 3).
const char* java_state(char state) {
  switch (state) {
    case 'R':
      return "RUNNABLE";
    case 'D':
      return "BLOCKED";
    case 'Z':
    case 'X':
      return "TERMINATED";
    default: // S (sleeping), T, t, I: waiting for something
      return "WAITING";
  }
}

} // namespace

hardware_description read_hardware() {
  hardware_description h;
  h.cpu_cores = available_cpus();
  h.physical_memory =
    static_cast<std::int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE);
  std::ifstream meminfo{"/proc/meminfo"};
  std::string key;
  std::int64_t kilobytes = 0;
  std::string unit;
  while (meminfo >> key >> kilobytes >> unit)
    if (key == "MemAvailable:")
      h.free_memory = kilobytes * 1024;
  // cgroup v2, then v1; an unlimited group says "max" or a huge number.
  auto limit = number_in("/sys/fs/cgroup/memory.max", 0);
  if (limit <= 0)
    limit = number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes", 0);
  h.memory_limit = limit > 0 && limit < h.physical_memory ? limit : h.physical_memory;
  return h;
}

std::vector<thread_snapshot> read_threads() {
  namespace fs = std::filesystem;
  std::vector<thread_snapshot> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc/self/task", ec)) {
    thread_snapshot t;
    t.id = std::atoll(e.path().filename().c_str());
    std::ifstream comm{e.path() / "comm"};
    std::getline(comm, t.name);
    std::ifstream stat{e.path() / "stat"};
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    t.state =
      java_state(close != std::string::npos && close + 2 < line.size() ? line[close + 2] : 'S');
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(),
            [](const thread_snapshot& a, const thread_snapshot& b) { return a.id < b.id; });
  return out;
}

std::vector<std::string> read_process_arguments() {
  std::ifstream in{"/proc/self/cmdline", std::ios::binary};
  std::vector<std::string> out;
  std::string argument;
  while (std::getline(in, argument, '\0'))
    out.push_back(argument);
  return out;
}

int available_cpus() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0)
    return CPU_COUNT(&set);
  return 1;
}

} // namespace flinkcpp

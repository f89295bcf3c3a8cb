#include "metrics/process_usage.hpp"

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

int available_cpus() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0)
    return CPU_COUNT(&set);
  return 1;
}

} // namespace flinkcpp

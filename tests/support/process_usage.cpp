#include "support/process_usage.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace flinkcpp::testing {

namespace {

std::ifstream proc_file(pid_t pid, const char* name) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/" + name};
  if (!in)
    throw std::runtime_error("no process " + std::to_string(pid));
  return in;
}

} // namespace

std::uint64_t resident_bytes(pid_t pid) {
  auto status = proc_file(pid, "status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoull(line.substr(6)) * 1024;
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

double cpu_seconds(pid_t pid) {
  auto in = proc_file(pid, "stat");
  std::string stat; // one line
  std::getline(in, stat);
  std::istringstream words{stat.substr(stat.rfind(')') + 2)}; // field 3 on
  std::string word;
  double ticks = 0;
  for (int field = 3; field <= 15 && words >> word; ++field)
    if (field == 14 || field == 15) // utime, stime
      ticks += std::stod(word);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

} // namespace flinkcpp::testing

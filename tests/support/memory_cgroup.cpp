#include "support/memory_cgroup.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace flinkcpp::testing {

namespace {

namespace fs = std::filesystem;

void write_to(const std::string& file, const std::string& value) {
  std::ofstream out{file};
  out << value;
  out.close();
  if (!out)
    throw std::runtime_error("cannot write '" + value + "' to " + file);
}

std::string read_from(const std::string& file) {
  std::ifstream in{file};
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The mount points of the cgroup v1 memory controller and of cgroup v2,
/// from /proc/self/mountinfo (empty when absent).
std::pair<std::string, std::string> mount_points() {
  std::ifstream in{"/proc/self/mountinfo"};
  std::string line;
  std::string v1;
  std::string v2;
  while (std::getline(in, line)) {
    std::istringstream fields{line};
    std::vector<std::string> f;
    for (std::string x; fields >> x;)
      f.push_back(x);
    auto dash = std::find(f.begin(), f.end(), "-");
    if (dash == f.end() || dash + 3 > f.end() || f.size() < 5)
      continue;
    auto type = *(dash + 1);
    auto options = dash + 3 < f.end() ? *(dash + 3) : std::string{};
    if (type == "cgroup" && ("," + options + ",").find(",memory,") != std::string::npos)
      v1 = f[4];
    else if (type == "cgroup2")
      v2 = f[4];
  }
  return {v1, v2};
}

/// This process's group in the v1 memory hierarchy, from /proc/self/cgroup.
std::string own_memory_group() {
  std::ifstream in{"/proc/self/cgroup"};
  std::string line;
  while (std::getline(in, line)) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    auto controllers = "," + line.substr(first + 1, second - first - 1) + ",";
    if (controllers.find(",memory,") != std::string::npos)
      return line.substr(second + 1);
  }
  return "/";
}

} // namespace

memory_cgroup::memory_cgroup(std::uint64_t limit_bytes) {
  auto [v1, v2] = mount_points();
  auto name = "flinkcpp-test-" + std::to_string(::getpid()) + "-" +
              std::to_string(reinterpret_cast<std::uintptr_t>(this) % 100000);
  std::error_code ec;
  if (!v1.empty()) {
    directory_ = (fs::path{v1} / fs::path{own_memory_group()}.relative_path() / name).string();
    if (fs::create_directory(directory_, ec)) {
      write_to(directory_ + "/memory.limit_in_bytes", std::to_string(limit_bytes));
      return;
    }
  }
  if (!v2.empty()) {
    directory_ = (fs::path{v2} / name).string();
    v2_ = true;
    if (fs::create_directory(directory_, ec)) {
      write_to(directory_ + "/memory.max", std::to_string(limit_bytes));
      if (fs::exists(directory_ + "/memory.swap.max"))
        write_to(directory_ + "/memory.swap.max", "0");
      return;
    }
  }
  throw std::runtime_error(
    "this test limits a taskmanager's memory with a cgroup, and the machine has no writable "
    "memory cgroup (cgroup v1 memory controller or cgroup v2; run the tests as root): " +
    (directory_.empty() ? std::string{"none is mounted"} : directory_ + ": " + ec.message()));
}

memory_cgroup::~memory_cgroup() {
  ::rmdir(directory_.c_str());
}

void memory_cgroup::add(pid_t pid) const {
  write_to(directory_ + "/cgroup.procs", std::to_string(pid));
}

std::uint64_t memory_cgroup::times_limit_reached() const {
  if (!v2_)
    return std::stoull(read_from(directory_ + "/memory.failcnt"));
  std::istringstream events{read_from(directory_ + "/memory.events")};
  std::string key;
  std::uint64_t count = 0;
  while (events >> key >> count)
    if (key == "max")
      return count;
  return 0;
}

} // namespace flinkcpp::testing

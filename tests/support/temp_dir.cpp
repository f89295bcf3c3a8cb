#include "support/temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <sys/vfs.h>

#include "support/process.hpp"

namespace flinkcpp::testing {

std::string temp_dir::default_base() {
  const char* base = std::getenv("TMPDIR");
  return base != nullptr && *base ? base : "/tmp";
}

std::string temp_dir::disk_base() {
  constexpr long tmpfs_magic = 0x01021994;
  struct statfs fs {};
  if (::statfs(default_base().c_str(), &fs) == 0 && static_cast<long>(fs.f_type) == tmpfs_magic)
    return "/var/tmp";
  return default_base();
}

temp_dir::temp_dir(const std::string& base) {
  std::string pattern = base + "/flinkcpp-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr)
    throw std::runtime_error("cannot create a temporary directory from " + pattern);
  path_ = buffer.data();
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> output_lines(const std::string& path) {
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path))
    for (const auto& part : std::filesystem::directory_iterator{path})
      files.push_back(part.path().string());
  else
    files.push_back(path);
  std::vector<std::string> lines;
  for (const auto& f : files)
    for (auto& line : lines_of(read_file(f)))
      lines.push_back(std::move(line));
  return lines;
}

} // namespace flinkcpp::testing

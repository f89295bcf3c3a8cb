#include "util/log_files.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

std::int64_t epoch_ms_of(fs::file_time_type t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::file_clock::to_sys(t).time_since_epoch())
    .count();
}

/// Whether `name` belongs to the log of `base` (the log file's name):
/// spdlog names rotated files "name.1.log" for "name.log", "name.1" without
/// an extension.
bool belongs(const std::string& name, const fs::path& base, const std::string& out) {
  if (name == base.filename().string() || name == out)
    return true;
  auto stem = base.stem().string();
  auto extension = base.extension().string();
  if (name.size() <= stem.size() + 1 + extension.size() || name.rfind(stem + ".", 0) != 0 ||
      name.compare(name.size() - extension.size(), extension.size(), extension) != 0)
    return false;
  auto number = name.substr(stem.size() + 1, name.size() - stem.size() - 1 - extension.size());
  return !number.empty() &&
         std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::string stdout_file_name(const std::string& log_file) {
  return fs::path{log_file}.stem().string() + ".out";
}

std::vector<log_file_info> list_log_files(const std::string& log_file) {
  std::vector<log_file_info> out;
  if (log_file.empty())
    return out;
  fs::path base{log_file};
  auto stdout_name = stdout_file_name(log_file);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(base.parent_path(), ec)) {
    auto name = e.path().filename().string();
    if (!e.is_regular_file(ec) || !belongs(name, base, stdout_name))
      continue;
    out.push_back(
      {name, static_cast<std::int64_t>(e.file_size(ec)), epoch_ms_of(e.last_write_time(ec))});
  }
  std::sort(out.begin(), out.end(),
            [](const log_file_info& a, const log_file_info& b) { return a.mtime > b.mtime; });
  return out;
}

result<std::string> read_log_file(const std::string& log_file, const std::string& given,
                                  std::size_t limit) {
  if (log_file.empty())
    return failure{"the process writes no log file (log.file)"};
  auto name = given.empty() ? fs::path{log_file}.filename().string() : given;
  auto files = list_log_files(log_file);
  auto found = std::find_if(files.begin(), files.end(),
                            [&](const log_file_info& f) { return f.name == name; });
  if (found == files.end())
    return failure{"there is no log file '" + name + "'"};
  auto path = fs::path{log_file}.parent_path() / name;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return failure{"cannot read the log file '" + name + "'"};
  auto size = static_cast<std::size_t>(in.tellg());
  auto start = size > limit ? size - limit : 0;
  std::string content(size - start, '\0');
  in.seekg(static_cast<std::streamoff>(start));
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (!in)
    return failure{"cannot read the log file '" + name + "'"};
  return content;
}

} // namespace flinkcpp

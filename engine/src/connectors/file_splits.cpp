#include "connectors/file_splits.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flinkcpp/detail/file_source.hpp"

namespace flinkcpp {

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path& p) {
  auto name = p.filename().string();
  return !name.empty() && (name[0] == '.' || name[0] == '_');
}

void add_splits(std::vector<file_split>& out, const std::string& path, std::uint64_t size,
                int parallelism) {
  if (size == 0)
    return;
  auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(parallelism), size);
  for (std::uint64_t i = 0; i < n; ++i)
    out.push_back({path, size * i / n, size * (i + 1) / n});
}

} // namespace

result<std::vector<file_split>> enumerate_file_splits(const std::string& path, int parallelism) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec)
    return failure{"cannot read input '" + path + "': " + ec.message()};
  std::vector<file_split> out;
  if (fs::is_regular_file(status)) {
    auto size = fs::file_size(path, ec);
    if (ec)
      return failure{"cannot read input '" + path + "': " + ec.message()};
    add_splits(out, path, size, parallelism);
    return out;
  }
  if (!fs::is_directory(status))
    return failure{"input '" + path + "' is neither a regular file nor a directory"};
  std::vector<std::pair<std::string, std::uint64_t>> files;
  fs::recursive_directory_iterator it{path, ec};
  for (; !ec && it != fs::recursive_directory_iterator{}; it.increment(ec)) {
    if (hidden(it->path())) {
      if (it->is_directory(ec))
        it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec))
      files.emplace_back(it->path().string(), it->file_size(ec));
  }
  if (ec)
    return failure{"cannot list input directory '" + path + "': " + ec.message()};
  std::sort(files.begin(), files.end());
  for (const auto& [file, size] : files)
    add_splits(out, file, size, parallelism);
  return out;
}

namespace detail {

std::optional<std::string> validate_file_input(const std::string& path) {
  struct stat st {};
  if (path.empty())
    return "the input path is empty";
  if (::stat(path.c_str(), &st) != 0)
    return "input '" + path + "' cannot be read: " + std::strerror(errno);
  if (S_ISDIR(st.st_mode)) {
    std::error_code ec;
    fs::directory_iterator probe{path, ec};
    if (ec)
      return "input directory '" + path + "' cannot be read: " + ec.message();
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode))
    return "input '" + path + "' is neither a regular file nor a directory";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "input file '" + path + "' cannot be read: " + std::strerror(errno);
  ::close(fd);
  return std::nullopt;
}

} // namespace detail
} // namespace flinkcpp

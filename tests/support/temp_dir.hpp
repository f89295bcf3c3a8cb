#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace flinkcpp::testing {

/// A fresh directory under `base` (by default $TMPDIR, or /tmp), removed
/// with everything in it when the object goes away.
class temp_dir {
public:
  explicit temp_dir(const std::string& base = default_base());

  /// $TMPDIR, or /tmp.
  static std::string default_base();
  /// default_base(), unless it is a tmpfs (memory): then /var/tmp.
  static std::string disk_base();

  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// path()/name as a string.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

/// Writes `content` to `path` (replacing it).
void write_file(const std::string& path, const std::string& content);

/// The whole content of `path`; empty if it cannot be read.
std::string read_file(const std::string& path);

/// The lines a text sink wrote to `path`: the file's, or those of every file
/// in the directory of part files; none if nothing is there.
std::vector<std::string> output_lines(const std::string& path);

} // namespace flinkcpp::testing

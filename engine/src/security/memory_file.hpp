#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace flinkcpp::security {

/// A file that exists only in this process's memory (memfd), readable by
/// path (/proc/self/fd/N) while the object lives: for key material that a
/// library reads by path only, without writing it to a disk. Move-only; the
/// file is gone with the object.
class memory_file {
public:
  /// A file named `name` (for /proc listings) holding `content`; fails when
  /// the kernel refuses one.
  static result<memory_file> holding(const std::string& name, std::string_view content);

  memory_file(memory_file&& other) noexcept;
  memory_file& operator=(memory_file&& other) noexcept;
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;
  ~memory_file();

  /// "/proc/self/fd/N": opening it reads the content from the start.
  const std::string& path() const { return path_; }

private:
  explicit memory_file(int fd);
  int fd_ = -1;
  std::string path_;
};

} // namespace flinkcpp::security

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace flinkcpp {

/// A byte range [start, end) of one file, read by one source subtask.
struct file_split {
  std::string path;
  std::uint64_t start = 0;
  std::uint64_t end = 0;

  friend bool operator==(const file_split&, const file_split&) = default;
};

/// Lists the files of `path` (the file itself, or every regular file below a
/// directory, sorted, skipping hidden names starting with '.' or '_') and cuts
/// each into at most `parallelism` ranges of near-equal size. Empty files have
/// no ranges. Blocking (file system calls): run it on the io_executor.
result<std::vector<file_split>> enumerate_file_splits(const std::string& path, int parallelism);

} // namespace flinkcpp

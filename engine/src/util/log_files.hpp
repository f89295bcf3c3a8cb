#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace flinkcpp {

/// One file of a process's log (Flink's LogInfo).
struct log_file_info {
  std::string name;
  std::int64_t size = 0;
  std::int64_t mtime = 0; ///< epoch ms

  friend bool operator==(const log_file_info&, const log_file_info&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, log_file_info& x) {
  return f(x.name, x.size, x.mtime);
}

/// The files of the log `log_file` names (log.file): the file itself, its
/// rotated predecessors (file.1, file.2, ...) and a stdout file beside it
/// (the log's name with .out for .log), newest first. Nothing else of its
/// folder is listed. Empty when `log_file` is empty or nothing is there.
std::vector<log_file_info> list_log_files(const std::string& log_file);

/// The content of `name`, one of list_log_files(log_file) (empty: the log
/// file itself); fails for any other name (so that no request reaches other
/// files), without a log file, or for an unreadable file.
/// At most `limit` bytes: the end of a larger file.
result<std::string> read_log_file(const std::string& log_file, const std::string& name,
                                  std::size_t limit = 100u << 20);

/// The name of the stdout file beside `log_file` ("jobmanager.out" for
/// ".../jobmanager.log").
std::string stdout_file_name(const std::string& log_file);

} // namespace flinkcpp

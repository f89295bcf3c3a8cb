#pragma once

#include <optional>
#include <string>

#include "util/id.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Flink's JobResultStore on a filesystem: one small file per job that ended
/// for good (FINISHED, CANCELED, FAILED), in `directory`, so that a
/// jobmanager started again does not run its application's job a second
/// time. Stateless between calls; thread-safe. Blocking (file I/O).
class job_result_store {
public:
  explicit job_result_store(std::string directory) : directory_(std::move(directory)) {}

  /// The status job `job` ended with ("FINISHED", ...), if one is recorded.
  /// A file that cannot be read fails naming it.
  result<std::optional<std::string>> find(const job_id& job) const;

  /// Records that `job` ended with `status`, durably (creating the folder).
  /// Fails naming the file.
  result<void> record(const job_id& job, const std::string& status) const;

private:
  std::string path_of(const job_id& job) const;

  std::string directory_;
};

} // namespace flinkcpp

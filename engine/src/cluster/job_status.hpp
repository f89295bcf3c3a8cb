#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "util/id.hpp"

namespace flinkcpp {

/// The state of a job (Flink's JobStatus).
enum class job_status {
  created,
  running,
  failing,
  failed,
  cancelling,
  canceled,
  finished,
  restarting,
  /// The jobmanager shut down with the job still running; its checkpoints
  /// stay for a jobmanager started again (Flink's SUSPENDED). Not terminal.
  suspended,
};

/// Whether the job has ended for good.
inline bool is_globally_terminal(job_status s) noexcept {
  return s == job_status::failed || s == job_status::canceled || s == job_status::finished;
}

/// Flink's name for the status ("FINISHED", ...).
std::string_view to_string(job_status s) noexcept;

/// How a job ended.
struct job_result {
  job_id id;
  job_status status = job_status::created;
  std::string failure; ///< why it failed (FAILED only)
  std::chrono::milliseconds duration{0};
};

} // namespace flinkcpp

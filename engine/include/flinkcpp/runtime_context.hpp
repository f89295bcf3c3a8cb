#pragma once

#include <string>

#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/spi/stream_operator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// What a user function learns of the parallel instance running it (Flink's
/// RuntimeContext), given to its open(): which subtask of how many, of which
/// task and attempt, and the operator's metric group. A value type; the
/// metric group is a handle on the operator's metrics.
class runtime_context {
public:
  explicit runtime_context(const spi::operator_context& context)
    : subtask_index_(context.subtask_index),
      parallelism_(context.parallelism),
      max_parallelism_(context.max_parallelism),
      attempt_number_(context.attempt_number),
      task_name_(context.task_name),
      metrics_(context.metrics) {}

  /// 0 to number_of_parallel_subtasks() - 1 (Flink's getIndexOfThisSubtask).
  int index_of_this_subtask() const noexcept { return subtask_index_; }
  /// The operator's parallelism.
  int number_of_parallel_subtasks() const noexcept { return parallelism_; }
  /// The operator's max parallelism (its number of key groups).
  int max_number_of_parallel_subtasks() const noexcept { return max_parallelism_; }
  /// 0 for the first run of this subtask, one more after each restart of
  /// the job (Flink's getAttemptNumber).
  int attempt_number() const noexcept { return attempt_number_; }
  /// The task's name: its chained operators' ("Source: words -> Map").
  const std::string& task_name() const noexcept { return task_name_; }
  /// As Flink's getTaskNameWithSubtasks: "Map (2/4)#0".
  std::string task_name_with_subtasks() const {
    return task_name_ + " (" + std::to_string(subtask_index_ + 1) + "/" +
           std::to_string(parallelism_) + ")#" + std::to_string(attempt_number_);
  }
  /// The operator's metrics (Flink's getMetricGroup).
  const metric_group& metrics() const noexcept { return metrics_; }

private:
  int subtask_index_;
  int parallelism_;
  int max_parallelism_;
  int attempt_number_;
  std::string task_name_;
  metric_group metrics_;
};

namespace detail {

/// Calls f.open(context) if F has it (Flink's RichFunction#open): user
/// functions, also plain function objects, opt into the lifecycle so.
template <class F>
void open_function(F& f, const runtime_context& context) {
  if constexpr (requires { f.open(context); })
    f.open(context);
}

/// Calls f.close() if F has it (Flink's RichFunction#close).
template <class F>
void close_function(F& f) {
  if constexpr (requires { f.close(); })
    f.close();
}

} // namespace detail

} // namespace flinkcpp
FLINKCPP_API_END

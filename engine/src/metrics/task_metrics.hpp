#pragma once

#include <atomic>
#include <cstdint>

namespace flinkcpp {

/// Live measurements of one subtask (Flink's task IO metrics). The task
/// updates them once per batch or processing step, never per record; any
/// thread may read them.
struct task_metrics {
  /// Records taken from the input channels.
  std::atomic<std::int64_t> records_in{0};
  /// Records handed to the output channels (a broadcast record counts once
  /// per channel).
  std::atomic<std::int64_t> records_out{0};
  /// Whether the task is held up by its outputs right now (Flink's isBackPressured).
  std::atomic<bool> back_pressured{false};
};

} // namespace flinkcpp

#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/watermark_strategy.hpp"

namespace flinkcpp {

/// A subtask's I/O so far (Flink's IOMetrics of an execution): what the REST
/// API shows of it, and keeps once it ended. Times in milliseconds. A plain
/// value type.
struct task_io_totals {
  std::int64_t records_in = 0;
  std::int64_t records_out = 0;
  std::int64_t bytes_in = 0;
  std::int64_t bytes_out = 0;
  std::int64_t busy_ms = 0;
  std::int64_t back_pressured_ms = 0;
  std::int64_t idle_ms = 0;
};

template <class Inspector>
auto inspect(Inspector& f, task_io_totals& x) {
  return f(x.records_in, x.records_out, x.bytes_in, x.bytes_out, x.busy_ms, x.back_pressured_ms,
           x.idle_ms);
}

/// Steady-clock nanoseconds, the clock of task_metrics.
inline std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

/// Live measurements of one subtask (Flink's task IO metrics). The task
/// updates them once per batch or processing step, never per record; any
/// thread may read them. Times are steady-clock nanoseconds.
struct task_metrics {
  /// `operators`: the operators chained in the task.
  explicit task_metrics(std::size_t operators = 0)
    : started_ns(steady_now_ns()),
      operator_records_out(operators),
      operator_input_watermark(operators),
      operator_output_watermark(operators),
      operator_metrics(operators) {
    for (std::size_t i = 0; i < operators; ++i) {
      operator_input_watermark[i].store(min_watermark, std::memory_order_relaxed);
      operator_output_watermark[i].store(min_watermark, std::memory_order_relaxed);
    }
  }

  /// When the subtask was set up; its time since is busy, back-pressured or idle.
  const std::int64_t started_ns;
  /// Records taken from the input channels.
  std::atomic<std::int64_t> records_in{0};
  /// Records handed to the output channels (a broadcast record counts once
  /// per channel).
  std::atomic<std::int64_t> records_out{0};
  /// Bytes of the batches that crossed a process boundary, in and out
  /// (within a process batches move by pointer, never serialized).
  std::atomic<std::int64_t> bytes_in{0};
  std::atomic<std::int64_t> bytes_out{0};
  /// Time spent processing (Flink's busy time), in total.
  std::atomic<std::int64_t> busy_ns{0};
  /// Time held up by the outputs (no credit), in total, and since when the
  /// task is held up now (0: it is not).
  std::atomic<std::int64_t> back_pressured_ns{0};
  std::atomic<std::int64_t> back_pressured_since_ns{0};
  /// Whether the task is held up by its outputs right now (Flink's isBackPressured).
  std::atomic<bool> back_pressured{false};
  /// Input batches waiting / the credits that bound them, and output batches
  /// waiting for credit / what the outputs may queue, in thousandths.
  std::atomic<std::int32_t> in_pool_usage_permille{0};
  std::atomic<std::int32_t> out_pool_usage_permille{0};
  /// Records each chained operator emitted, in chain order (Flink's
  /// operator numRecordsOut); published by the task after each step.
  std::vector<std::atomic<std::int64_t>> operator_records_out;
  /// Watermarks in event-time milliseconds (min_watermark: none yet): the
  /// task's input (the minimum over its channels, Flink's task
  /// currentInputWatermark) and each chained operator's input and output,
  /// in chain order; published by the task after each step.
  std::atomic<std::int64_t> input_watermark{min_watermark};
  std::vector<std::atomic<std::int64_t>> operator_input_watermark;
  std::vector<std::atomic<std::int64_t>> operator_output_watermark;
  /// Each chained operator's own metrics (its counters), in chain order.
  const std::vector<metric_group> operator_metrics;

  /// Back pressure at `now`, including the spell going on.
  std::int64_t back_pressured_total(std::int64_t now_ns) const {
    auto since = back_pressured_since_ns.load(std::memory_order_relaxed);
    return back_pressured_ns.load(std::memory_order_relaxed) + (since > 0 ? now_ns - since : 0);
  }

  /// The I/O so far, at `now_ns`: idle is the time since started_ns that was
  /// neither busy nor back-pressured.
  task_io_totals totals(std::int64_t now_ns) const {
    auto load = [](const std::atomic<std::int64_t>& a) {
      return a.load(std::memory_order_relaxed);
    };
    task_io_totals t;
    t.records_in = load(records_in);
    t.records_out = load(records_out);
    t.bytes_in = load(bytes_in);
    t.bytes_out = load(bytes_out);
    auto busy = load(busy_ns);
    auto pressured = back_pressured_total(now_ns);
    t.busy_ms = busy / 1'000'000;
    t.back_pressured_ms = pressured / 1'000'000;
    auto idle = now_ns - started_ns - busy - pressured;
    t.idle_ms = idle > 0 ? idle / 1'000'000 : 0;
    return t;
  }
};

} // namespace flinkcpp

#pragma once

// The keyed functions of grouped queries (internal to the planner), keyed
// by row_key over the GROUP BY columns. Each emits rows of the group's key
// values followed by its aggregates' results.
//
// group_aggregate (Flink's GroupAggregate) keeps an accumulator per group and
// emits a changelog: +I for a new group, -U and +U when its results change,
// -D when its last row is retracted. Its input may be a changelog when
// every aggregate can retract (not MIN or MAX). With a state time to live
// (table.exec.state.ttl), a group no row updated for that long is
// forgotten: its next row starts it again (+I).
//
// session_aggregate (Flink's session WindowAggregate) keeps, per key, the
// open sessions of event time (a row at t opens [t, t + gap); sessions that
// touch merge, their accumulators added, the values of their DISTINCT calls
// joined); a session is emitted (+I, stamped
// with its last millisecond) once the watermark passes its end. A row whose
// session would already have ended is dropped and counted
// (numLateRecordsDropped).
//
// window_aggregate (Flink's WindowAggregate) aggregates the rows of one
// window (its key holds window_start and window_end) until the watermark
// passes the window's end, then emits one +I row, stamped with the window's
// last millisecond, and forgets the window. Rows of a window already
// emitted are dropped and counted (numLateRecordsDropped).
//
// sliced_window_aggregate (Flink's slicing window aggregate: the window
// table function fused into the aggregate) takes the rows before TUMBLE,
// HOP or CUMULATE assigned them windows, keyed by the other group keys. A
// row goes into one slice of its key (TUMBLE: its window; HOP: its slide;
// CUMULATE: its step) and is added to that slice's accumulator; when the
// watermark passes a window's end, the accumulators of the slices the
// window covers merge into its one +I row (as window_aggregate's), and the
// slices no later window covers are forgotten. A row each of whose windows
// was emitted is dropped and counted (numLateRecordsDropped); one some of
// whose windows were emitted counts in the others.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/metric_group.hpp"
#include "sql/functions/aggregates.hpp"
#include "sql/planner/row_functions.hpp"

namespace flinkcpp::sql {

class group_aggregate final : public keyed_process_function<std::string, row, row> {
public:
  /// `state_ttl`: 0 keeps groups forever.
  group_aggregate(std::shared_ptr<const aggregate_set> aggregates,
                  std::chrono::milliseconds state_ttl)
    : aggregates_(std::move(aggregates)),
      state_ttl_(state_ttl) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;

private:
  std::shared_ptr<const aggregate_set> aggregates_;
  std::chrono::milliseconds state_ttl_;
  /// The accumulator, then the number of rows the group holds.
  std::optional<value_state<std::vector<value>>> accumulator_;
  std::optional<map_state<std::string, std::int64_t>> distinct_;
};

class window_aggregate final : public keyed_process_function<std::string, row, row> {
public:
  /// `window_end_column`: the index of window_end among the input's columns.
  window_aggregate(std::shared_ptr<const aggregate_set> aggregates, std::size_t window_end_column)
    : aggregates_(std::move(aggregates)),
      window_end_column_(window_end_column) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  std::shared_ptr<const aggregate_set> aggregates_;
  std::size_t window_end_column_;
  std::optional<value_state<std::vector<value>>> accumulator_;
  std::optional<map_state<std::string, std::int64_t>> distinct_;
  counter* late_records_dropped_ = nullptr;
};

/// Where each group key of a session or sliced window aggregate's output
/// comes from: the key's own values (by index) or the window's bounds.
struct window_key_column {
  enum class source : std::uint8_t { key, start, end, time };
  source from = source::key;
  std::size_t index = 0; ///< for `key`
};

class session_aggregate final : public keyed_process_function<std::string, row, row> {
public:
  /// `time_column`: the rowtime of the input rows; `gap` in milliseconds;
  /// `layout`: the output's group key columns, in order.
  session_aggregate(std::shared_ptr<const aggregate_set> aggregates, std::size_t time_column,
                    std::int64_t gap, std::vector<window_key_column> layout)
    : aggregates_(std::move(aggregates)),
      time_column_(time_column),
      gap_(gap),
      layout_(std::move(layout)) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  std::shared_ptr<const aggregate_set> aggregates_;
  std::size_t time_column_;
  std::int64_t gap_;
  std::vector<window_key_column> layout_;
  /// Each open session: start, end, then its accumulator.
  std::optional<value_state<std::vector<std::vector<value>>>> sessions_;
  counter* late_records_dropped_ = nullptr;
};

class sliced_window_aggregate final : public keyed_process_function<std::string, row, row> {
public:
  /// `windows`: the window table function's (not SESSION), over the
  /// input's columns; `layout`: the output's group key columns, in order.
  sliced_window_aggregate(std::shared_ptr<const aggregate_set> aggregates,
                          window_assigner_function windows, std::vector<window_key_column> layout);

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

  /// A slice of a key's rows: its end and their accumulator.
  struct slice {
    std::int64_t end = 0;
    std::vector<value> accumulator;
  };

private:
  /// The end of the slice of a row at `time`.
  std::int64_t slice_end(std::int64_t time) const;
  /// The start of the window ending at `end`.
  std::int64_t window_start(std::int64_t end) const;
  /// The end of the last window that covers the slice ending at `end`.
  std::int64_t last_window_end(std::int64_t slice_end) const;

  std::shared_ptr<const aggregate_set> aggregates_;
  window_assigner_function windows_;
  std::int64_t slice_size_;
  std::vector<window_key_column> layout_;
  /// The key's slices, by end.
  std::optional<value_state<std::vector<slice>>> slices_;
  counter* late_records_dropped_ = nullptr;
};

template <class Inspector>
auto inspect(Inspector& f, sliced_window_aggregate::slice& x) {
  return f(x.end, x.accumulator);
}

} // namespace flinkcpp::sql

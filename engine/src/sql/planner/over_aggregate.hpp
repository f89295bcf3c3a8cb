#pragma once

// OVER aggregations in event time (Flink's OverAggregate): each row with the
// aggregates of its window appended. A window holds the rows of the row's
// partition (the key: PARTITION BY) in the order of a time attribute, from
// the frame's start (UNBOUNDED, n rows, or an interval of time before the
// row) to the row itself (ROWS) or to the last row of its time (RANGE: rows
// of one time are peers and get the same values). Rows are held until the
// watermark passes their time, then aggregated in time order (rows of one
// time in arrival order); rows already behind the watermark, or without a
// time, are dropped and counted (numLateRecordsDropped). A bounded frame
// keeps its rows (n, or those of the interval) and aggregates them anew for
// each row; an unbounded one keeps one accumulator. LAG(x, n, default)
// gives the value x had n rows before in the partition's order (whatever
// the frame, as Flink's), or the default. The output is append-only: the
// row, its aggregates' results, then its LAG values.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/metric_group.hpp"
#include "sql/functions/aggregates.hpp"
#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

/// An OVER window's order and frame.
struct over_window {
  std::size_t time_column = 0; ///< the time attribute it is ordered by
  bool rows = false;           ///< ROWS (else RANGE)
  /// Rows (ROWS) or milliseconds (RANGE) before the row; none: UNBOUNDED.
  std::optional<std::int64_t> preceding;
};

/// LAG(argument, offset, fallback) OVER (...).
struct lag_call {
  scalar_ptr argument;
  std::size_t offset = 1;
  scalar_ptr fallback; ///< null: NULL
};

class over_aggregate final : public keyed_process_function<std::string, row, row> {
public:
  /// `aggregates`: without DISTINCT calls.
  over_aggregate(std::shared_ptr<const aggregate_set> aggregates, std::vector<lag_call> lags,
                 over_window window)
    : aggregates_(std::move(aggregates)),
      lags_(std::move(lags)),
      window_(window) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  /// The results of the aggregates over `rows`.
  std::vector<value> aggregate(const std::vector<row>& rows) const;
  /// Emits `r` (+I) with `results` and its LAG values appended (`history`:
  /// per LAG call, the values of the rows before, the latest last).
  void emit(row&& r, const std::vector<value>& results, std::vector<std::vector<value>>& history,
            collector<row>& out) const;
  /// The rows of `time` of a bounded frame, with the frame's rows.
  void aggregate_frame(std::int64_t time, std::vector<row>& due,
                       std::vector<std::vector<value>>& history, collector<row>& out);
  /// The time's rows of an unbounded frame, with its accumulator.
  void accumulate(std::vector<row>& due, std::vector<std::vector<value>>& history,
                  collector<row>& out);

  std::shared_ptr<const aggregate_set> aggregates_;
  std::vector<lag_call> lags_;
  over_window window_;
  /// Rows waiting for the watermark, by time.
  std::optional<map_state<std::int64_t, std::vector<row>>> pending_;
  /// A bounded frame's rows before the next time's, in order.
  std::optional<value_state<std::vector<row>>> frame_;
  /// An unbounded frame's accumulator.
  std::optional<value_state<std::vector<value>>> accumulator_;
  /// The values of the LAG calls' arguments in the last rows, per call.
  std::optional<value_state<std::vector<std::vector<value>>>> history_;
  counter* late_records_dropped_ = nullptr;
};

} // namespace flinkcpp::sql

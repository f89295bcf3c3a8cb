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
// window_aggregate (Flink's WindowAggregate) aggregates the rows of one
// window (its key holds window_start and window_end) until the watermark
// passes the window's end, then emits one +I row, stamped with the window's
// last millisecond, and forgets the window. Rows of a window already
// emitted are dropped and counted (numLateRecordsDropped).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/metric_group.hpp"
#include "sql/functions/aggregates.hpp"

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
  /// `window_end_key`: the index of window_end among the key's values.
  window_aggregate(std::shared_ptr<const aggregate_set> aggregates, std::size_t window_end_key)
    : aggregates_(std::move(aggregates)),
      window_end_key_(window_end_key) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  std::shared_ptr<const aggregate_set> aggregates_;
  std::size_t window_end_key_;
  std::optional<value_state<std::vector<value>>> accumulator_;
  std::optional<map_state<std::string, std::int64_t>> distinct_;
  counter* late_records_dropped_ = nullptr;
};

} // namespace flinkcpp::sql

#pragma once

// ORDER BY a time attribute ascending (Flink's TemporalSort): rows are held
// until the watermark passes their time, then emitted in the order of the
// ORDER BY keys; rows already behind the watermark are dropped and counted
// (numLateRecordsDropped). Keyed by one key for all rows: the sort runs in
// one subtask, as Flink's.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/metric_group.hpp"
#include "sql/planner/rank_function.hpp"

namespace flinkcpp::sql {

class temporal_sort final : public keyed_process_function<std::string, row, row> {
public:
  /// `spec`: the order keys (the first the rowtime) and the columns; its
  /// limit is unused.
  temporal_sort(std::shared_ptr<const rank_spec> spec, std::size_t time_column)
    : spec_(std::move(spec)),
      time_column_(time_column) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  std::shared_ptr<const rank_spec> spec_;
  std::size_t time_column_;
  std::optional<value_state<std::vector<std::vector<value>>>> held_;
  counter* late_records_dropped_ = nullptr;
};

} // namespace flinkcpp::sql

#pragma once

// A regular join of two changelogs (Flink's StreamingJoinOperator), keyed by
// the equality conditions' columns on both sides: each side's rows are kept
// in keyed state (a count per distinct row); a row of one side joins the
// other side's rows of its key for which the residual condition holds. The
// output is a changelog of +I and -D: an added row emits +I for each match,
// a retracted one -D. An outer side's row without a match is emitted padded
// with NULLs, and retracted (-D) once its first match comes, as Flink does.
// With a state time to live (table.exec.state.ttl), rows no change touched
// for that long are forgotten. A window join (both sides windowed, joined on
// their windows' bounds) forgets a window's rows once the watermark passed
// its end, emitting then an outer side's rows that matched nothing, padded
// (its output is append-only, as Flink's window joins); rows of a window
// already passed are dropped.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "flinkcpp/keyed_co_process_function.hpp"
#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

class join_function final : public keyed_co_process_function<std::string, row, row, row> {
public:
  /// `residual`: the non-equality part of the condition, over the joined
  /// row (left fields, then right fields); null when there is none.
  /// `left_outer` / `right_outer`: that side keeps its unmatched rows.
  /// `window_end_key`: for a window join, the index of window_end among the
  /// key's values.
  join_function(std::size_t left_width, std::size_t right_width, scalar_ptr residual,
                bool left_outer, bool right_outer, std::chrono::milliseconds state_ttl,
                std::optional<std::size_t> window_end_key = std::nullopt)
    : width_{left_width, right_width},
      residual_(std::move(residual)),
      outer_{left_outer, right_outer},
      state_ttl_(state_ttl),
      window_end_key_(window_end_key) {}

  void open(context& ctx) override;
  void process_element1(const row& in, context& ctx, collector<row>& out) override;
  void process_element2(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  /// For a window join: false when the row's window has passed; else its
  /// end is due for cleanup.
  bool in_open_window(context& ctx);
  using side_state = map_state<std::string, std::int64_t>;

  /// A row of side `side` (0 left, 1 right) arrived.
  void process(int side, const row& in, collector<row>& out);
  /// The joined row of `mine` (of side `side`) and `other`; either may be
  /// absent (NULLs).
  row joined(int side, const std::vector<value>* mine, const std::vector<value>* other,
             row_kind kind) const;
  /// Whether the residual condition holds for `joined_row` (or there is none).
  bool holds(const row& joined_row) const;
  bool matches(int side, const std::vector<value>& mine, const std::vector<value>& other) const;
  /// How many rows of `state` (with their counts) `row` of the other side
  /// matches.
  std::int64_t match_count(int side_of_row, const std::vector<value>& row_fields,
                           side_state& state) const;

  std::size_t width_[2];
  scalar_ptr residual_;
  bool outer_[2];
  std::chrono::milliseconds state_ttl_;
  std::optional<std::size_t> window_end_key_;
  std::optional<side_state> rows_[2];
};

} // namespace flinkcpp::sql

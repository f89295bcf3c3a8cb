#pragma once

// An interval join of two append-only inputs (Flink's TimeIntervalJoin):
// rows of the same key whose rowtimes satisfy lower <= left - right <= upper
// (and the residual condition) join, once, as +I rows. Each side's rows are
// kept in keyed state only while a row of the other side may still come
// that they join: a left row until the watermark passes left - lower, a
// right row until it passes right + upper; so state stays bounded for
// inputs of bounded delay. An outer side's row that joined nothing is
// emitted with NULLs for the other side's columns when it is forgotten (or
// at once when it comes too late to join anything): the output stays
// append-only, as Flink's outer interval joins.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_co_process_function.hpp"
#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

struct interval_bounds {
  std::int64_t lower = 0; ///< the least left - right, in ms (inclusive)
  std::int64_t upper = 0; ///< the greatest left - right, in ms (inclusive)
};

/// One side of an interval join: where its rowtime is, how many columns
/// it has, whether it is an outer side (LEFT, RIGHT or FULL).
struct interval_side {
  std::size_t time = 0;
  std::size_t width = 0;
  bool outer = false;
};

class interval_join_function final : public keyed_co_process_function<std::string, row, row, row> {
public:
  interval_join_function(interval_side left, interval_side right, interval_bounds bounds,
                         scalar_ptr residual)
    : sides_{left, right},
      bounds_(bounds),
      residual_(std::move(residual)) {}

  void open(context& ctx) override;
  void process_element1(const row& in, context& ctx, collector<row>& out) override;
  void process_element2(const row& in, context& ctx, collector<row>& out) override;
  void on_timer(std::int64_t time, context& ctx, collector<row>& out) override;

private:
  void process(int side, const row& in, context& ctx, collector<row>& out);
  /// Until when a row of `side` at `t` may still join: the time the
  /// watermark must pass before it is forgotten.
  std::int64_t expiry(int side, std::int64_t t) const;
  /// Emits `count` times the row of `side` with `fields`, NULLs for the
  /// other side.
  void pad(int side, const std::vector<value>& fields, std::int64_t count,
           collector<row>& out) const;

  interval_side sides_[2];
  interval_bounds bounds_;
  scalar_ptr residual_;
  std::optional<map_state<std::string, std::int64_t>> rows_[2];
  /// The kept rows of an outer side that joined a row (by their bytes).
  std::optional<map_state<std::string, bool>> matched_[2];
};

} // namespace flinkcpp::sql

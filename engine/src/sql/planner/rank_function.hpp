#pragma once

// Top-N and deduplication (Flink's AppendOnlyTopN and Deduplicate): for each
// partition key, the first N rows of an append-only input in the order of
// the ORDER BY keys (ties in arrival order), kept in keyed state. What
// changes when a row enters is emitted as Flink emits it:
//
// - with the row number: the rows whose rank changed, -U (old row, rank)
//   then +U (new row, rank), and +I for a rank not held before;
// - without it: -D for the row pushed out of the top N, then +I for the new
//   one;
// - deduplication keeping the last row (N = 1 ordered by a time attribute
//   descending): -U of the old row, +U of the new one. Keeping the first row
//   (ascending) emits only the first row, +I.
//
// RANK and DENSE_RANK number ties alike, so their top N may hold more than
// N rows; over a changelog input (any numbering) a row may also leave. The
// changes a row brings are then, with the number, per position of the
// ordered rows -U/+U where a row or its number changed, +I and -D where
// there are more or fewer; without it, -D for the rows gone from the top N,
// +I for those new in it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_process_function.hpp"
#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

struct rank_spec {
  /// ROW_NUMBER (1, 2, 3, ... in order, ties in arrival order), RANK (ties
  /// share a number, then a gap: 1, 1, 3) or DENSE_RANK (no gap: 1, 1, 2);
  /// the Top-N keeps the rows whose number is at most N.
  enum class numbering { row_number, rank, dense_rank };
  numbering numbers = numbering::row_number;
  std::vector<scalar_ptr> projections; ///< the output columns but the row number
  std::vector<scalar_ptr> order_keys;
  std::vector<data_type> order_types;
  std::vector<bool> descending;
  std::int64_t limit = 1;                 ///< N
  std::optional<std::size_t> rank_column; ///< where the row number goes, if output
  bool update_on_replace = false;         ///< deduplication keeping the last row
  /// The input is a changelog: every row of a partition is kept (a row
  /// retracted from the top N lets the next one in), as Flink's
  /// RetractableTopNFunction; else only the top N are.
  bool retracting = false;

  /// Whether order keys `a` come before `b` (a value per order key each, from
  /// their start): NULL first ascending, last descending; ties are not
  /// before.
  bool before(const std::vector<value>& a, const std::vector<value>& b) const;

  /// The order keys of `r`.
  std::vector<value> keys_of(const row& r) const;
};

class rank_function final : public keyed_process_function<std::string, row, row> {
public:
  rank_function(std::shared_ptr<const rank_spec> spec, std::chrono::milliseconds state_ttl)
    : spec_(std::move(spec)),
      state_ttl_(state_ttl) {}

  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;

private:
  /// A kept row: its order keys, then its projected fields.
  using entry = std::vector<value>;

  row output(const entry& e, row_kind kind, std::int64_t rank) const;

  /// The row numbers of the ordered rows `rows` (ROW_NUMBER, RANK or
  /// DENSE_RANK).
  std::vector<std::int64_t> numbers_of(const std::vector<entry>& rows) const;

  /// How many of the ordered rows numbered `numbers` are in the top N.
  std::size_t top_size(const std::vector<std::int64_t>& numbers) const;

  /// `e` enters the ordered rows `rows` after those it ties with, or
  /// (`remove`) leaves them; what that changes in the top N is emitted.
  /// Append-only inputs keep only the top N rows.
  void change(std::vector<entry>& rows, entry e, bool remove, collector<row>& out) const;

  std::shared_ptr<const rank_spec> spec_;
  std::chrono::milliseconds state_ttl_;
  std::optional<value_state<std::vector<entry>>> top_;
};

} // namespace flinkcpp::sql

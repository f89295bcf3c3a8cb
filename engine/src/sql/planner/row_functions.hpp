#pragma once

// The functions the planner's operators run on rows (internal to the
// planner): one type per kind of operator, so that every SQL job
// instantiates the same few operator templates.

#include <cstdint>
#include <string>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/watermark_generator.hpp"
#include "sql/catalog/data_type.hpp"
#include "sql/functions/scalar.hpp"
#include "sql/functions/value.hpp"
#include "sql/functions/value_text.hpp"

namespace flinkcpp::sql {

/// Flink's Calc: the rows `condition` holds for (all when it is null), each
/// projected onto `projections` (the row itself when there are none),
/// keeping its change kind. A field that exactly one projection references
/// as it is is moved out of the input row rather than copied (after the
/// computed projections have read it); when the first projections are the
/// first fields as they are, the row is projected in place. Calcs one after
/// the other merge into one (then()), which runs each in turn on a row.
class calc_function {
public:
  calc_function(scalar_ptr condition, std::vector<scalar_ptr> projections);

  void operator()(row&& in, collector<row>& out) const;

  /// This Calc, then `next` over its rows, as one.
  calc_function then(const calc_function& next) const;

private:
  /// One Calc of those merged.
  class step {
  public:
    step(scalar_ptr condition, std::vector<scalar_ptr> projections);

    /// Whether the condition holds for `r`; if so, projects it in place.
    bool apply(row& r) const;

  private:
    static constexpr std::size_t computed = static_cast<std::size_t>(-1);

    scalar_ptr condition_;
    std::vector<scalar_ptr> projections_;
    /// Per projection: the input field it moves, or `computed`.
    std::vector<std::size_t> moved_;
    /// How many of the first projections move field i to field i: the row
    /// is projected without moving them.
    std::size_t kept_ = 0;
  };

  std::vector<step> steps_;
};

/// `fields` in their binary form (detail::to_bytes's), written into a string
/// sized for them first (a row as a key of keyed map state).
std::string row_bytes(const std::vector<value>& fields);

/// The key of a row in a keyed operator: its key columns' values in their
/// binary form (decoded again by key_values).
struct row_key {
  std::vector<scalar_ptr> columns;

  std::string operator()(const row& in) const;
};

/// A window table function's windows (TUMBLE, HOP, CUMULATE): each row once
/// per window its time falls in, with window_start, window_end and
/// window_time (end - 1 ms) appended; rows whose time is NULL are dropped.
/// SESSION appends the row's own session [t, t + gap), which the session
/// aggregate merges.
struct window_assigner_function {
  enum class kind { tumble, hop, cumulate, session };
  kind what = kind::tumble;
  std::size_t time_column = 0;
  std::int64_t size = 0;
  std::int64_t step = 0; ///< HOP's slide, CUMULATE's step
  std::int64_t offset = 0;

  void operator()(const row& in, collector<row>& out) const;

  /// The start of the span of `length` (aligned on the offset, as the
  /// windows are) that holds `time`.
  std::int64_t aligned_start(std::int64_t time, std::int64_t length) const;
};

/// Flink SQL's watermarks: the largest value the WATERMARK expression gave
/// for the rows so far, emitted as it is (no 1 ms below, unlike the
/// DataStream API's bounded out-of-orderness).
class expression_watermarks final : public watermark_generator<row> {
public:
  explicit expression_watermarks(scalar_ptr expression) : expression_(std::move(expression)) {}

  void on_event(const row& record, std::int64_t timestamp, watermark_output& output) override;
  void on_periodic_emit(watermark_output& output) override;

private:
  scalar_ptr expression_;
  std::int64_t largest_ = min_watermark;
  std::int64_t emitted_ = min_watermark;
};

/// The values a row_key's key holds.
std::vector<value> key_values(const std::string& key);

/// A row as a line of text: `print` style is Flink's print connector's
/// "+I[a, b]"; `csv` a CSV line; `json` a JSON object of the column names;
/// `raw` its one column's text; `changelog` a JSON array of the kind and
/// each value in the SQL client's style (what the client reads back).
struct row_text {
  enum class style { print, csv, json, raw, changelog };
  style how;
  std::vector<std::string> names;
  std::vector<data_type> types;
  char delimiter = ',';

  std::string operator()(const row& in) const;
};

} // namespace flinkcpp::sql

#pragma once

// What planning a query (or a table scan, a join, ...) produces: the stream
// of its rows and their columns, whether the stream holds only inserts or a
// changelog, and where a window table function put its window's bounds.

#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/data_stream.hpp"
#include "sql/functions/scalar.hpp"
#include "sql/functions/value.hpp"
#include "sql/planner/row_functions.hpp"

namespace flinkcpp::sql {

/// The columns a window table function (TUMBLE, HOP, CUMULATE) appended.
struct window_columns {
  std::size_t start;
  std::size_t end;
  std::size_t time;
};

/// A SESSION window table function's rows: their window columns hold each
/// row's own session, which only a session aggregate (GROUP BY
/// window_start, window_end) merges.
struct session_window {
  std::size_t time; ///< the rowtime column
  std::int64_t gap; ///< milliseconds
  /// SESSION's PARTITION BY columns (empty: sessions over all rows); none
  /// for GROUP BY SESSION(...), whose sessions are per group.
  std::optional<std::vector<std::size_t>> partition;
};

/// The rows a window table function (TUMBLE, HOP, CUMULATE) took, and its
/// windows: a window aggregation directly over the function's output takes
/// these rows instead and assigns the windows itself (sliced).
struct window_table_input {
  data_stream<row> rows;
  window_assigner_function windows;
};

/// A Calc's input rows and the Calc (its description as EXPLAIN shows it):
/// a Calc over its output merges into it.
struct calc_input {
  data_stream<row> rows;
  calc_function calc;
  std::string description;
};

struct relation {
  data_stream<row> stream;
  std::vector<column_info> columns;
  /// Only +I rows (else the stream is a changelog: -U, +U, -D too).
  bool append_only = true;
  std::optional<window_columns> window;
  std::optional<session_window> session;
  /// While `stream` is a window table function's output.
  std::optional<window_table_input> window_table;
  /// While `stream` is a Calc's output.
  std::optional<calc_input> last_calc;

  /// Makes `rows` the relation's rows: what was known of how the rows
  /// before were made (window_table, last_calc) goes with them.
  void set_stream(data_stream<row> rows) {
    stream = std::move(rows);
    window_table.reset();
    last_calc.reset();
  }

  /// The rows of `stream`, with `columns`, outside any window.
  static relation of(data_stream<row> stream, std::vector<column_info> columns,
                     bool append_only = true) {
    return relation{std::move(stream), std::move(columns), append_only, std::nullopt,
                    std::nullopt,      std::nullopt,       std::nullopt};
  }

  /// Its columns as the scope expressions over its rows compile in.
  scope columns_scope(const function_table* functions = nullptr) const {
    return scope{columns, functions};
  }
};

} // namespace flinkcpp::sql

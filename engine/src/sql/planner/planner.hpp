#pragma once

// Turns queries into DataStream operators, as Flink's planner does in
// streaming mode: a table scan per FROM table (views planned in place), a
// Calc per WHERE and SELECT list, window table functions as a window
// assignment, GROUP BY as a keyed aggregate (a changelog; or, grouped by a
// window table function's window_start and window_end, one append-only row
// per window once the watermark passed it), UNION ALL as a union. Every
// check happens while planning, so that a bad query fails before anything
// runs, with the line and column of its culprit. Not thread-safe; one
// planner per job graph.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "flinkcpp/stream_environment.hpp"
#include "sql/catalog/catalog.hpp"
#include "sql/connectors/table_connectors.hpp"
#include "sql/planner/interval_join_function.hpp"
#include "sql/planner/over_aggregate.hpp"
#include "sql/planner/relation.hpp"
#include "sql/planner/row_functions.hpp"

namespace flinkcpp::sql {

/// What makes a join an interval join: its bounds on left - right of two
/// rowtime columns (indices into the joined row).
struct interval_join_plan {
  std::size_t left_time;
  std::size_t right_time;
  interval_bounds bounds;
};

/// The interval join `parts` (a join's non-equality conditions over the
/// joined row's `both` columns, the left side's `width` first) bound, if
/// they bound left - right from both sides; the conditions it took are
/// removed from `parts`.
std::optional<interval_join_plan> interval_of(std::vector<expr_ptr>& parts, const scope& both,
                                              std::size_t width);

/// The columns read of each table, by name; none: all of them.
using table_reads = std::map<std::string, std::optional<std::set<std::string>>>;

class planner {
public:
  planner(stream_environment& env, const catalog& tables, operator_namer& names)
    : env_(env),
      tables_(tables),
      names_(names) {}

  /// Scans each table in `reads` for those columns: what a first planning
  /// of the same statements read of it (tables_read()), so that one scan
  /// serves every query of a table (Flink's scan reuse), whichever columns
  /// each reads. Before planning.
  void scan_for(table_reads reads) { scan_for_ = std::move(reads); }

  /// The columns the statements planned so far read of each table.
  const table_reads& tables_read() const { return tables_read_; }

  /// The rows of `q`.
  relation plan_query(const query& q);

  /// INSERT INTO: the query's rows, cast to the sink table's columns
  /// (matched by position, or by the column list), written into it.
  void plan_insert(const insert_statement& insert, position at);

  /// A SELECT's rows as the print connector prints them ("+I[a, b]").
  void plan_print(const query& q);

  /// A SELECT's rows as changelog lines (a JSON array of the row kind and
  /// each value, as the SQL client shows them) in the file `path`, written
  /// by one sink subtask.
  void plan_collect(const query& q, const std::string& path);

private:
  /// ORDER BY and LIMIT: a sort by a time attribute, or the first rows.
  relation plan_sort(const query& q);
  /// `reads`: the query whose column names the FROM's tables and views
  /// must keep (`q` itself when null).
  relation plan_select(const query& q, const query* reads = nullptr);
  /// The rest of a SELECT over its FROM's rows: WHERE (unless `where_done`),
  /// GROUP BY, the SELECT list, DISTINCT.
  relation plan_select_over(relation input, const query& q, bool where_done = false);
  relation plan_from(const table_ref& from);
  /// The rows of the table or view `name`, its columns qualified by `alias`
  /// (else by its name); planned once per names read.
  relation plan_named(const std::vector<std::string>& name, const std::string& alias, position at);
  /// The table's scan (of the columns `reads`) or the view's query of
  /// `name` (`object`), planned.
  relation plan_object(const std::vector<std::string>& name, const std::string& qualifier,
                       const std::string& object, const std::optional<std::set<std::string>>& reads,
                       position at);
  /// `view`'s query without the items the SELECT being planned does not
  /// read (when that changes nothing else).
  query_ptr read_items(const view_definition& view) const;
  relation plan_window_function(const table_ref& from);
  /// `input` with each row's windows appended (prefix + window_start,
  /// window_end, window_time); `at` for errors.
  relation with_windows(const relation& input, const window_assigner_function& assign,
                        const std::string& qualifier, const std::string& prefix, position at);
  /// A join; `where`: a WHERE that belongs to it (FROM a, b WHERE ...).
  relation plan_join(const table_ref& join, const expr_ptr& where);
  relation plan_grouped(relation input, const query& given);
  /// Flink's group window GROUP BY TUMBLE / HOP / SESSION(time, ...) at
  /// `window_key` of `q`'s GROUP BY: `input`'s rows with their windows, and
  /// `q` grouping by the windows' bounds (which TUMBLE_START(...), ... read).
  relation plan_group_window(relation& input, query& q, std::size_t window_key);
  /// The Top-N `inner` (a SELECT with ROW_NUMBER() OVER at `rank_item`)
  /// keeping `limit` rows per partition; `with_rank`: whether the row number
  /// is output.
  relation plan_rank(const query& inner, std::size_t rank_item, std::int64_t limit, bool with_rank,
                     const std::string& qualifier);
  relation plan_distinct(relation input, position at);
  /// The aggregate calls OVER (...) of `q`'s SELECT list, each once.
  static std::vector<expr_ptr> over_calls(const query& q, const function_table* functions);
  /// `input`'s rows with the results of `calls` (aggregates OVER one window)
  /// appended, as columns $over0, ...; `q`'s items read those instead.
  relation plan_over(relation input, const std::vector<expr_ptr>& calls, query& q);
  relation plan_values(const query& q);
  relation plan_union(const query& q);
  /// table.exec.state.ttl: how long a group's state lives without updates.
  std::chrono::milliseconds state_ttl() const;
  relation calc(relation input, scalar_ptr condition, std::vector<scalar_ptr> projections,
                std::vector<column_info> columns, const std::string& description);

  stream_environment& env_;
  const catalog& tables_;
  operator_namer& names_;
  /// The views being planned, to refuse a view that uses itself.
  std::vector<std::string> expanding_;
  /// The names the SELECT whose FROM is being planned reads (see
  /// names_read): its tables keep only the columns of those names, its
  /// views only the items; none while it reads every column (a '*').
  std::optional<std::set<std::string>> reads_;
  /// The tables and views planned so far, by name and the names read: read
  /// again, their rows are those same rows (Flink's sub-plan reuse), not a
  /// second scan.
  std::map<std::pair<std::string, std::optional<std::set<std::string>>>, relation> named_;
  table_reads scan_for_;
  table_reads tables_read_;
};

} // namespace flinkcpp::sql

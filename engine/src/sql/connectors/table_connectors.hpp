#pragma once

// The connectors SQL tables read and write through (their 'connector'
// option, with Flink's option names): datagen and filesystem as sources;
// print, blackhole and filesystem as sinks. Options are checked when a
// query uses the table: an unknown option, a missing required one or a bad
// value is a sql_error at that use.

#include <set>
#include <string>

#include "flinkcpp/stream_environment.hpp"
#include "sql/catalog/catalog.hpp"
#include "sql/planner/relation.hpp"

namespace flinkcpp::sql {

/// How the planner names the operators it adds: a deterministic uid per
/// operator ("sql-3-calc"), so that a restarted unchanged script restores
/// its state.
class operator_namer {
public:
  std::string next_uid(const std::string& what) {
    return "sql-" + std::to_string(++count_) + "-" + what;
  }

private:
  int count_ = 0;
};

/// The rows of `table`: every column (physical ones from the connector,
/// computed ones evaluated, metadata ones from the connector), each
/// qualified by `qualifier`; with the table's WATERMARK, timestamps from its
/// rowtime column and watermarks from the expression.
/// `functions`: the user-defined functions computed columns may call.
/// `reads`: when given, only the columns of those names (a name or a dotted
/// suffix of it) and what they and the WATERMARK need are kept (Flink's
/// projection push-down): datagen and registered sources then make only
/// those, other connectors' rows are projected right after the source.
relation scan_table(stream_environment& env, const table_definition& table,
                    const std::string& qualifier, operator_namer& names, position at,
                    const function_table* functions, const std::set<std::string>* reads = nullptr);

/// Writes `rows` (already cast to the table's physical columns, in order)
/// into `table`. Throws sql_error when the connector cannot be written
/// (a source-only connector) or cannot take a changelog (filesystem).
void write_table(const relation& rows, const table_definition& table, operator_namer& names,
                 position at);

/// The physical columns a sink's rows carry (metadata columns that are not
/// VIRTUAL too; computed ones are not written).
std::vector<const table_column*> written_columns(const table_definition& table);

} // namespace flinkcpp::sql

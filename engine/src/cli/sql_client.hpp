#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/rest_client.hpp"

namespace flinkcpp {

/// What `flink-cpp sql-client` was given.
struct sql_client_request {
  std::optional<std::string> script_file; ///< -f; else statements come from stdin
  std::vector<std::string> properties;    ///< -D key=value
  std::optional<std::string> config_dir;
  bool local = true;        ///< -t local (the default): jobs run in an embedded mini-cluster
  rest_endpoint jobmanager; ///< -m: jobs go to this cluster
};

/// Flink's SQL client in embedded mode: reads the statements of the script
/// (or of standard input), runs DDL against its session catalog, prints
/// SHOW, DESCRIBE and SET as tables, submits each INSERT (and statement
/// set) as a `sql` job and, in local mode, runs each SELECT and prints its
/// rows as a table (or as a changelog with SET
/// 'sql-client.execution.result-mode' = 'changelog'). Stops at the first
/// failing statement, printing "[ERROR] ..." with line, column and a
/// caret; returns 0 when every statement succeeded, else 1.
int run_sql_client(const sql_client_request& request);

} // namespace flinkcpp

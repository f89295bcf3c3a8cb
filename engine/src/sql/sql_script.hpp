#pragma once

// A SQL script as a job: its DDL replayed into a fresh catalog, its INSERT
// statements (and statement sets) planned into one job graph, its SELECT
// statements printed as the print connector prints rows (or collected into
// a file for the SQL client). The built-in job `sql` runs this:
//
//   flink-cpp run -t local sql --file script.sql
//
// SET statements are configuration: the CLI reads them before the job's
// configuration is loaded (script_settings) and applies them as -D; the
// graph builder skips them.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/job_args.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

/// A script's text and what to call it in errors.
struct script_source {
  std::string text;
  std::string name; ///< the file's path, or "<script>"
};

/// The script in the file `path` (read whole). Throws job_argument_error
/// when it cannot be read.
script_source read_script_file(const std::string& path);

/// The script a job's arguments give: `--script TEXT`, or the file `--file
/// PATH` (read whole). Throws job_argument_error when neither or both are
/// given, or when the file cannot be read.
script_source read_script_source(const job_args& args);

/// The key/value pairs of the script's SET statements, in order. Throws
/// job_argument_error (with line, column and a caret) when the script does
/// not parse.
std::vector<std::pair<std::string, std::string>> script_settings(const script_source& script);

/// Plans every statement of `script` into `env`: DDL, then INSERTs and
/// SELECTs. `collect_path`: where SELECT rows go as changelog lines (the
/// client's), else they are printed. Throws job_argument_error with the
/// described sql_error when the script is wrong, or when it has nothing to
/// run (no INSERT and no SELECT).
void build_sql_job(stream_environment& env, const script_source& script,
                   const std::optional<std::string>& collect_path);

} // namespace flinkcpp::sql

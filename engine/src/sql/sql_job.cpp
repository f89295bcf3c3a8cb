// The built-in job `sql`: a Flink SQL script as one job (application mode).
//
//   flink-cpp run -t local [-p N] sql --file script.sql
//   flink-cpp run ... sql --script "CREATE TABLE ...; INSERT INTO ..."
//
// The SQL client submits its INSERT and SELECT statements as this job, with
// --script (the DDL it ran before, then the statement) and, for a SELECT,
// --collect PATH (the file its rows go to).

#include "flinkcpp/flinkcpp.hpp"
#include "sql/sql_script.hpp"

FLINKCPP_JOB(sql, "Runs a Flink SQL script (--file PATH or --script TEXT)")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto script = flinkcpp::sql::read_script_source(args);
  flinkcpp::sql::build_sql_job(env, script, args.get("collect"));
}

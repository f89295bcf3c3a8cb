#include "config/table_options.hpp"

#include "config/config_values.hpp"

namespace flinkcpp::options {

namespace {

result<std::chrono::milliseconds> non_negative(std::string_view text) {
  auto d = parse_duration(text);
  if (d && d->count() < 0)
    return failure{"a duration of zero or more, such as '0 ms' or '1 h'"};
  return d;
}

} // namespace

const config_option<std::chrono::milliseconds> table_exec_state_ttl{
  "table.exec.state.ttl", std::chrono::milliseconds{0}, non_negative,
  "How long a SQL query keeps the state of a group (or key) no row has updated, in processing "
  "time; a group whose state expired starts again from nothing. 0 keeps state forever."};

const config_option<bool> table_exec_mini_batch_enabled{
  "table.exec.mini-batch.enabled", false, parse_boolean,
  "Accepted as in Flink; flink-cpp's SQL aggregates emit each change as it comes (its "
  "operators already batch records between tasks), so results are those of Flink without "
  "mini-batches."};

const config_option<std::chrono::milliseconds> table_exec_mini_batch_allow_latency{
  "table.exec.mini-batch.allow-latency", std::chrono::milliseconds{0}, non_negative,
  "Accepted with table.exec.mini-batch.enabled (see there)."};

const config_option<std::int64_t> table_exec_mini_batch_size{
  "table.exec.mini-batch.size", -1,
  [](std::string_view text) { return parse_integer(text, -1, INT64_MAX); },
  "Accepted with table.exec.mini-batch.enabled (see there)."};

const config_option<std::string> table_local_time_zone{
  "table.local-time-zone", "UTC",
  [](std::string_view text) -> result<std::string> {
    if (text == "UTC" || text == "default" || text == "Z" || text == "GMT")
      return std::string{"UTC"};
    return failure{"UTC: flink-cpp's SQL reads and writes TIMESTAMP_LTZ values in UTC"};
  },
  "The session time zone of TIMESTAMP_LTZ values and CURRENT_TIMESTAMP; flink-cpp runs in UTC."};

const config_option<bool> table_dml_sync{
  "table.dml-sync", false, parse_boolean,
  "Whether the SQL client waits for each INSERT's job to end (it always does in the embedded "
  "mini-cluster, -t local)."};

const config_option<std::string> sql_client_result_mode{
  "sql-client.execution.result-mode", "table",
  [](std::string_view text) {
    return parse_choice(text, {"table", "changelog", "tableau"});
  },
  "How the SQL client shows a SELECT's rows: table (the final rows), changelog or tableau "
  "(every change, with its kind)."};

std::vector<option_info> table_options() {
  return {describe(table_exec_state_ttl),
          describe(table_exec_mini_batch_enabled),
          describe(table_exec_mini_batch_allow_latency),
          describe(table_exec_mini_batch_size),
          describe(table_local_time_zone),
          describe(table_dml_sync),
          describe(sql_client_result_mode)};
}

} // namespace flinkcpp::options

#include "sql/sql_script.hpp"

#include <fstream>
#include <sstream>
#include <type_traits>

#include "config/core_options.hpp"
#include "flinkcpp/job_args.hpp"
#include "sql/catalog/catalog.hpp"
#include "sql/parser/parse.hpp"
#include "sql/planner/planner.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

std::vector<statement> parse_or_describe(const script_source& script) {
  try {
    return parse_script(script.text);
  } catch (const sql_error& e) {
    throw job_argument_error(describe(e, script.text, script.name));
  }
}

} // namespace

script_source read_script_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    throw job_argument_error("cannot read the SQL script '" + path +
                             "': no such file or not readable");
  std::ostringstream content;
  content << in.rdbuf();
  return {content.str(), path};
}

script_source read_script_source(const job_args& args) {
  auto file = args.get("file");
  auto text = args.get("script");
  if (file && text)
    throw job_argument_error("give the script either as --file PATH or as --script TEXT, not both");
  if (text)
    return {*text, "<script>"};
  if (!file)
    throw job_argument_error("missing script: expected --file PATH (a Flink SQL script) or "
                             "--script TEXT");
  return read_script_file(*file);
}

std::vector<std::pair<std::string, std::string>> script_settings(const script_source& script) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& s : parse_or_describe(script))
    if (const auto* set = std::get_if<set_statement>(&s.body); set && set->key)
      out.emplace_back(*set->key, set->value);
  return out;
}

namespace {

/// Runs the script's statements against `tables` (DDL) and `plan` (INSERTs
/// and SELECTs). Returns whether any makes the job run.
bool plan_statements(const std::vector<statement>& statements, catalog& tables, planner& plan,
                     const std::optional<std::string>& collect_path) {
  bool runs = false;
  for (const auto& s : statements) {
    std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, create_table>) {
          tables.create_table(body, s.at);
        } else if constexpr (std::is_same_v<T, create_view>) {
          tables.create_view(body, s.at, s.text);
        } else if constexpr (std::is_same_v<T, drop_object>) {
          tables.drop(body, s.at);
        } else if constexpr (std::is_same_v<T, insert_statement>) {
          plan.plan_insert(body, s.at);
          runs = true;
        } else if constexpr (std::is_same_v<T, statement_set>) {
          for (const auto& insert : body.inserts)
            plan.plan_insert(insert, s.at);
          runs = true;
        } else if constexpr (std::is_same_v<T, select_statement>) {
          if (collect_path)
            plan.plan_collect(*body.body, *collect_path);
          else
            plan.plan_print(*body.body);
          runs = true;
        } else if constexpr (std::is_same_v<T, set_statement> ||
                             std::is_same_v<T, reset_statement>) {
          // Configuration: applied before the job's configuration loaded.
        } else if constexpr (std::is_same_v<T, create_function>) {
          tables.create_function(body, s.at);
        } else {
          throw sql_error(s.at, "this statement (SHOW, DESCRIBE, EXPLAIN) has no place in a "
                                "job script: run it in the SQL client (flink-cpp sql-client)");
        }
      },
      s.body);
  }
  return runs;
}

} // namespace

void build_sql_job(stream_environment& env, const script_source& script,
                   const std::optional<std::string>& collect_path) {
  auto statements = parse_or_describe(script);
  if (options::runtime_mode.get(env.config()) == "BATCH")
    throw job_argument_error(script.name + ": flink-cpp runs SQL in STREAMING mode only "
                                           "(execution.runtime-mode is BATCH)");
  bool runs = false;
  try {
    // Planned twice: first to learn which columns the queries read of each
    // table, then for the job, each table scanned once for all of them.
    table_reads reads;
    {
      stream_environment scratch{env.config()};
      catalog tables;
      operator_namer names;
      planner first{scratch, tables, names};
      plan_statements(statements, tables, first, collect_path);
      reads = first.tables_read();
    }
    catalog tables;
    operator_namer names;
    planner plan{env, tables, names};
    plan.scan_for(std::move(reads));
    runs = plan_statements(statements, tables, plan, collect_path);
  } catch (const sql_error& e) {
    throw job_argument_error(describe(e, script.text, script.name));
  }
  if (!runs)
    throw job_argument_error(script.name + ": the script has no INSERT INTO and no SELECT: "
                                           "nothing to run");
}

} // namespace flinkcpp::sql

#include "sql/session.hpp"

#include <algorithm>

#include "flinkcpp/flinkcpp.hpp"
#include "sql/parser/unparse.hpp"
#include "sql/planner/explain.hpp"
#include "sql/planner/planner.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

void session::apply_ddl(const statement& s) {
  if (const auto* t = std::get_if<create_table>(&s.body))
    tables_.create_table(*t, s.at);
  else if (const auto* v = std::get_if<create_view>(&s.body))
    tables_.create_view(*v, s.at, s.text);
  else if (const auto* d = std::get_if<drop_object>(&s.body))
    tables_.drop(*d, s.at);
  else if (const auto* f = std::get_if<create_function>(&s.body))
    tables_.create_function(*f, s.at);
  else
    throw sql_error(s.at, "not a DDL statement");
  ddl_.push_back(s.text);
}

void session::set(const std::string& key, const std::string& value) {
  auto it = std::find_if(settings_.begin(), settings_.end(),
                         [&](const auto& kv) { return kv.first == key; });
  if (it != settings_.end())
    it->second = value;
  else
    settings_.emplace_back(key, value);
}

void session::reset(const std::optional<std::string>& key) {
  if (!key) {
    settings_.clear();
    return;
  }
  settings_.erase(std::remove_if(settings_.begin(), settings_.end(),
                                 [&](const auto& kv) { return kv.first == *key; }),
                  settings_.end());
}

std::optional<std::string> session::setting(const std::string& key) const {
  for (const auto& [k, v] : settings_)
    if (k == key)
      return v;
  return std::nullopt;
}

table_result session::show(const show_statement& s, position at) const {
  if (s.what == "TABLES") {
    table_result out{{"table name"}, {}};
    for (const auto& name : tables_.table_names())
      out.rows.push_back({name});
    return out;
  }
  if (s.what == "VIEWS") {
    table_result out{{"view name"}, {}};
    for (const auto& name : tables_.view_names())
      out.rows.push_back({name});
    return out;
  }
  if (s.what == "CATALOGS")
    return {{"catalog name"}, {{"default_catalog"}}};
  if (s.what == "DATABASES")
    return {{"database name"}, {{"default_database"}}};
  throw sql_error(at, "SHOW " + s.what +
                        " is not supported: SHOW TABLES, VIEWS, CATALOGS and "
                        "DATABASES are");
}

table_result session::describe(const describe_statement& s, position at) const {
  table_result out{{"name", "type", "null", "key", "extras", "watermark"}, {}};
  if (const auto* t = tables_.find_table(s.name)) {
    std::string key;
    if (!t->primary_key.empty()) {
      key = "PRI(";
      for (std::size_t i = 0; i < t->primary_key.size(); ++i)
        key += (i ? ", " : "") + t->primary_key[i];
      key += ")";
    }
    for (const auto& c : t->columns) {
      std::string extras;
      if (c.what == table_column::kind::computed)
        extras = "AS " + to_sql(*c.expression);
      else if (c.what == table_column::kind::metadata)
        extras = "METADATA FROM '" + c.metadata_key + "'" + (c.is_virtual ? " VIRTUAL" : "");
      auto type = c.type;
      type.nullable = true;
      bool in_key =
        std::find(t->primary_key.begin(), t->primary_key.end(), c.name) != t->primary_key.end();
      std::string watermark;
      if (t->watermark && t->watermark->column == c.name)
        watermark = to_sql(*t->watermark->expression);
      out.rows.push_back({c.name, to_string(type), c.type.nullable ? "TRUE" : "FALSE",
                          in_key ? key : "", extras, watermark});
    }
    return out;
  }
  if (const auto* v = tables_.find_view(s.name)) {
    for (const auto& c : result_columns(*v->query)) {
      auto type = c.type;
      type.nullable = true;
      out.rows.push_back({c.name, to_string(type), c.type.nullable ? "TRUE" : "FALSE", "", "", ""});
    }
    if (!v->column_names.empty())
      for (std::size_t i = 0; i < out.rows.size() && i < v->column_names.size(); ++i)
        out.rows[i][0] = v->column_names[i];
    return out;
  }
  throw sql_error(at, "object '" + catalog::object_name(s.name, at) +
                        "' not found: no table or view has that name");
}

std::string session::job_script(const statement& s) const {
  std::string out;
  for (const auto& ddl : ddl_)
    out += ddl + ";\n";
  return out + s.text + ";\n";
}

std::vector<column_info> session::result_columns(const query& q) const {
  stream_environment scratch;
  operator_namer names;
  planner plan{scratch, tables_, names};
  return plan.plan_query(q).columns;
}

namespace {

/// Plans an INSERT, statement set or SELECT (printed) into `plan`.
void plan_statement(planner& plan, const statement& s) {
  if (const auto* insert = std::get_if<insert_statement>(&s.body))
    plan.plan_insert(*insert, s.at);
  else if (const auto* set = std::get_if<statement_set>(&s.body))
    for (const auto& i : set->inserts)
      plan.plan_insert(i, s.at);
  else if (const auto* select = std::get_if<select_statement>(&s.body))
    plan.plan_print(*select->body);
}

} // namespace

void session::check(const statement& s) const {
  stream_environment scratch;
  operator_namer names;
  planner plan{scratch, tables_, names};
  plan_statement(plan, s);
}

std::string session::explain(const explain_statement& e) const {
  // As the job plans it: first what it reads of each table (see
  // build_sql_job).
  table_reads reads;
  {
    stream_environment scratch;
    operator_namer names;
    planner first{scratch, tables_, names};
    plan_statement(first, e.inner);
    reads = first.tables_read();
  }
  stream_environment scratch;
  operator_namer names;
  planner plan{scratch, tables_, names};
  plan.scan_for(std::move(reads));
  plan_statement(plan, e.inner);
  return explain_plan(scratch.graph());
}

} // namespace flinkcpp::sql

#include "sql/catalog/catalog.hpp"

#include <algorithm>
#include <set>

#include "sql/functions/scalar.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

std::optional<std::string> table_definition::option(const std::string& key) const {
  for (const auto& [k, v] : options)
    if (k == key)
      return v;
  return std::nullopt;
}

std::optional<std::size_t> table_definition::column_index(const std::string& column) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == column)
      return i;
  return std::nullopt;
}

namespace {

/// A physical ROW column as the physical columns of its fields, named
/// "column.field" (nested ROWs: "column.field.inner"), which expressions
/// name as `column.field` (see scope::resolve).
void add_row_fields(const std::string& prefix, const type_syntax& row, std::set<std::string>& names,
                    std::vector<table_column>& columns, scope& base) {
  if (row.fields.empty())
    throw sql_error(row.at, "the ROW column '" + prefix + "' needs at least one field");
  for (const auto& f : row.fields) {
    auto name = prefix + "." + f.name;
    if (f.type.kind == "ROW") {
      add_row_fields(name, f.type, names, columns, base);
      continue;
    }
    if (!names.insert(name).second)
      throw sql_error(f.type.at, "the field '" + name + "' is declared twice");
    table_column column;
    column.name = name;
    column.type = resolve_type(f.type);
    column.metadata_key = name;
    base.columns.push_back({name, {}, column.type});
    columns.push_back(std::move(column));
  }
}

} // namespace

std::string catalog::object_name(const std::vector<std::string>& name, position at) {
  if (name.size() > 3)
    throw sql_error(at, "a name has at most three parts (catalog.database.object)");
  if (name.size() == 3 && name[0] != "default_catalog")
    throw sql_error(at, "unknown catalog '" + name[0] + "': flink-cpp has default_catalog only");
  if (name.size() >= 2 && name[name.size() - 2] != "default_database")
    throw sql_error(at, "unknown database '" + name[name.size() - 2] +
                          "': flink-cpp has default_database only");
  return name.back();
}

void catalog::create_table(const sql::create_table& ddl, position at) {
  auto name = object_name(ddl.name, at);
  if (tables_.count(name) || views_.count(name)) {
    if (ddl.if_not_exists)
      return;
    throw sql_error(at, "a table or view named '" + name + "' exists already");
  }
  table_definition t;
  t.name = name;
  t.comment = ddl.comment;
  t.temporary = ddl.temporary;
  std::set<std::string> names;
  scope base; // physical and metadata columns: what computed columns may use
  base.functions = &functions_;
  for (const auto& c : ddl.columns) {
    if (c.what == column_definition::kind::physical && c.type.kind == "ROW") {
      add_row_fields(c.name, c.type, names, t.columns, base);
      continue;
    }
    if (!names.insert(c.name).second)
      throw sql_error(c.at, "the column '" + c.name + "' is declared twice");
    table_column column;
    column.name = c.name;
    column.what = c.what == column_definition::kind::physical   ? table_column::kind::physical
                  : c.what == column_definition::kind::computed ? table_column::kind::computed
                                                                : table_column::kind::metadata;
    if (c.what != column_definition::kind::computed) {
      column.type = resolve_type(c.type);
      base.columns.push_back({c.name, {}, column.type});
    }
    column.metadata_key = c.metadata_key.empty() ? c.name : c.metadata_key;
    column.is_virtual = c.is_virtual;
    column.expression = c.expression;
    t.columns.push_back(std::move(column));
  }
  if (t.columns.empty())
    throw sql_error(at, "a table needs at least one column");
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    auto& column = t.columns[i];
    if (column.what == table_column::kind::computed)
      column.type = compile_scalar(*column.expression, base)->type();
  }
  if (ddl.watermark) {
    const auto& w = *ddl.watermark;
    auto index = t.column_index(w.column);
    if (!index)
      throw sql_error(w.at, "the WATERMARK's rowtime column '" + w.column +
                              "' is not a column "
                              "of the table");
    auto& rowtime = t.columns[*index].type;
    if (!is_timestamp(rowtime.root) || rowtime.precision > 3)
      throw sql_error(w.at, "the rowtime column '" + w.column +
                              "' must be TIMESTAMP(3) or "
                              "TIMESTAMP_LTZ(3) (or of lower precision), not " +
                              to_string(rowtime));
    scope all;
    all.functions = &functions_;
    for (const auto& c : t.columns)
      all.columns.push_back({c.name, {}, c.type});
    auto strategy = compile_scalar(*w.expression, all)->type();
    if (!is_timestamp(strategy.root))
      throw sql_error(w.expression->at, "the WATERMARK expression must give a TIMESTAMP(3), "
                                        "not " +
                                          to_string(strategy));
    rowtime.rowtime = true;
    t.watermark = w;
  }
  for (const auto& k : ddl.primary_key) {
    auto index = t.column_index(k);
    if (!index)
      throw sql_error(at, "the primary key's column '" + k + "' is not a column of the table");
    t.columns[*index].type.nullable = false;
  }
  t.primary_key = ddl.primary_key;
  std::set<std::string> keys;
  for (const auto& [k, v] : ddl.options)
    if (!keys.insert(k).second)
      throw sql_error(at, "the option '" + k + "' is given twice");
  t.options = ddl.options;
  if (!t.option("connector"))
    throw sql_error(at, "the table '" + name +
                          "' has no 'connector' option: expected WITH "
                          "('connector' = '...', ...)");
  tables_.emplace(name, std::move(t));
}

void catalog::create_view(const sql::create_view& ddl, position at, std::string text) {
  auto name = object_name(ddl.name, at);
  if (tables_.count(name) || views_.count(name)) {
    if (ddl.if_not_exists)
      return;
    throw sql_error(at, "a table or view named '" + name + "' exists already");
  }
  views_.emplace(name, view_definition{name, ddl.column_names, ddl.definition, std::move(text)});
}

void catalog::create_function(const sql::create_function& ddl, position at) {
  if (!ddl.language.empty() && ddl.language != "CPP")
    throw sql_error(at, "functions in " + ddl.language +
                          " are not supported: flink-cpp runs LANGUAGE CPP functions from job "
                          "libraries (USING JAR 'local:///path/lib.so')");
  functions_.create(upper_case(object_name(ddl.name, at)), ddl.class_name, ddl.using_jars,
                    ddl.if_not_exists, at);
}

void catalog::drop(const drop_object& ddl, position at) {
  auto name = object_name(ddl.name, at);
  if (ddl.what == drop_object::kind::function) {
    if (!functions_.drop(upper_case(name)) && !ddl.if_exists)
      throw sql_error(at, "no function named '" + name + "' exists");
    return;
  }
  auto kind = ddl.what == drop_object::kind::table ? "table" : "view";
  bool erased = false;
  switch (ddl.what) {
    case drop_object::kind::table:
      if (views_.count(name))
        throw sql_error(at, "'" + name + "' is a view: DROP VIEW drops it");
      erased = tables_.erase(name) > 0;
      break;
    case drop_object::kind::view:
      if (tables_.count(name))
        throw sql_error(at, "'" + name + "' is a table: DROP TABLE drops it");
      erased = views_.erase(name) > 0;
      break;
    case drop_object::kind::function:
      break;
  }
  if (!erased && !ddl.if_exists)
    throw sql_error(at, std::string{"no "} + kind + " named '" + name + "' exists");
}

const table_definition* catalog::find_table(const std::vector<std::string>& name) const {
  auto it = tables_.find(name.back());
  return it == tables_.end() ? nullptr : &it->second;
}

const view_definition* catalog::find_view(const std::vector<std::string>& name) const {
  auto it = views_.find(name.back());
  return it == views_.end() ? nullptr : &it->second;
}

std::vector<std::string> catalog::table_names() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : tables_)
    out.push_back(name);
  for (const auto& [name, v] : views_)
    out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> catalog::view_names() const {
  std::vector<std::string> out;
  for (const auto& [name, v] : views_)
    out.push_back(name);
  return out;
}

} // namespace flinkcpp::sql

#pragma once

// The tables and views a SQL session knows (Flink's
// default_catalog.default_database): what CREATE TABLE and CREATE VIEW
// declared, checked when declared. Names are case-sensitive, as Flink's;
// a name may be qualified as default_catalog.default_database.name or
// default_database.name. Not thread-safe: one session's, used from one
// thread.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sql/catalog/data_type.hpp"
#include "sql/functions/user_functions.hpp"
#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

/// A column of a table. A physical ROW column is held as a physical
/// column per field, named "column.field" (expressions name it as
/// column.field or table.column.field).
struct table_column {
  enum class kind { physical, computed, metadata };
  kind what = kind::physical;
  std::string name;
  data_type type;
  expr_ptr expression;      ///< computed columns
  std::string metadata_key; ///< metadata columns: the key (the name when not given)
  bool is_virtual = false;  ///< metadata columns not written by a sink
};

struct table_definition {
  std::string name;
  std::vector<table_column> columns;
  std::optional<watermark_definition> watermark;
  std::vector<std::string> primary_key;
  std::vector<std::pair<std::string, std::string>> options;
  std::string comment;
  bool temporary = false;

  /// The value of option `key`, if given.
  std::optional<std::string> option(const std::string& key) const;

  /// The index of column `name`, if there is one.
  std::optional<std::size_t> column_index(const std::string& name) const;
};

struct view_definition {
  std::string name;
  std::vector<std::string> column_names; ///< CREATE VIEW v (a, b): empty when not given
  query_ptr query;
  std::string text; ///< the CREATE VIEW statement, for SHOW CREATE VIEW and EXPLAIN
};

class catalog {
public:
  /// Adds a table; throws sql_error (at the offending column, option or
  /// name) for a duplicate name (unless IF NOT EXISTS), duplicate or unknown
  /// columns, a computed column naming an unknown column, a WATERMARK on a
  /// column that is no TIMESTAMP(3) / TIMESTAMP_LTZ(3) or whose expression
  /// has another type, a primary key naming an unknown column, and a
  /// missing 'connector' option.
  void create_table(const create_table& ddl, position at);

  /// Adds a view (its query is checked when the view is used).
  void create_view(const create_view& ddl, position at, std::string text);

  /// Declares a user-defined function (CREATE FUNCTION ... LANGUAGE CPP
  /// USING JAR '...'): see function_table::create.
  void create_function(const create_function& ddl, position at);

  /// The user-defined functions declared so far.
  const function_table& functions() const { return functions_; }

  /// Removes a table, view or function; throws sql_error when it does not
  /// exist (unless IF EXISTS) or is of the other kind.
  void drop(const drop_object& ddl, position at);

  const table_definition* find_table(const std::vector<std::string>& name) const;
  const view_definition* find_view(const std::vector<std::string>& name) const;

  /// Tables and views, sorted (SHOW TABLES lists both, as Flink).
  std::vector<std::string> table_names() const;
  std::vector<std::string> view_names() const;

  /// The object name `name` stands for (its last part), after checking
  /// that a qualified name names the default catalog and database.
  static std::string object_name(const std::vector<std::string>& name, position at);

private:
  std::map<std::string, table_definition> tables_;
  std::map<std::string, view_definition> views_;
  function_table functions_;
};

} // namespace flinkcpp::sql

#pragma once

// What the SQL client keeps between statements: the catalog its DDL built
// (with each DDL statement's text, replayed into every job it submits), and
// its SET properties. Not thread-safe; one client's.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sql/catalog/catalog.hpp"
#include "sql/functions/scalar.hpp"
#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

/// A result the client prints as a table.
struct table_result {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

class session {
public:
  /// Runs CREATE TABLE / VIEW / FUNCTION or DROP against the catalog and
  /// remembers its text. Throws sql_error when the statement is wrong.
  void apply_ddl(const statement& s);

  /// SET 'key' = 'value' (later SETs of a key replace earlier ones) and
  /// RESET ['key'].
  void set(const std::string& key, const std::string& value);
  void reset(const std::optional<std::string>& key);
  const std::vector<std::pair<std::string, std::string>>& settings() const { return settings_; }
  std::optional<std::string> setting(const std::string& key) const;

  /// SHOW TABLES, SHOW VIEWS; throws sql_error for what it cannot show.
  table_result show(const show_statement& s, position at) const;

  /// DESCRIBE t: its columns, as Flink's client shows them (name, type,
  /// null, key, extras, watermark).
  table_result describe(const describe_statement& s, position at) const;

  /// The script of a job that runs `s` (an INSERT, a statement set or a
  /// SELECT): every DDL statement so far, then `s`.
  std::string job_script(const statement& s) const;

  /// The columns of a SELECT's rows; plans it (in a scratch graph) and so
  /// throws sql_error for everything a job would refuse.
  std::vector<column_info> result_columns(const query& q) const;

  /// Plans an INSERT or statement set in a scratch graph: throws sql_error
  /// for everything a job would refuse.
  void check(const statement& s) const;

  /// EXPLAIN: the plan of a SELECT, INSERT or statement set, as Flink's
  /// "== Optimized Execution Plan ==" (a SELECT ends in a print sink).
  std::string explain(const explain_statement& e) const;

private:
  catalog tables_;
  std::vector<std::string> ddl_;
  std::vector<std::pair<std::string, std::string>> settings_;
};

} // namespace flinkcpp::sql

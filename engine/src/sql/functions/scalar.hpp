#pragma once

// Scalar expressions compiled against the columns of their input: each
// column name resolved to a field index, each function and operator to its
// implementation, each node's SQL type inferred as Flink infers it. A
// compiled expression is immutable and evaluated on any thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/catalog/data_type.hpp"
#include "sql/functions/value.hpp"
#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

/// A column an expression can name: `qualifier.name` or just `name`.
struct column_info {
  std::string name;
  std::string qualifier; ///< the table's name or alias; empty when none
  data_type type;
};

class function_table;

/// The columns of an expression's input row, in field order, and the
/// user-defined functions it may call.
struct scope {
  std::vector<column_info> columns;
  const function_table* functions = nullptr;

  /// The field index `name` (one part, or qualifier and column; a ROW
  /// column's field "row.field" as row.field or qualifier.row.field)
  /// refers to. Throws sql_error at `at` when no column or more than one
  /// has that name, listing the columns there are.
  std::size_t resolve(const std::vector<std::string>& name, position at) const;

  /// Whether `name` refers to exactly one column.
  bool has(const std::vector<std::string>& name) const;
};

/// A compiled expression.
class scalar {
public:
  explicit scalar(data_type type) : type_(type) {}
  virtual ~scalar() = default;
  scalar(const scalar&) = delete;
  scalar& operator=(const scalar&) = delete;

  /// The expression's value for the row `input` (of the scope it was
  /// compiled against). Throws std::runtime_error on a run-time error
  /// (division by zero, a CAST of text that holds no such value): the job
  /// fails, as Flink's does.
  virtual value eval(const row& input) const = 0;

  /// The input field this expression is a plain reference to, if it is one
  /// (a Calc may then move the value instead of copying it).
  virtual std::optional<std::size_t> field_index() const { return std::nullopt; }

  const data_type& type() const { return type_; }

private:
  data_type type_;
};

using scalar_ptr = std::shared_ptr<const scalar>;

/// Compiles `e` against `columns`. Throws sql_error at the offending node
/// for an unknown column or function, arguments of the wrong number or type,
/// an aggregate function (they belong to GROUP BY queries, planned apart)
/// and a feature not supported (subqueries, OVER outside ROW_NUMBER).
scalar_ptr compile_scalar(const expr& e, const scope& columns);

/// A compiled reference to field `index` of type `type`.
scalar_ptr field_reference(std::size_t index, data_type type);

/// A compiled constant.
scalar_ptr constant(value v, data_type type);

/// `v` of `from` converted to `to` as CAST does; throws std::runtime_error
/// when the conversion fails (TRY_CAST gives NULL instead).
value cast_value(const value& v, const data_type& from, const data_type& to);

/// Whether CAST can convert `from` to `to` at all.
bool castable(const data_type& from, const data_type& to);

/// The value of an INTERVAL literal: milliseconds (day-time units) or months
/// (YEAR, MONTH), and its type. Throws sql_error for a bad count or unit.
std::pair<value, data_type> interval_value(const expr& literal);

/// Whether `name` (upper-case) is an aggregate function: COUNT, SUM, MIN,
/// MAX, AVG, ..., or one of `functions` (may be null) declared.
bool is_aggregate_function(const std::string& name, const function_table* functions);

/// Whether `e` contains a call of an aggregate function (outside an OVER).
bool contains_aggregate(const expr& e, const function_table* functions);

/// Upper-cases ASCII letters.
std::string upper_case(std::string s);

} // namespace flinkcpp::sql

#pragma once

// User-defined scalar and aggregate functions (CREATE FUNCTION ... LANGUAGE
// CPP USING JAR 'local:///...so'): the functions a script declared, by
// their SQL name, each bound to what a job library (or the binary itself)
// registered (flinkcpp/sql_function.hpp).

#include <map>
#include <string>
#include <vector>

#include "flinkcpp/sql_function.hpp"
#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

class function_table {
public:
  /// Declares `name` (upper-case) as the function `class_name` that one of
  /// `libraries` (paths, or local:// URIs) registers: loads them (once per
  /// process). Throws sql_error at `at` when a library cannot be loaded,
  /// registers no such function, or was built for another ABI, and when
  /// `name` is declared already (unless `if_not_exists`).
  void create(const std::string& name, const std::string& class_name,
              const std::vector<std::string>& libraries, bool if_not_exists, position at);

  /// Forgets `name`; false when it was not declared.
  bool drop(const std::string& name);

  /// The scalar function declared as `name` (upper-case), or null.
  const detail::sql_function_definition* find(const std::string& name) const;

  /// The aggregate function declared as `name` (upper-case), or null.
  const detail::sql_aggregate_definition* find_aggregate(const std::string& name) const;

private:
  std::map<std::string, const detail::sql_function_definition*> functions_;
  std::map<std::string, const detail::sql_aggregate_definition*> aggregates_;
};

/// The SQL type of a user-defined function's parameter or result type.
data_type udf_type(sql_function_type t);

/// `v` (of SQL type `from`) as a user-defined function's argument of type
/// `to`.
sql_value to_udf(const value& v, const data_type& from, sql_function_type to);

/// A user-defined function's result as a value.
value from_udf(const sql_value& v);

/// The values of `args` for row `in` as a user-defined function with
/// `parameters` takes them.
std::vector<sql_value> udf_arguments(const std::vector<scalar_ptr>& args,
                                     const std::vector<sql_function_type>& parameters,
                                     const row& in);

/// Throws sql_error at `at` when `args` do not fit `parameters` (their
/// number or types) of the user-defined function `name`.
void check_user_arguments(const std::string& name, const std::vector<sql_function_type>& parameters,
                          const std::vector<scalar_ptr>& args, position at);

/// A call of the user-defined function `f` (named `name` in the script) on
/// `args`; throws sql_error at `at` for arguments of the wrong number or
/// type.
scalar_ptr compile_user_function(const std::string& name, const detail::sql_function_definition& f,
                                 std::vector<scalar_ptr> args, position at);

} // namespace flinkcpp::sql

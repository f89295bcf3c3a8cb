#pragma once

// User-defined scalar functions (CREATE FUNCTION ... LANGUAGE CPP USING JAR
// 'local:///...so'): the functions a script declared, by their SQL name,
// each bound to what a job library registered (flinkcpp/sql_function.hpp).

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

  /// The function declared as `name` (upper-case), or null.
  const detail::sql_function_definition* find(const std::string& name) const;

private:
  std::map<std::string, const detail::sql_function_definition*> functions_;
};

/// A call of the user-defined function `f` (named `name` in the script) on
/// `args`; throws sql_error at `at` for arguments of the wrong number or
/// type.
scalar_ptr compile_user_function(const std::string& name, const detail::sql_function_definition& f,
                                 std::vector<scalar_ptr> args, position at);

} // namespace flinkcpp::sql

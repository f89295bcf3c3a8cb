#pragma once

// The compiled operators (internal to sql/functions): each checks its
// operands' types (throwing sql_error at `at`) and infers its result's.

#include <string>
#include <string_view>
#include <vector>

#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

/// + - * / % on numbers (wrapping on overflow as Java does; division by zero
/// fails the job), and TIMESTAMP or DATE plus or minus a day-time interval.
scalar_ptr arithmetic(const std::string& op, const scalar_ptr& a, const scalar_ptr& b, position at);

/// Unary minus.
scalar_ptr negate_number(const scalar_ptr& a, position at);

/// = <> < > <= >= (NULL when either side is NULL).
scalar_ptr comparison(const std::string& op, const scalar_ptr& a, const scalar_ptr& b, position at);

/// -1, 0 or 1: `x` (of `tx`) against `y` (of `ty`); neither is NULL.
int compare_values(const value& x, const data_type& tx, const value& y, const data_type& ty);

/// Throws sql_error unless values of `a` and `b` can be compared.
void check_comparable(const std::string& op, const data_type& a, const data_type& b, position at);

/// AND, OR in three-valued logic.
scalar_ptr logic(const std::string& op, const scalar_ptr& a, const scalar_ptr& b, position at);
scalar_ptr logical_not(const scalar_ptr& a, position at);

/// IS [NOT] NULL, IS [NOT] TRUE, IS [NOT] FALSE (never NULL).
scalar_ptr truth_test(const std::string& op, const scalar_ptr& a, position at);

/// SQL's LIKE: '%' any run, '_' any one character, `escape` before either
/// for itself.
bool like_match(std::string_view text, std::string_view pattern, char escape);
scalar_ptr like(const scalar_ptr& a, const scalar_ptr& pattern, position at);

/// a IN (candidates...).
scalar_ptr in_list(const scalar_ptr& a, std::vector<scalar_ptr> candidates, position at);

} // namespace flinkcpp::sql

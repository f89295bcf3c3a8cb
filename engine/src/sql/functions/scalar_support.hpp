#pragma once

// What the scalar compiler's files share (internal to sql/functions): a
// compiled expression made of a function, numeric conversions, and the
// compilers of literals, calls, casts and CASE.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

/// A compiled expression that calls `fn`.
template <class F>
scalar_ptr make_scalar(data_type type, F fn) {
  class function_scalar final : public scalar {
  public:
    function_scalar(data_type t, F f) : scalar(t), fn_(std::move(f)) {}
    value eval(const row& input) const override { return fn_(input); }

  private:
    F fn_;
  };
  return std::make_shared<function_scalar>(type, std::move(fn));
}

/// 10^n for n in 0..18.
std::int64_t power_of_ten(int n);

/// `v` cut to the width of the integer type `root` (TINYINT ... BIGINT), as
/// Java's integer arithmetic wraps.
std::int64_t wrap_integer(std::int64_t v, type_root root);

/// A numeric value as a double.
double to_double(const value& v, const data_type& type);

/// A numeric value (integer or DECIMAL) as an unscaled integer of `scale`
/// (rounding half up when the scale shrinks).
std::int64_t to_unscaled(const value& v, const data_type& type, int scale);

/// A number literal: INT when it fits, else BIGINT; DECIMAL(p, s) with a
/// point; DOUBLE with an exponent.
scalar_ptr number_literal(const expr& e);

/// CURRENT_TIMESTAMP and the other functions called without parentheses.
bool is_niladic_function(const std::string& name);

/// A call of the function or operator `name` (upper-case) on `args`;
/// `call` is the node, for positions.
scalar_ptr compile_function(const std::string& name, const std::vector<expr_ptr>& args,
                            const expr& call, const scope& columns);

/// CAST (or TRY_CAST, giving NULL where CAST fails) of `inner` to `to`.
scalar_ptr compile_cast(const scalar_ptr& inner, const data_type& to, bool try_cast, position at);

/// CASE [operand] WHEN ... THEN ... [ELSE ...] END.
scalar_ptr compile_case(const expr& e, const scope& columns);

/// The type the branches of CASE, COALESCE or IF share; throws sql_error at
/// `at` when they have none.
data_type common_type(const std::vector<data_type>& types, position at, const char* what);

/// `v` of `from` as a value of `to`, for types `common_type` joined (no
/// text parsing: numbers widen, text stays text).
value widen(const value& v, const data_type& from, const data_type& to);

} // namespace flinkcpp::sql

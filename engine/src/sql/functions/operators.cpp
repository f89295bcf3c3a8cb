// The operators: arithmetic, comparison, logic, LIKE, IN, BETWEEN, IS ...,
// and CASE.

#include <cmath>
#include <stdexcept>

#include "sql/functions/operators.hpp"
#include "sql/functions/scalar_support.hpp"
#include "sql/functions/time_format.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

/// Wide enough for two DECIMAL(18) values brought to one scale.
__extension__ using wide_integer = __int128;

data_type with_nullability(data_type t, bool nullable) {
  t.nullable = nullable;
  t.rowtime = false;
  return t;
}

/// Two's complement arithmetic without signed overflow (Java's wrapping).
std::int64_t add_wrapping(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
std::int64_t multiply_wrapping(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}

[[noreturn]] void operand_error(const std::string& op, const data_type& a, const data_type& b,
                                position at) {
  throw sql_error(at, "cannot apply '" + op + "' to " + to_string(a) + " and " + to_string(b));
}

} // namespace

scalar_ptr arithmetic(const std::string& op, const scalar_ptr& a, const scalar_ptr& b,
                      position at) {
  auto ta = a->type();
  auto tb = b->type();
  bool nullable = ta.nullable || tb.nullable;
  // Time plus or minus an interval.
  if ((is_timestamp(ta.root) || ta.root == type_root::date) &&
      tb.root == type_root::interval_day_time && (op == "+" || op == "-")) {
    auto sign = op == "+" ? 1 : -1;
    bool date = ta.root == type_root::date;
    return make_scalar(with_nullability(ta, nullable), [a, b, sign, date](const row& in) {
      auto x = a->eval(in);
      auto y = b->eval(in);
      if (x.is_null() || y.is_null())
        return value{};
      return value::of(date ? x.integer + sign * (y.integer / ms_per_day)
                            : x.integer + sign * y.integer);
    });
  }
  if (ta.root == type_root::interval_day_time && is_timestamp(tb.root) && op == "+")
    return arithmetic(op, b, a, at);
  if (ta.root == type_root::null || tb.root == type_root::null) {
    auto t = ta.root == type_root::null ? tb : ta;
    return constant(value{}, with_nullability(t, true));
  }
  if (!is_numeric(ta.root) || !is_numeric(tb.root))
    operand_error(op, ta, tb, at);
  auto common = common_numeric_type(ta, tb);
  auto result = common;
  if (result.root == type_root::decimal) {
    auto sa = ta.root == type_root::decimal ? ta.scale : 0;
    auto sb = tb.root == type_root::decimal ? tb.scale : 0;
    if (op == "*")
      result = make_decimal(18, std::min(18, sa + sb));
    else if (op == "/")
      result = make_decimal(18, std::min(18, std::max(6, sa + 1)));
    else
      result = make_decimal(18, common.scale);
  }
  result.nullable = nullable || op == "/" || op == "%";
  auto root = result.root;
  auto scale = result.scale;
  char code = op[0];
  return make_scalar(result, [a, b, ta, tb, root, scale, code](const row& in) {
    auto x = a->eval(in);
    auto y = b->eval(in);
    if (x.is_null() || y.is_null())
      return value{};
    if (root == type_root::double_ || root == type_root::float_) {
      auto l = to_double(x, ta);
      auto r = to_double(y, tb);
      switch (code) {
        case '+':
          return value::of_double(l + r);
        case '-':
          return value::of_double(l - r);
        case '*':
          return value::of_double(l * r);
        case '/':
          return value::of_double(l / r);
        default:
          return value::of_double(std::fmod(l, r));
      }
    }
    if (root == type_root::decimal) {
      if (code == '*') {
        auto l = to_unscaled(x, ta, ta.root == type_root::decimal ? ta.scale : 0);
        auto r = to_unscaled(y, tb, tb.root == type_root::decimal ? tb.scale : 0);
        return value::of(multiply_wrapping(l, r));
      }
      if (code == '/') {
        auto r = to_double(y, tb);
        if (r == 0)
          throw std::runtime_error("division by zero");
        return value::of(
          std::llround(to_double(x, ta) / r * static_cast<double>(power_of_ten(scale))));
      }
      auto l = to_unscaled(x, ta, scale);
      auto r = to_unscaled(y, tb, scale);
      switch (code) {
        case '+':
          return value::of(add_wrapping(l, r));
        case '-':
          return value::of(add_wrapping(l, -r));
        default:
          if (r == 0)
            throw std::runtime_error("division by zero");
          return value::of(l % r);
      }
    }
    auto l = x.integer;
    auto r = y.integer;
    switch (code) {
      case '+':
        return value::of(wrap_integer(add_wrapping(l, r), root));
      case '-':
        return value::of(wrap_integer(add_wrapping(l, -r), root));
      case '*':
        return value::of(wrap_integer(multiply_wrapping(l, r), root));
      default:
        if (r == 0)
          throw std::runtime_error("division by zero");
        if (r == -1)
          return value::of(wrap_integer(code == '/' ? multiply_wrapping(l, -1) : 0, root));
        return value::of(code == '/' ? l / r : l % r);
    }
  });
}

scalar_ptr negate_number(const scalar_ptr& a, position at) {
  auto t = a->type();
  if (!is_numeric(t.root) && t.root != type_root::interval_day_time)
    throw sql_error(at, "cannot negate " + to_string(t));
  return make_scalar(with_nullability(t, t.nullable), [a](const row& in) {
    auto v = a->eval(in);
    if (v.what == value::tag::floating)
      v.floating = -v.floating;
    else if (v.what == value::tag::integer)
      v.integer = multiply_wrapping(v.integer, -1);
    return v;
  });
}

int compare_values(const value& x, const data_type& tx, const value& y, const data_type& ty) {
  if (is_numeric(tx.root) && is_numeric(ty.root)) {
    if (x.what == value::tag::floating || y.what == value::tag::floating) {
      auto l = to_double(x, tx);
      auto r = to_double(y, ty);
      return l < r ? -1 : l > r ? 1 : 0;
    }
    if (tx.root == type_root::decimal || ty.root == type_root::decimal) {
      auto scale = std::max(tx.root == type_root::decimal ? tx.scale : 0,
                            ty.root == type_root::decimal ? ty.scale : 0);
      auto l = static_cast<wide_integer>(x.integer) *
               power_of_ten(scale - (tx.root == type_root::decimal ? tx.scale : 0));
      auto r = static_cast<wide_integer>(y.integer) *
               power_of_ten(scale - (ty.root == type_root::decimal ? ty.scale : 0));
      return l < r ? -1 : l > r ? 1 : 0;
    }
  }
  if (x.what == value::tag::text) {
    auto c = x.text.compare(y.text);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return x.integer < y.integer ? -1 : x.integer > y.integer ? 1 : 0;
}

void check_comparable(const std::string& op, const data_type& a, const data_type& b, position at) {
  if (!compatible(a, b) && !compatible(b, a))
    operand_error(op, a, b, at);
}

scalar_ptr comparison(const std::string& op, const scalar_ptr& a, const scalar_ptr& b,
                      position at) {
  auto ta = a->type();
  auto tb = b->type();
  check_comparable(op, ta, tb, at);
  auto t = make_type(type_root::boolean);
  t.nullable = ta.nullable || tb.nullable;
  int code = op == "=" ? 0 : op == "<>" ? 1 : op == "<" ? 2 : op == ">" ? 3 : op == "<=" ? 4 : 5;
  return make_scalar(t, [a, b, ta, tb, code](const row& in) {
    auto x = a->eval(in);
    auto y = b->eval(in);
    if (x.is_null() || y.is_null())
      return value{};
    auto c = compare_values(x, ta, y, tb);
    switch (code) {
      case 0:
        return value::of_bool(c == 0);
      case 1:
        return value::of_bool(c != 0);
      case 2:
        return value::of_bool(c < 0);
      case 3:
        return value::of_bool(c > 0);
      case 4:
        return value::of_bool(c <= 0);
      default:
        return value::of_bool(c >= 0);
    }
  });
}

namespace {

void expect_boolean(const scalar_ptr& s, const std::string& op, position at) {
  auto root = s->type().root;
  if (root != type_root::boolean && root != type_root::null)
    throw sql_error(at, op + " expects BOOLEAN operands, got " + to_string(s->type()));
}

} // namespace

scalar_ptr logic(const std::string& op, const scalar_ptr& a, const scalar_ptr& b, position at) {
  expect_boolean(a, op, at);
  expect_boolean(b, op, at);
  auto t = make_type(type_root::boolean);
  t.nullable = a->type().nullable || b->type().nullable;
  bool is_and = op == "AND";
  return make_scalar(t, [a, b, is_and](const row& in) {
    auto x = a->eval(in);
    // Three-valued logic: FALSE AND x is FALSE, TRUE OR x is TRUE.
    if (!x.is_null() && (x.integer != 0) != is_and)
      return x;
    auto y = b->eval(in);
    if (!y.is_null() && (y.integer != 0) != is_and)
      return y;
    if (x.is_null() || y.is_null())
      return value{};
    return value::of_bool(is_and);
  });
}

scalar_ptr logical_not(const scalar_ptr& a, position at) {
  expect_boolean(a, "NOT", at);
  return make_scalar(with_nullability(make_type(type_root::boolean), a->type().nullable),
                     [a](const row& in) {
                       auto x = a->eval(in);
                       return x.is_null() ? x : value::of_bool(x.integer == 0);
                     });
}

scalar_ptr truth_test(const std::string& op, const scalar_ptr& a, position at) {
  auto t = make_type(type_root::boolean);
  t.nullable = false;
  if (op == "IS NULL" || op == "IS NOT NULL") {
    bool want_null = op == "IS NULL";
    return make_scalar(t, [a, want_null](const row& in) {
      return value::of_bool(a->eval(in).is_null() == want_null);
    });
  }
  expect_boolean(a, op, at);
  bool want = op == "IS TRUE" || op == "IS NOT FALSE";
  bool null_result = op == "IS NOT TRUE" || op == "IS NOT FALSE";
  return make_scalar(t, [a, want, null_result](const row& in) {
    auto x = a->eval(in);
    if (x.is_null())
      return value::of_bool(null_result);
    bool truth = x.integer != 0;
    return value::of_bool(truth == want);
  });
}

bool like_match(std::string_view text, std::string_view pattern, char escape) {
  // Iterative wildcard matching with backtracking to the last '%'.
  std::size_t t = 0, p = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == escape && escape != '\0' && p + 1 < pattern.size()) {
      if (pattern[p + 1] == text[t]) {
        p += 2;
        ++t;
        continue;
      }
    } else if (p < pattern.size() && pattern[p] == '%') {
      star = p++;
      mark = t;
      continue;
    } else if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star == std::string_view::npos)
      return false;
    p = star + 1;
    t = ++mark;
  }
  while (p < pattern.size() && pattern[p] == '%')
    ++p;
  return p == pattern.size();
}

scalar_ptr like(const scalar_ptr& a, const scalar_ptr& pattern, position at) {
  if (!is_text(a->type().root) || !is_text(pattern->type().root))
    operand_error("LIKE", a->type(), pattern->type(), at);
  auto t =
    with_nullability(make_type(type_root::boolean), a->type().nullable || pattern->type().nullable);
  return make_scalar(t, [a, pattern](const row& in) {
    auto x = a->eval(in);
    auto p = pattern->eval(in);
    if (x.is_null() || p.is_null())
      return value{};
    return value::of_bool(like_match(x.text, p.text, '\\'));
  });
}

scalar_ptr in_list(const scalar_ptr& a, std::vector<scalar_ptr> candidates, position at) {
  for (const auto& c : candidates)
    check_comparable("IN", a->type(), c->type(), at);
  auto t = make_type(type_root::boolean);
  t.nullable = true;
  return make_scalar(t, [a, candidates = std::move(candidates)](const row& in) {
    auto x = a->eval(in);
    if (x.is_null())
      return value{};
    bool saw_null = false;
    for (const auto& c : candidates) {
      auto y = c->eval(in);
      if (y.is_null())
        saw_null = true;
      else if (compare_values(x, a->type(), y, c->type()) == 0)
        return value::of_bool(true);
    }
    return saw_null ? value{} : value::of_bool(false);
  });
}

scalar_ptr compile_case(const expr& e, const scope& columns) {
  std::optional<scalar_ptr> operand;
  if (e.args[0])
    operand = compile_scalar(*e.args[0], columns);
  std::vector<scalar_ptr> conditions;
  std::vector<scalar_ptr> results;
  std::size_t i = 1;
  for (; i + 1 < e.args.size(); i += 2) {
    auto when = compile_scalar(*e.args[i], columns);
    if (operand)
      when = comparison("=", *operand, when, e.args[i]->at);
    else if (when->type().root != type_root::boolean && when->type().root != type_root::null)
      throw sql_error(e.args[i]->at,
                      "CASE WHEN expects a BOOLEAN condition, got " + to_string(when->type()));
    conditions.push_back(when);
    results.push_back(compile_scalar(*e.args[i + 1], columns));
  }
  std::optional<scalar_ptr> otherwise;
  if (i < e.args.size())
    otherwise = compile_scalar(*e.args[i], columns);
  std::vector<data_type> types;
  types.reserve(results.size() + 1);
  for (const auto& r : results)
    types.push_back(r->type());
  if (otherwise)
    types.push_back((*otherwise)->type());
  auto t = common_type(types, e.at, "CASE");
  if (!otherwise)
    t.nullable = true;
  return make_scalar(t, [conditions, results, otherwise, t](const row& in) {
    for (std::size_t k = 0; k < conditions.size(); ++k) {
      auto c = conditions[k]->eval(in);
      if (!c.is_null() && c.integer != 0)
        return widen(results[k]->eval(in), results[k]->type(), t);
    }
    if (otherwise)
      return widen((*otherwise)->eval(in), (*otherwise)->type(), t);
    return value{};
  });
}

} // namespace flinkcpp::sql

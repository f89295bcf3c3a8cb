// Numeric conversions, CAST, and the common type of several expressions.

#include <array>
#include <cmath>
#include <stdexcept>

#include "sql/functions/scalar_support.hpp"
#include "sql/functions/time_format.hpp"
#include "sql/functions/value_text.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

std::int64_t power_of_ten(int n) {
  static constexpr std::array<std::int64_t, 19> powers = {1,
                                                          10,
                                                          100,
                                                          1000,
                                                          10000,
                                                          100000,
                                                          1000000,
                                                          10000000,
                                                          100000000,
                                                          1000000000,
                                                          10000000000,
                                                          100000000000,
                                                          1000000000000,
                                                          10000000000000,
                                                          100000000000000,
                                                          1000000000000000,
                                                          10000000000000000,
                                                          100000000000000000,
                                                          1000000000000000000};
  return powers[static_cast<std::size_t>(std::clamp(n, 0, 18))];
}

double to_double(const value& v, const data_type& type) {
  if (v.what == value::tag::floating)
    return v.floating;
  if (type.root == type_root::decimal)
    return static_cast<double>(v.integer) / static_cast<double>(power_of_ten(type.scale));
  return static_cast<double>(v.integer);
}

std::int64_t to_unscaled(const value& v, const data_type& type, int scale) {
  if (v.what == value::tag::floating)
    return std::llround(v.floating * static_cast<double>(power_of_ten(scale)));
  int from = type.root == type_root::decimal ? type.scale : 0;
  if (scale >= from)
    return v.integer * power_of_ten(scale - from);
  auto divisor = power_of_ten(from - scale);
  auto q = v.integer / divisor;
  auto r = v.integer % divisor;
  if (2 * (r < 0 ? -r : r) >= divisor)
    q += v.integer < 0 ? -1 : 1;
  return q;
}

scalar_ptr number_literal(const expr& e) {
  const auto& text = e.text;
  data_type t;
  value v;
  if (text.find_first_of("eE") != std::string::npos) {
    t = make_type(type_root::double_);
    v = value::of_double(std::stod(text));
  } else if (auto point = text.find('.'); point != std::string::npos) {
    auto digits = static_cast<int>(text.size() - 1);
    auto scale = static_cast<int>(text.size() - point - 1);
    if (digits > 18)
      throw sql_error(e.at, "the number " + text +
                              " has more than 18 digits (DECIMAL's "
                              "precision in flink-cpp): write it as a "
                              "DOUBLE (with an exponent, e.g. 1.5E0)");
    t = make_decimal(std::max(digits, 1), scale);
    v = *parse_value(text, t);
  } else {
    auto parsed = parse_value(text, make_type(type_root::bigint));
    if (!parsed)
      throw sql_error(e.at, "the number " + text + " is out of BIGINT's range");
    t = make_type(parsed->integer > 2147483647 ? type_root::bigint : type_root::integer);
    v = *parsed;
  }
  t.nullable = false;
  return constant(v, t);
}

bool castable(const data_type& from, const data_type& to) {
  auto f = from.root;
  auto t = to.root;
  if (f == type_root::null || f == t)
    return true;
  if (is_text(t))
    return !is_interval(f);
  if (is_text(f))
    return !is_interval(t);
  if (is_numeric(f) && (is_numeric(t) || t == type_root::boolean))
    return true;
  if (f == type_root::boolean && is_numeric(t))
    return true;
  if (is_timestamp(f) && (is_timestamp(t) || t == type_root::date || t == type_root::time))
    return true;
  if (f == type_root::date && is_timestamp(t))
    return true;
  return is_integer(f) && is_timestamp(t);
}

std::int64_t wrap_integer(std::int64_t v, type_root root) {
  switch (root) {
    case type_root::tinyint:
      return static_cast<std::int8_t>(v);
    case type_root::smallint:
      return static_cast<std::int16_t>(v);
    case type_root::integer:
      return static_cast<std::int32_t>(v);
    default:
      return v;
  }
}

namespace {

[[noreturn]] void cast_failed(const value& v, const data_type& from, const data_type& to) {
  throw std::runtime_error("CAST of " + format_value(v, from, value_style::csv) + " (" +
                           to_string(from) + ") to " + to_string(to) +
                           " failed: the value has no " + to_string(to) +
                           " form (TRY_CAST gives NULL instead)");
}

} // namespace

value cast_value(const value& v, const data_type& from, const data_type& to) {
  if (v.is_null())
    return v;
  auto f = from.root;
  auto t = to.root;
  if (is_text(t)) {
    auto text = is_text(f) ? v.text : format_value(v, from, value_style::table);
    if (t == type_root::varchar && static_cast<std::int64_t>(text.size()) > to.length)
      text.resize(static_cast<std::size_t>(to.length));
    return value::of_text(std::move(text));
  }
  if (is_text(f)) {
    auto parsed = parse_value(v.text, to);
    if (!parsed)
      cast_failed(v, from, to);
    return *parsed;
  }
  if (t == type_root::boolean)
    return value::of_bool(to_double(v, from) != 0);
  if (is_numeric(t)) {
    if (t == type_root::float_ || t == type_root::double_)
      return value::of_double(to_double(v, from));
    if (t == type_root::decimal)
      return value::of(to_unscaled(v, from, to.scale));
    if (v.what == value::tag::floating)
      return value::of(wrap_integer(static_cast<std::int64_t>(v.floating), t));
    if (f == type_root::decimal)
      return value::of(wrap_integer(v.integer / power_of_ten(from.scale), t));
    return value::of(wrap_integer(v.integer, t));
  }
  if (t == type_root::date && is_timestamp(f))
    return value::of(v.integer >= 0 ? v.integer / ms_per_day
                                    : (v.integer - ms_per_day + 1) / ms_per_day);
  if (t == type_root::time && is_timestamp(f))
    return value::of(((v.integer % ms_per_day) + ms_per_day) % ms_per_day);
  if (is_timestamp(t) && f == type_root::date)
    return value::of(v.integer * ms_per_day);
  if (is_timestamp(t) && is_integer(f))
    return value::of(v.integer * 1000); // seconds since the epoch, as Flink's legacy cast
  return v;
}

scalar_ptr compile_cast(const scalar_ptr& inner, const data_type& to, bool try_cast, position at) {
  const auto& from = inner->type();
  if (!castable(from, to))
    throw sql_error(at, "cannot cast " + to_string(from) + " to " + to_string(to));
  auto result = to;
  result.nullable = from.nullable || try_cast || is_text(from.root);
  return make_scalar(result, [inner, from, to, try_cast](const row& in) {
    auto v = inner->eval(in);
    if (!try_cast)
      return cast_value(v, from, to);
    try {
      return cast_value(v, from, to);
    } catch (const std::runtime_error&) {
      return value{};
    }
  });
}

data_type common_type(const std::vector<data_type>& types, position at, const char* what) {
  std::optional<data_type> out;
  for (const auto& t : types) {
    if (t.root == type_root::null)
      continue;
    if (!out) {
      out = t;
      continue;
    }
    if (is_numeric(out->root) && is_numeric(t.root)) {
      out = common_numeric_type(*out, t);
    } else if (is_text(out->root) && is_text(t.root)) {
      auto length = std::max(out->length, t.length);
      bool nullable = out->nullable || t.nullable;
      out = out->root == type_root::char_ && t.root == type_root::char_ && out->length == t.length
              ? *out
              : make_varchar(length);
      out->nullable = nullable;
    } else if (out->root == t.root) {
      out->nullable = out->nullable || t.nullable;
      out->precision = std::max(out->precision, t.precision);
    } else {
      throw sql_error(at, std::string{what} + " mixes " + to_string(*out) + " and " + to_string(t) +
                            ": give all of them one type (CAST)");
    }
  }
  if (!out)
    return make_type(type_root::null);
  for (const auto& t : types)
    out->nullable = out->nullable || t.nullable;
  out->rowtime = false;
  return *out;
}

value widen(const value& v, const data_type& from, const data_type& to) {
  if (v.is_null() || from.root == to.root)
    return v.is_null() || from.root != type_root::decimal || from.scale == to.scale
             ? v
             : value::of(to_unscaled(v, from, to.scale));
  if (to.root == type_root::double_ || to.root == type_root::float_)
    return value::of_double(to_double(v, from));
  if (to.root == type_root::decimal)
    return value::of(to_unscaled(v, from, to.scale));
  return v;
}

} // namespace flinkcpp::sql

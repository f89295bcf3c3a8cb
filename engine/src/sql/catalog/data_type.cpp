#include "sql/catalog/data_type.hpp"

#include <algorithm>
#include <map>

#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

data_type make_type(type_root root) {
  data_type t;
  t.root = root;
  return t;
}

data_type make_decimal(int precision, int scale) {
  auto t = make_type(type_root::decimal);
  t.precision = precision;
  t.scale = scale;
  return t;
}

data_type make_varchar(std::int64_t length) {
  auto t = make_type(type_root::varchar);
  t.length = length;
  return t;
}

data_type make_timestamp(int precision) {
  auto t = make_type(type_root::timestamp);
  t.precision = precision;
  return t;
}

namespace {

std::int64_t parameter(const type_syntax& s, std::size_t i, std::int64_t fallback) {
  return i < s.parameters.size() ? s.parameters[i] : fallback;
}

void expect_parameters(const type_syntax& s, std::size_t most) {
  if (s.parameters.size() > most)
    throw sql_error(s.at, s.kind + " takes " +
                            (most == 0 ? std::string{"no parameters"}
                                       : "at most " + std::to_string(most) + " parameter" +
                                           (most == 1 ? "" : "s")));
}

} // namespace

data_type resolve_type(const type_syntax& s) {
  static const std::map<std::string, type_root> plain = {
    {"BOOLEAN", type_root::boolean},   {"TINYINT", type_root::tinyint},
    {"SMALLINT", type_root::smallint}, {"INT", type_root::integer},
    {"BIGINT", type_root::bigint},     {"FLOAT", type_root::float_},
    {"REAL", type_root::float_},       {"DOUBLE", type_root::double_},
    {"DATE", type_root::date},         {"BYTES", type_root::bytes}};
  data_type t;
  if (auto it = plain.find(s.kind); it != plain.end()) {
    expect_parameters(s, 0);
    t = make_type(it->second);
  } else if (s.kind == "STRING") {
    expect_parameters(s, 0);
    t = make_varchar();
  } else if (s.kind == "VARCHAR" || s.kind == "CHAR") {
    expect_parameters(s, 1);
    auto length = parameter(s, 0, s.kind == "CHAR" ? 1 : max_varchar_length);
    if (length < 1)
      throw sql_error(s.at, s.kind + "'s length must be at least 1");
    t = s.kind == "CHAR" ? make_type(type_root::char_) : make_varchar(length);
    t.length = length;
  } else if (s.kind == "DECIMAL") {
    expect_parameters(s, 2);
    auto precision = parameter(s, 0, 10);
    auto scale = parameter(s, 1, 0);
    if (precision < 1 || precision > 38)
      throw sql_error(s.at, "DECIMAL's precision must be between 1 and 38: got " +
                              std::to_string(precision));
    if (scale < 0 || scale > precision)
      throw sql_error(s.at, "DECIMAL's scale must be between 0 and its precision, " +
                              std::to_string(precision) + ": got " + std::to_string(scale));
    if (scale > 18)
      throw sql_error(s.at, "DECIMAL's scale must be at most 18 in flink-cpp (Flink allows 38): "
                            "got " +
                              std::to_string(scale));
    t = make_decimal(static_cast<int>(precision), static_cast<int>(scale));
  } else if (s.kind == "TIMESTAMP" || s.kind == "TIMESTAMP_LTZ" || s.kind == "TIME") {
    expect_parameters(s, 1);
    auto precision = parameter(s, 0, s.kind == "TIME" ? 0 : 6);
    if (precision < 0 || precision > 9)
      throw sql_error(s.at, s.kind + "'s precision must be between 0 and 9: got " +
                              std::to_string(precision));
    t = make_type(s.kind == "TIMESTAMP" ? type_root::timestamp
                  : s.kind == "TIME"    ? type_root::time
                                        : type_root::timestamp_ltz);
    // Values are held in milliseconds: finer precisions read and print as
    // milliseconds.
    t.precision = static_cast<int>(std::min<std::int64_t>(precision, 3));
  } else if (s.kind == "ROW") {
    throw sql_error(s.at, "ROW types are supported as the physical columns of a CREATE TABLE "
                          "only (each field then a column, named as column.field)");
  } else if (s.kind == "ARRAY" || s.kind == "MAP" || s.kind == "MULTISET") {
    throw sql_error(s.at, s.kind +
                            " types are not supported yet: flink-cpp's SQL runs BOOLEAN, "
                            "TINYINT, SMALLINT, INT, BIGINT, DECIMAL, FLOAT, DOUBLE, CHAR, "
                            "VARCHAR, STRING, BYTES, DATE, TIME, TIMESTAMP and TIMESTAMP_LTZ");
  } else {
    throw sql_error(s.at, "unknown type " + s.kind +
                            ": expected BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, DECIMAL, FLOAT, "
                            "DOUBLE, CHAR, VARCHAR, STRING, BYTES, DATE, TIME, TIMESTAMP or "
                            "TIMESTAMP_LTZ");
  }
  t.nullable = !s.not_null;
  return t;
}

std::string to_string(const data_type& t) {
  std::string out;
  switch (t.root) {
    case type_root::null:
      out = "NULL";
      break;
    case type_root::boolean:
      out = "BOOLEAN";
      break;
    case type_root::tinyint:
      out = "TINYINT";
      break;
    case type_root::smallint:
      out = "SMALLINT";
      break;
    case type_root::integer:
      out = "INT";
      break;
    case type_root::bigint:
      out = "BIGINT";
      break;
    case type_root::decimal:
      out = "DECIMAL(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
      break;
    case type_root::float_:
      out = "FLOAT";
      break;
    case type_root::double_:
      out = "DOUBLE";
      break;
    case type_root::char_:
      out = "CHAR(" + std::to_string(t.length) + ")";
      break;
    case type_root::varchar:
      out = t.length == max_varchar_length ? "STRING" : "VARCHAR(" + std::to_string(t.length) + ")";
      break;
    case type_root::bytes:
      out = "BYTES";
      break;
    case type_root::date:
      out = "DATE";
      break;
    case type_root::time:
      out = "TIME(" + std::to_string(t.precision) + ")";
      break;
    case type_root::timestamp:
      out = "TIMESTAMP(" + std::to_string(t.precision) + ")";
      break;
    case type_root::timestamp_ltz:
      out = "TIMESTAMP_LTZ(" + std::to_string(t.precision) + ")";
      break;
    case type_root::interval_day_time:
      out = "INTERVAL SECOND(3)";
      break;
    case type_root::interval_year_month:
      out = "INTERVAL MONTH";
      break;
  }
  if (t.rowtime)
    out += " *ROWTIME*";
  if (!t.nullable)
    out += " NOT NULL";
  return out;
}

bool is_integer(type_root r) {
  return r == type_root::tinyint || r == type_root::smallint || r == type_root::integer ||
         r == type_root::bigint;
}

bool is_numeric(type_root r) {
  return is_integer(r) || r == type_root::decimal || r == type_root::float_ ||
         r == type_root::double_;
}

bool is_text(type_root r) {
  return r == type_root::char_ || r == type_root::varchar;
}

bool is_timestamp(type_root r) {
  return r == type_root::timestamp || r == type_root::timestamp_ltz;
}

bool is_interval(type_root r) {
  return r == type_root::interval_day_time || r == type_root::interval_year_month;
}

namespace {

/// Decimal digits an integer type needs (Flink's precisions).
int integer_digits(type_root r) {
  switch (r) {
    case type_root::tinyint:
      return 3;
    case type_root::smallint:
      return 5;
    case type_root::integer:
      return 10;
    default:
      return 19;
  }
}

} // namespace

data_type common_numeric_type(const data_type& a, const data_type& b) {
  data_type out;
  if (a.root == type_root::double_ || b.root == type_root::double_ || a.root == type_root::float_ ||
      b.root == type_root::float_) {
    out =
      make_type(a.root == type_root::float_ && b.root == type_root::float_ ? type_root::float_
                                                                           : type_root::double_);
  } else if (a.root == type_root::decimal || b.root == type_root::decimal) {
    auto digits = [](const data_type& t) {
      return t.root == type_root::decimal ? t.precision - t.scale : integer_digits(t.root);
    };
    auto scale = std::max(a.root == type_root::decimal ? a.scale : 0,
                          b.root == type_root::decimal ? b.scale : 0);
    out = make_decimal(std::min(18, std::max(digits(a), digits(b)) + scale), scale);
  } else {
    out = make_type(static_cast<int>(a.root) > static_cast<int>(b.root) ? a.root : b.root);
  }
  out.nullable = a.nullable || b.nullable;
  return out;
}

bool compatible(const data_type& from, const data_type& to) {
  if (from.root == type_root::null || from.root == to.root)
    return true;
  if (is_numeric(from.root) && is_numeric(to.root))
    return true;
  if (is_text(from.root) && is_text(to.root))
    return true;
  return is_timestamp(from.root) && is_timestamp(to.root);
}

} // namespace flinkcpp::sql

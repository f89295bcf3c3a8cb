#include "sql/functions/value_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "sql/functions/time_format.hpp"

namespace flinkcpp::sql {

const char* short_string(row_kind kind) {
  switch (kind) {
    case row_kind::insert:
      return "+I";
    case row_kind::update_before:
      return "-U";
    case row_kind::update_after:
      return "+U";
    case row_kind::remove:
      return "-D";
  }
  return "?";
}

std::string java_double_string(double d) {
  if (std::isnan(d))
    return "NaN";
  if (std::isinf(d))
    return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0)
    return std::signbit(d) ? "-0.0" : "0.0";
  std::array<char, 64> buf{};
  auto magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    auto [end, ec] =
      std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::fixed);
    std::string out{buf.data(), end};
    if (out.find('.') == std::string::npos)
      out += ".0";
    return out;
  }
  auto [end, ec] =
    std::to_chars(buf.data(), buf.data() + buf.size(), d, std::chars_format::scientific);
  std::string text{buf.data(), end};
  auto e = text.find('e');
  auto mantissa = text.substr(0, e);
  if (mantissa.find('.') == std::string::npos)
    mantissa += ".0";
  auto exponent = std::stoi(text.substr(e + 1));
  return mantissa + "E" + std::to_string(exponent);
}

std::string format_decimal(std::int64_t unscaled, int scale) {
  bool negative = unscaled < 0;
  auto magnitude = negative ? -static_cast<unsigned long long>(unscaled)
                            : static_cast<unsigned long long>(unscaled);
  auto digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<std::size_t>(scale))
      digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(scale), 1, '.');
  }
  return negative ? "-" + digits : digits;
}

namespace {

std::string csv_quoted(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + '"';
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::optional<std::int64_t> parse_decimal(std::string_view s, int scale) {
  bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+'))
    s.remove_prefix(1);
  std::int64_t whole = 0;
  std::size_t i = 0;
  bool any = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, any = true)
    whole = whole * 10 + (s[i] - '0');
  std::int64_t fraction = 0;
  int taken = 0;
  bool round_up = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, any = true) {
      if (taken < scale) {
        fraction = fraction * 10 + (s[i] - '0');
        ++taken;
      } else if (taken == scale) {
        round_up = s[i] >= '5';
        ++taken;
      }
    }
  }
  if (!any || i != s.size())
    return std::nullopt;
  for (; taken < scale; ++taken)
    fraction *= 10;
  std::int64_t unscaled = whole;
  for (int k = 0; k < scale; ++k)
    unscaled *= 10;
  unscaled += fraction + (round_up ? 1 : 0);
  return negative ? -unscaled : unscaled;
}

} // namespace

std::string format_value(const value& v, const data_type& type, value_style style) {
  if (v.is_null()) {
    switch (style) {
      case value_style::print:
        return "null";
      case value_style::csv:
        return "";
      case value_style::json:
        return "null";
      case value_style::table:
        return "<NULL>";
    }
  }
  switch (type.root) {
    case type_root::boolean:
      if (style == value_style::table)
        return v.integer != 0 ? "TRUE" : "FALSE";
      return v.integer != 0 ? "true" : "false";
    case type_root::float_:
    case type_root::double_:
      if (style == value_style::json && !std::isfinite(v.floating))
        return "\"" + java_double_string(v.floating) + "\"";
      return java_double_string(v.floating);
    case type_root::decimal:
      return format_decimal(v.integer, type.scale);
    case type_root::char_:
    case type_root::varchar:
    case type_root::bytes:
      if (style == value_style::csv)
        return csv_quoted(v.text);
      if (style == value_style::json)
        return nlohmann::json(v.text).dump();
      return v.text;
    case type_root::date: {
      auto text = format_date(v.integer);
      return style == value_style::json ? '"' + text + '"' : text;
    }
    case type_root::time: {
      auto text = format_time(v.integer, type.precision);
      return style == value_style::json ? '"' + text + '"' : text;
    }
    case type_root::timestamp:
    case type_root::timestamp_ltz: {
      auto text = format_timestamp(v.integer,
                                   style == value_style::print   ? timestamp_style::iso
                                   : style == value_style::table ? timestamp_style::fixed
                                                                 : timestamp_style::sql,
                                   type.precision);
      if (style == value_style::print && type.root == type_root::timestamp_ltz)
        text += 'Z';
      return style == value_style::json ? '"' + text + '"' : text;
    }
    default:
      if (v.what == value::tag::floating)
        return java_double_string(v.floating);
      if (v.what == value::tag::text)
        return v.text;
      return std::to_string(v.integer);
  }
}

std::optional<value> parse_value(std::string_view text, const data_type& type) {
  if (is_text(type.root) || type.root == type_root::bytes)
    return value::of_text(std::string{text});
  auto s = trimmed(text);
  if (s.empty())
    return value{};
  switch (type.root) {
    case type_root::boolean:
      if (equals_ignoring_case(s, "true"))
        return value::of_bool(true);
      if (equals_ignoring_case(s, "false"))
        return value::of_bool(false);
      return std::nullopt;
    case type_root::tinyint:
    case type_root::smallint:
    case type_root::integer:
    case type_root::bigint: {
      if (s.front() == '+')
        s.remove_prefix(1);
      std::int64_t i = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
      if (ec != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
      static constexpr std::array<std::int64_t, 4> limits = {127, 32767, 2147483647, INT64_MAX};
      auto limit =
        limits[static_cast<std::size_t>(type.root) - static_cast<std::size_t>(type_root::tinyint)];
      if (i > limit || i < -limit - 1)
        return std::nullopt;
      return value::of(i);
    }
    case type_root::decimal: {
      auto unscaled = parse_decimal(s, type.scale);
      if (!unscaled)
        return std::nullopt;
      return value::of(*unscaled);
    }
    case type_root::float_:
    case type_root::double_: {
      std::string copy{s};
      char* end = nullptr;
      double d = std::strtod(copy.c_str(), &end);
      if (end != copy.c_str() + copy.size())
        return std::nullopt;
      return value::of_double(d);
    }
    case type_root::date: {
      auto days = parse_date(s);
      return days ? std::optional<value>{value::of(*days)} : std::nullopt;
    }
    case type_root::time: {
      auto ms = parse_time(s);
      return ms ? std::optional<value>{value::of(*ms)} : std::nullopt;
    }
    case type_root::timestamp:
    case type_root::timestamp_ltz: {
      auto ms = parse_timestamp(s.back() == 'Z' ? s.substr(0, s.size() - 1) : s);
      return ms ? std::optional<value>{value::of(*ms)} : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

} // namespace flinkcpp::sql

#pragma once

// The CSV form of records, for csv_format: a record is one line whose
// columns are its scalar fields in inspect order, nested structs, pairs and
// tuples flattened into them; a sequence of scalars is one column of its
// elements joined by the array element delimiter; an empty optional is the
// null literal. Quoting as RFC 4180: a field holding the delimiter, the
// quote character, a line break, or equal to the null literal is quoted,
// quotes inside doubled.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/detail/inspect.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// csv_format's settings (Flink's csv.* options).
struct csv_options {
  char field_delimiter = ',';
  char quote_character = '"';
  std::string array_element_delimiter = ";";
  std::string null_literal;
};

template <class T>
inline constexpr bool is_csv_scalar_v =
  std::is_arithmetic_v<T> || std::is_enum_v<T> || std::is_same_v<T, std::string>;

template <class T>
constexpr bool is_csv_column() {
  if constexpr (is_csv_scalar_v<T>)
    return true;
  else if constexpr (is_optional<T>::value || (is_range<T>::value && !is_inspectable_v<T>))
    return is_csv_scalar_v<typename T::value_type>;
  else
    return false;
}

template <class T>
constexpr bool is_csv_group() {
  return is_pair<T>::value || is_tuple<T>::value || is_inspectable_v<T>;
}

/// Calls `on_column(value, name)` for each column of `value` in order
/// (name: the innermost field name, or nullptr).
template <class T, class OnColumn>
void for_each_csv_column(T& value, const char* name, OnColumn& on_column);

template <class OnColumn>
struct csv_column_walker {
  OnColumn& on_column;
  template <class... Ts>
  void operator()(Ts&&... fields) {
    (walk(fields), ...);
  }
  template <class T>
  void walk(T& x) {
    if constexpr (is_named_field_v<T>)
      for_each_csv_column(x.value, x.name, on_column);
    else
      for_each_csv_column(x, nullptr, on_column);
  }
};

template <class T, class OnColumn>
void for_each_csv_column(T& value, const char* name, OnColumn& on_column) {
  if constexpr (is_csv_column<T>()) {
    on_column(value, name);
  } else if constexpr (is_csv_group<T>()) {
    csv_column_walker<OnColumn> walker{on_column};
    if constexpr (is_pair<T>::value)
      walker(value.first, value.second);
    else if constexpr (is_tuple<T>::value)
      std::apply(walker, value);
    else
      inspect(walker, value);
  } else {
    static_assert(is_csv_column<T>(),
                  "csv_format: a column is a number, a string, an optional of one or a "
                  "sequence of them; structs, pairs and tuples are flattened");
  }
}

/// The columns' names of T ("" for a column without one).
template <class T>
std::vector<std::string> csv_column_names() {
  std::vector<std::string> names;
  T probe{};
  auto collect = [&names](auto&, const char* name) { names.emplace_back(name ? name : ""); };
  for_each_csv_column(probe, nullptr, collect);
  return names;
}

/// Appends a scalar's text.
template <class T>
void append_csv_scalar(std::string& out, const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    out.append(value);
  } else if constexpr (std::is_same_v<T, bool>) {
    out.append(value ? "true" : "false");
  } else if constexpr (std::is_same_v<T, char>) {
    out.push_back(value);
  } else if constexpr (std::is_enum_v<T>) {
    append_csv_scalar(out, static_cast<std::underlying_type_t<T>>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(value)) {
      out.append("NaN");
    } else if (std::isinf(value)) {
      out.append(value > 0 ? "Infinity" : "-Infinity");
    } else {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, value);
      out.append(buf, res.ptr);
    }
  } else {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
  }
}

/// Writes the columns of a record as one line (without its line break).
class csv_writer {
public:
  csv_writer(const csv_options& options, std::string& out) : options_(options), out_(out) {}

  template <class T>
  void operator()(const T& value, const char*) {
    if (!first_)
      out_.push_back(options_.field_delimiter);
    first_ = false;
    text_.clear();
    bool is_null = false;
    if constexpr (is_optional<T>::value) {
      if (value)
        append_csv_scalar(text_, *value);
      else
        is_null = true;
    } else if constexpr (is_csv_scalar_v<T>) {
      append_csv_scalar(text_, value);
    } else {
      bool first_element = true;
      for (const auto& element : value) {
        if (!first_element)
          text_.append(options_.array_element_delimiter);
        first_element = false;
        append_csv_scalar(text_, element);
      }
    }
    if (is_null)
      out_.append(options_.null_literal);
    else
      append_quoted_if_needed();
  }

private:
  void append_quoted_if_needed() {
    const char specials[] = {options_.field_delimiter, options_.quote_character, '\n', '\r'};
    bool needs_quotes =
      text_ == options_.null_literal ||
      text_.find_first_of(std::string_view{specials, sizeof specials}) != std::string::npos;
    if (!needs_quotes) {
      out_.append(text_);
      return;
    }
    out_.push_back(options_.quote_character);
    for (char c : text_) {
      if (c == options_.quote_character)
        out_.push_back(c);
      out_.push_back(c);
    }
    out_.push_back(options_.quote_character);
  }

  const csv_options& options_;
  std::string& out_;
  std::string text_;
  bool first_ = true;
};

/// One field of a CSV line, unquoted.
struct csv_field {
  std::string text;
  bool quoted = false;
};

/// Cuts `line` into its fields. Throws format_error for a quoted field
/// without its closing quote or with text after it.
std::vector<csv_field> split_csv_line(std::string_view line, const csv_options& options);

/// Reads the columns of a record from a line's fields, in order.
class csv_reader {
public:
  csv_reader(const csv_options& options, std::vector<csv_field>& fields)
    : options_(options),
      fields_(fields) {}

  template <class T>
  void operator()(T& value, const char* name) {
    auto& field = fields_[column_++];
    if constexpr (is_optional<T>::value) {
      if (!field.quoted && field.text == options_.null_literal) {
        value.reset();
      } else {
        typename T::value_type inner{};
        parse(field.text, inner, name);
        value = std::move(inner);
      }
    } else if constexpr (is_csv_scalar_v<T>) {
      if constexpr (std::is_same_v<T, std::string>)
        value = std::move(field.text);
      else
        parse(field.text, value, name);
    } else {
      value.clear();
      std::string_view rest{field.text};
      while (!rest.empty()) {
        auto cut = rest.find(options_.array_element_delimiter);
        typename T::value_type element{};
        parse(std::string(rest.substr(0, cut)), element, name);
        value.insert(value.end(), std::move(element));
        if (cut == std::string_view::npos)
          break;
        rest.remove_prefix(cut + options_.array_element_delimiter.size());
      }
    }
  }

private:
  template <class T>
  void parse(const std::string& text, T& value, const char* name) {
    if constexpr (std::is_same_v<T, std::string>) {
      value = text;
    } else if constexpr (std::is_same_v<T, char>) {
      if (text.size() != 1)
        fail(name, "one character", text);
      value = text[0];
    } else if constexpr (std::is_same_v<T, bool>) {
      auto t = trimmed(text);
      if (equals_ignoring_case(t, "true"))
        value = true;
      else if (equals_ignoring_case(t, "false"))
        value = false;
      else
        fail(name, "true or false", text);
    } else if constexpr (std::is_enum_v<T>) {
      std::underlying_type_t<T> raw{};
      parse(text, raw, name);
      value = static_cast<T>(raw);
    } else {
      auto t = trimmed(text);
      auto res = std::from_chars(t.data(), t.data() + t.size(), value);
      if (res.ec != std::errc{} || res.ptr != t.data() + t.size()) {
        if constexpr (std::is_integral_v<T>)
          fail(name,
               "an integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                 std::to_string(std::numeric_limits<T>::max()) + "]",
               text);
        else
          fail(name, "a number", text);
      }
    }
  }

  static std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
      s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
      s.remove_suffix(1);
    return s;
  }

  static bool equals_ignoring_case(std::string_view a, std::string_view lower) {
    if (a.size() != lower.size())
      return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (static_cast<char>(a[i] | 0x20) != lower[i])
        return false;
    return true;
  }

  [[noreturn]] void fail(const char* name, const std::string& expected,
                         const std::string& got) const {
    std::string where = "column " + std::to_string(column_);
    if (name != nullptr && *name != '\0')
      where += " (" + std::string{name} + ")";
    throw format_error(where + ": expected " + expected + ", got '" + got + "'");
  }

  const csv_options& options_;
  std::vector<csv_field>& fields_;
  std::size_t column_ = 0; ///< the next column's index; in fail(): the column's number from 1
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

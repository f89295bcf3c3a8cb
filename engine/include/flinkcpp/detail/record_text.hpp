#pragma once

// Formats records as text, the way Flink's print() and writeAsText() show
// them: strings as they are, numbers in their shortest form, tuples and
// inspectable structs as "(a,b)", sequences as "[a, b]", empty optionals as
// "null".

#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "flinkcpp/detail/inspect.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

template <class T, class = void>
struct is_streamable : std::false_type {};
template <class T>
struct is_streamable<
  T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
  : std::true_type {};

template <class T>
void append_text(std::string& out, const T& value);

/// Writes the fields an inspect function hands over as "(f1,f2,...)".
struct tuple_text_writer {
  std::string& out;
  template <class... Ts>
  void operator()(const Ts&... fields) {
    out.push_back('(');
    bool first = true;
    ((first ? void(first = false) : out.push_back(','), append_text(out, field_value(fields))),
     ...);
    out.push_back(')');
  }
};

/// Appends `value` formatted as text to `out`.
template <class T>
void append_text(std::string& out, const T& value) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out.append(std::string_view{value});
  } else if constexpr (std::is_same_v<T, bool>) {
    out.append(value ? "true" : "false");
  } else if constexpr (std::is_same_v<T, char>) {
    out.push_back(value);
  } else if constexpr (std::is_integral_v<T>) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, res.ptr);
  } else if constexpr (std::is_floating_point_v<T>) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, res.ptr);
    // As Java prints doubles: an integral value keeps a ".0".
    if (std::isfinite(value) &&
        std::string_view(buf, res.ptr - buf).find_first_of(".e") == std::string_view::npos)
      out.append(".0");
  } else if constexpr (std::is_enum_v<T>) {
    append_text(out, static_cast<std::underlying_type_t<T>>(value));
  } else if constexpr (is_optional<T>::value) {
    if (value)
      append_text(out, *value);
    else
      out.append("null");
  } else if constexpr (is_pair<T>::value) {
    tuple_text_writer writer{out};
    writer(value.first, value.second);
  } else if constexpr (is_tuple<T>::value) {
    tuple_text_writer writer{out};
    std::apply(writer, value);
  } else if constexpr (is_inspectable_v<T>) {
    tuple_text_writer writer{out};
    inspect_fields(value, writer);
  } else if constexpr (is_range<T>::value) {
    out.push_back('[');
    bool first = true;
    for (const auto& element : value) {
      if (!first)
        out.append(", ");
      first = false;
      append_text(out, element);
    }
    out.push_back(']');
  } else if constexpr (is_streamable<T>::value) {
    std::ostringstream stream;
    stream << value;
    out.append(stream.str());
  } else {
    static_assert(is_streamable<T>::value,
                  "flink-cpp cannot print this record type: give it an inspect function "
                  "or an operator<<");
  }
}

/// `value` formatted as text.
template <class T>
std::string to_text(const T& value) {
  std::string out;
  append_text(out, value);
  return out;
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

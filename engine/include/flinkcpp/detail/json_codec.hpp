#pragma once

// The JSON form of records, for json_format: strings, numbers and booleans
// as themselves, optionals as the value or null, structs whose inspect
// names its fields (flinkcpp::field) as objects in field order, structs
// without names, pairs and tuples as arrays, maps with string keys as
// objects, other sequences as arrays.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "flinkcpp/detail/inspect.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

using json_value = nlohmann::ordered_json;

template <class T, class = void>
struct is_string_keyed_map : std::false_type {};
template <class T>
struct is_string_keyed_map<T, std::void_t<typename T::mapped_type, typename T::key_type>>
  : std::is_same<typename T::key_type, std::string> {};

/// Where a value sits in a record, for error messages ("items[2].price");
/// a chain of frames on the reader's stack, formatted only on error.
struct json_path {
  const json_path* parent = nullptr;
  const char* name = nullptr; ///< a field's name; nullptr: an element
  std::size_t index = 0;

  std::string to_string() const {
    if (parent == nullptr)
      return "the record";
    std::string out = parent->parent == nullptr ? std::string{} : parent->to_string();
    if (name != nullptr) {
      if (!out.empty())
        out.push_back('.');
      out.append(name);
    } else {
      out.append("[" + std::to_string(index) + "]");
    }
    return out;
  }
};

[[noreturn]] inline void json_mismatch(const json_path& path, const std::string& expected,
                                       const json_value& got) {
  auto where = path.parent == nullptr ? path.to_string() : "field '" + path.to_string() + "'";
  throw format_error(where + ": expected " + expected + ", got " +
                     (got.is_primitive() ? got.dump() : std::string{got.type_name()}));
}

template <class T>
json_value to_json(const T& value);

/// Collects the fields an inspect function hands over into an object (all
/// named) or an array (none named).
struct json_struct_writer {
  json_value result;

  template <class... Ts>
  void operator()(const Ts&... fields) {
    constexpr bool named = (is_named_field_v<Ts> && ...);
    static_assert(named || (!is_named_field_v<Ts> && ...),
                  "json_format: an inspect function names all its fields or none");
    if constexpr (named && sizeof...(Ts) > 0) {
      result = json_value::object();
      ((result[fields.name] = to_json(fields.value)), ...);
    } else {
      result = json_value::array();
      (result.push_back(to_json(fields)), ...);
    }
  }
};

template <class T>
json_value to_json(const T& value) {
  if constexpr (std::is_same_v<T, char>) {
    return std::string(1, value);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return value;
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<std::underlying_type_t<T>>(value);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return std::string{std::string_view{value}};
  } else if constexpr (is_optional<T>::value) {
    return value ? to_json(*value) : json_value{};
  } else if constexpr (is_pair<T>::value) {
    return json_value::array({to_json(value.first), to_json(value.second)});
  } else if constexpr (is_tuple<T>::value) {
    auto out = json_value::array();
    std::apply([&out](const auto&... xs) { (out.push_back(to_json(xs)), ...); }, value);
    return out;
  } else if constexpr (is_inspectable_v<T>) {
    json_struct_writer writer;
    inspect_fields(value, writer);
    return std::move(writer.result);
  } else if constexpr (is_string_keyed_map<T>::value) {
    auto out = json_value::object();
    for (const auto& [k, v] : value)
      out[k] = to_json(v);
    return out;
  } else if constexpr (is_range<T>::value) {
    auto out = json_value::array();
    for (const auto& element : value)
      out.push_back(to_json(element));
    return out;
  } else {
    static_assert(is_inspectable_v<T>, "json_format cannot write this type: give it an inspect "
                                       "function");
  }
}

template <class T>
void from_json(const json_value& j, T& value, const json_path& path);

/// Reads the fields an inspect function hands over from an object (by
/// name) or an array (by position).
struct json_struct_reader {
  const json_value& j;
  const json_path& path;

  template <class... Ts>
  void operator()(Ts&&... fields) {
    constexpr bool named = (is_named_field_v<std::remove_reference_t<Ts>> && ...);
    static_assert(named || (!is_named_field_v<std::remove_reference_t<Ts>> && ...),
                  "json_format: an inspect function names all its fields or none");
    if constexpr (named && sizeof...(Ts) > 0) {
      if (!j.is_object())
        json_mismatch(path, "an object", j);
      (read_named(fields.name, fields.value), ...);
    } else {
      if (!j.is_array() || j.size() != sizeof...(Ts))
        json_mismatch(path, "an array of " + std::to_string(sizeof...(Ts)) + " values", j);
      std::size_t i = 0;
      (read_element(i++, fields), ...);
    }
  }

  template <class T>
  void read_named(const char* name, T& value) {
    json_path here{&path, name, 0};
    auto it = j.find(name);
    if (it != j.end()) {
      from_json(*it, value, here);
    } else if constexpr (is_optional<T>::value) {
      value.reset();
    } else {
      throw format_error("field '" + here.to_string() + "' is missing");
    }
  }

  template <class T>
  void read_element(std::size_t index, T& value) {
    from_json(j[index], value, json_path{&path, nullptr, index});
  }
};

template <class T>
void integer_from_json(const json_value& j, T& value, const json_path& path) {
  auto expected = [] {
    return "an integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
           std::to_string(std::numeric_limits<T>::max()) + "]";
  };
  if (j.is_number_unsigned()) {
    auto v = j.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
      json_mismatch(path, expected(), j);
    value = static_cast<T>(v);
  } else if (j.is_number_integer()) {
    auto v = j.get<std::int64_t>();
    if constexpr (std::is_unsigned_v<T>) {
      if (v < 0 || static_cast<std::uint64_t>(v) > std::numeric_limits<T>::max())
        json_mismatch(path, expected(), j);
    } else {
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
        json_mismatch(path, expected(), j);
    }
    value = static_cast<T>(v);
  } else {
    json_mismatch(path, expected(), j);
  }
}

template <class T>
void from_json(const json_value& j, T& value, const json_path& path) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean())
      json_mismatch(path, "true or false", j);
    value = j.get<bool>();
  } else if constexpr (std::is_same_v<T, char>) {
    if (!j.is_string() || j.get_ref<const std::string&>().size() != 1)
      json_mismatch(path, "a string of one character", j);
    value = j.get_ref<const std::string&>()[0];
  } else if constexpr (std::is_integral_v<T>) {
    integer_from_json(j, value, path);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!j.is_number())
      json_mismatch(path, "a number", j);
    value = j.get<T>();
  } else if constexpr (std::is_enum_v<T>) {
    std::underlying_type_t<T> raw{};
    from_json(j, raw, path);
    value = static_cast<T>(raw);
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!j.is_string())
      json_mismatch(path, "a string", j);
    value = j.get_ref<const std::string&>();
  } else if constexpr (is_optional<T>::value) {
    if (j.is_null()) {
      value.reset();
    } else {
      typename T::value_type inner{};
      from_json(j, inner, path);
      value = std::move(inner);
    }
  } else if constexpr (is_pair<T>::value) {
    json_struct_reader reader{j, path};
    reader(value.first, value.second);
  } else if constexpr (is_tuple<T>::value) {
    json_struct_reader reader{j, path};
    std::apply(reader, value);
  } else if constexpr (is_inspectable_v<T>) {
    json_struct_reader reader{j, path};
    inspect(reader, value);
  } else if constexpr (is_string_keyed_map<T>::value) {
    if (!j.is_object())
      json_mismatch(path, "an object", j);
    value.clear();
    for (const auto& [k, v] : j.items()) {
      typename T::mapped_type element{};
      from_json(v, element, json_path{&path, k.c_str(), 0});
      value.emplace(k, std::move(element));
    }
  } else if constexpr (is_range<T>::value) {
    if (!j.is_array())
      json_mismatch(path, "an array", j);
    value.clear();
    std::size_t i = 0;
    for (const auto& v : j) {
      typename T::value_type element{};
      from_json(v, element, json_path{&path, nullptr, i++});
      value.insert(value.end(), std::move(element));
    }
  } else {
    static_assert(is_inspectable_v<T>, "json_format cannot read this type: give it an inspect "
                                       "function");
  }
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

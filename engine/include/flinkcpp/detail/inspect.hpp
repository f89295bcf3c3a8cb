#pragma once

// The inspect protocol: a record type is a plain struct with one free function
// found by argument-dependent lookup,
//
//   template <class Inspector>
//   auto inspect(Inspector& f, word_count& x) { return f(x.word, x.count); }
//
// that hands its fields, in a fixed order, to an inspector (CAF's idiom). The
// engine uses it to print records, to hash keys, to estimate sizes, for their
// binary form and in the formats (JSON, CSV). Fields may be strings,
// arithmetic types, std::pair/tuple, std::vector, std::optional or other
// inspectable structs, each either as it is or named through flinkcpp::field
// (flinkcpp/field.hpp).

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "flinkcpp/export.hpp"
#include "flinkcpp/field.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Accepts any fields; used only to detect whether `inspect` exists.
struct inspect_probe {
  template <class... Ts>
  void operator()(Ts&&...) {}
};

template <class T, class = void>
struct is_inspectable : std::false_type {};

template <class T>
struct is_inspectable<
  T, std::void_t<decltype(inspect(std::declval<inspect_probe&>(), std::declval<T&>()))>>
  : std::true_type {};

template <class T>
inline constexpr bool is_inspectable_v = is_inspectable<T>::value;

/// Calls `visitor(fields...)` through the record's inspect function. The
/// visitors the engine passes only read, so a const record is safe here.
template <class T, class Visitor>
void inspect_fields(const T& record, Visitor& visitor) {
  inspect(visitor, const_cast<T&>(record));
}

template <class T>
struct is_named_field : std::false_type {};
template <class T>
struct is_named_field<named_field<T>> : std::true_type {};

template <class T>
inline constexpr bool is_named_field_v = is_named_field<std::remove_cv_t<T>>::value;

/// The value of a field an inspect function handed over: `x` itself, or
/// what a named_field refers to.
template <class T>
decltype(auto) field_value(T& x) noexcept {
  if constexpr (is_named_field_v<T>)
    return (x.value);
  else
    return (x);
}

template <class T, class = void>
struct is_range : std::false_type {};

template <class T>
struct is_range<T, std::void_t<decltype(std::declval<const T&>().begin()),
                               decltype(std::declval<const T&>().end())>> : std::true_type {};

template <class T>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_tuple : std::false_type {};
template <class... Ts>
struct is_tuple<std::tuple<Ts...>> : std::true_type {};

} // namespace flinkcpp::detail
FLINKCPP_API_END

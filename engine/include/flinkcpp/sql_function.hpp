#pragma once

// Scalar functions for Flink SQL (Flink's ScalarFunction), defined in a job
// library (flinkcpp_job_library) as plain C++ functions:
//
//   std::int64_t with_tax(std::int64_t cents) { return cents * 119 / 100; }
//   FLINKCPP_SQL_FUNCTION(with_tax, "com.example.WithTax")
//
// and called by the name a script gives them:
//
//   CREATE FUNCTION with_tax AS 'com.example.WithTax'
//     LANGUAGE CPP USING JAR 'local:///opt/flink/usrlib/libudf.so';
//   SELECT with_tax(price) FROM orders;
//
// Parameters and results: bool (BOOLEAN), std::int32_t (INT), std::int64_t
// (BIGINT), double (DOUBLE), std::string (STRING), each also as
// std::optional<T> to take or give NULL. A NULL argument for a parameter
// that is not optional makes the result NULL without a call, as SQL's own
// functions do. The function runs on the subtasks' threads, concurrently:
// it must be safe to call from several threads. A throwing function fails
// the job.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "flinkcpp/export.hpp"
#include "flinkcpp/version.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A SQL value as a user-defined function sees it (monostate: NULL).
using sql_value =
  std::variant<std::monostate, bool, std::int32_t, std::int64_t, double, std::string>;

/// The SQL types of user-defined functions' parameters and results.
enum class sql_function_type { boolean, integer, bigint, double_, string };

namespace detail {

/// A registered function: its name (the AS '...' of CREATE FUNCTION), its
/// types, and a call on values of those types.
struct sql_function_definition {
  std::string name;
  std::string built_for_version;
  int built_for_abi = 0;
  std::vector<sql_function_type> parameters;
  std::vector<bool> optional_parameters;
  sql_function_type result = sql_function_type::string;
  std::function<sql_value(const std::vector<sql_value>&)> call;
};

/// Adds a function to the process-wide registry during static
/// initialization (of a job library, while it is loaded).
struct sql_function_registrar {
  explicit sql_function_registrar(sql_function_definition definition);
};

/// The functions registered so far under `name`, or null.
const sql_function_definition* find_sql_function(const std::string& name);

/// The names of the functions registered so far, sorted.
std::vector<std::string> sql_function_names();

template <class T>
struct sql_type_of;
template <>
struct sql_type_of<bool> {
  static constexpr auto type = sql_function_type::boolean;
};
template <>
struct sql_type_of<std::int32_t> {
  static constexpr auto type = sql_function_type::integer;
};
template <>
struct sql_type_of<std::int64_t> {
  static constexpr auto type = sql_function_type::bigint;
};
template <>
struct sql_type_of<double> {
  static constexpr auto type = sql_function_type::double_;
};
template <>
struct sql_type_of<std::string> {
  static constexpr auto type = sql_function_type::string;
};

template <class T>
struct sql_optional : std::false_type {
  using type = T;
};
template <class T>
struct sql_optional<std::optional<T>> : std::true_type {
  using type = T;
};

template <class T>
using sql_plain_t = typename sql_optional<std::decay_t<T>>::type;

/// The argument a parameter of type P gets from `v` (of P's SQL type, or
/// NULL for an optional P).
template <class P>
auto sql_argument(const sql_value& v) {
  using plain = sql_plain_t<P>;
  if constexpr (sql_optional<std::decay_t<P>>::value)
    return v.index() == 0 ? std::optional<plain>{} : std::optional<plain>{std::get<plain>(v)};
  else
    return std::get<plain>(v);
}

template <class R, class... A, std::size_t... I>
sql_value call_sql_function(R (*fn)(A...), const std::vector<sql_value>& args,
                            std::index_sequence<I...>) {
  constexpr bool optional[] = {sql_optional<std::decay_t<A>>::value..., false};
  for (std::size_t i = 0; i < sizeof...(A); ++i)
    if (!optional[i] && args[i].index() == 0)
      return sql_value{};
  R result = fn(sql_argument<A>(args[I])...);
  if constexpr (sql_optional<R>::value) {
    if (!result)
      return sql_value{};
    return sql_value{std::move(*result)};
  } else {
    return sql_value{std::move(result)};
  }
}

template <class R, class... A>
sql_function_definition describe_sql_function(R (*fn)(A...), const char* name) {
  sql_function_definition d;
  d.name = name;
  d.built_for_version = FLINKCPP_VERSION_STRING;
  d.built_for_abi = FLINKCPP_ABI_VERSION;
  d.parameters = {sql_type_of<sql_plain_t<A>>::type...};
  d.optional_parameters = {sql_optional<std::decay_t<A>>::value...};
  d.result = sql_type_of<sql_plain_t<R>>::type;
  d.call = [fn](const std::vector<sql_value>& args) {
    return call_sql_function(fn, args, std::index_sequence_for<A...>{});
  };
  return d;
}

} // namespace detail
} // namespace flinkcpp
FLINKCPP_API_END

#define FLINKCPP_SQL_FUNCTION(fn, name)                                                            \
  static const ::flinkcpp::detail::sql_function_registrar flinkcpp_sql_function_##fn {             \
    ::flinkcpp::detail::describe_sql_function(&(fn), name)                                         \
  }

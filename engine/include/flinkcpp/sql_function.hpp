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
//
// Aggregate functions (Flink's AggregateFunction) are types with an
// accumulator kept in keyed state (so it needs an `inspect`, as a record's
// type), registered as FLINKCPP_SQL_AGGREGATE_FUNCTION(type, "name"):
//
//   struct weighted_avg {
//     struct accumulator { std::int64_t sum = 0; std::int64_t weight = 0; };
//     accumulator create_accumulator() const { return {}; }
//     void accumulate(accumulator& a, std::int64_t v, std::int32_t w) const;
//     void retract(accumulator& a, std::int64_t v, std::int32_t w) const;  // optional
//     void merge(accumulator& a, const accumulator& other) const;          // optional
//     std::optional<std::int64_t> get_value(const accumulator& a) const;
//   };
//   template <class Inspector>
//   auto inspect(Inspector& f, weighted_avg::accumulator& x) { return f(x.sum, x.weight); }
//   FLINKCPP_SQL_AGGREGATE_FUNCTION(weighted_avg, "com.example.WeightedAvg")
//
// declared and called as built-in aggregates are (CREATE FUNCTION ...; SELECT
// k, wavg(v, w) FROM t GROUP BY k), in group and window aggregations and
// with FILTER (WHERE ...); not with DISTINCT. A row whose argument is NULL
// for a parameter that is not optional is skipped, as built-in aggregates
// skip NULLs. Without retract the function takes no changelog (updating)
// input, without merge it runs in no session window: the planner says so.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
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

/// What a registered function is: its name (the AS '...' of CREATE
/// FUNCTION), the flink-cpp it was built for, its parameter and result
/// types.
struct sql_function_signature {
  std::string name;
  std::string built_for_version;
  int built_for_abi = 0;
  std::vector<sql_function_type> parameters;
  std::vector<bool> optional_parameters;
  sql_function_type result = sql_function_type::string;
};

/// A registered scalar function: its signature and a call on values of its
/// types.
struct sql_function_definition : sql_function_signature {
  std::function<sql_value(const std::vector<sql_value>&)> call;
};

/// Adds a function to the process-wide registry during static
/// initialization (of a job library, while it is loaded).
struct sql_function_registrar {
  explicit sql_function_registrar(sql_function_definition definition);
};

/// The functions registered so far under `name`, or null.
const sql_function_definition* find_sql_function(const std::string& name);

/// The names of the functions registered so far (scalar and aggregate),
/// sorted.
std::vector<std::string> sql_function_names();

/// A registered aggregate function: its signature and its operations on
/// an accumulator held as bytes.
struct sql_aggregate_definition : sql_function_signature {
  std::function<std::string()> create;
  /// Adds a row's arguments (no NULL for a parameter that is not optional).
  std::function<void(std::string&, const std::vector<sql_value>&)> accumulate;
  /// Takes a row's arguments out again; empty when the function cannot.
  std::function<void(std::string&, const std::vector<sql_value>&)> retract;
  /// Adds the second accumulator into the first; empty when it cannot.
  std::function<void(std::string&, const std::string&)> merge;
  std::function<sql_value(const std::string&)> get_value;
};

/// Adds an aggregate function to the registry, as sql_function_registrar.
struct sql_aggregate_registrar {
  explicit sql_aggregate_registrar(sql_aggregate_definition definition);
};

/// The aggregate function registered under `name`, or null.
const sql_aggregate_definition* find_sql_aggregate(const std::string& name);

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

/// Calls fn(args...) with each value as its parameter's C++ type; false
/// (no call) when a parameter that is not optional gets NULL.
template <class... A, class F, std::size_t... I>
bool call_with_sql_arguments(const std::vector<sql_value>& args, F&& fn,
                             std::index_sequence<I...>) {
  constexpr bool optional[] = {sql_optional<std::decay_t<A>>::value..., false};
  for (std::size_t i = 0; i < sizeof...(A); ++i)
    if (!optional[i] && args[i].index() == 0)
      return false;
  fn(sql_argument<A>(args[I])...);
  return true;
}

/// A function's result as a sql_value (an empty optional: NULL).
template <class R>
sql_value sql_result(R result) {
  if constexpr (sql_optional<R>::value) {
    if (!result)
      return sql_value{};
    return sql_value{std::move(*result)};
  } else {
    return sql_value{std::move(result)};
  }
}

template <class R, class... A>
sql_value call_sql_function(R (*fn)(A...), const std::vector<sql_value>& args) {
  sql_value out;
  call_with_sql_arguments<A...>(
    args, [&](auto&&... a) { out = sql_result<R>(fn(std::forward<decltype(a)>(a)...)); },
    std::index_sequence_for<A...>{});
  return out;
}

/// Fills `d` for a function named `name` taking A... and giving R.
template <class R, class... A>
void describe_signature(sql_function_signature& d, const char* name) {
  d.name = name;
  d.built_for_version = FLINKCPP_VERSION_STRING;
  d.built_for_abi = FLINKCPP_ABI_VERSION;
  d.parameters = {sql_type_of<sql_plain_t<A>>::type...};
  d.optional_parameters = {sql_optional<std::decay_t<A>>::value...};
  d.result = sql_type_of<sql_plain_t<R>>::type;
}

template <class R, class... A>
sql_function_definition describe_sql_function(R (*fn)(A...), const char* name) {
  sql_function_definition d;
  describe_signature<R, A...>(d, name);
  d.call = [fn](const std::vector<sql_value>& args) { return call_sql_function(fn, args); };
  return d;
}

/// The parameters of an aggregate function's accumulate (after the
/// accumulator).
template <class M>
struct accumulate_signature;
template <class T, class Acc, class... A>
struct accumulate_signature<void (T::*)(Acc&, A...) const> {
  template <class F>
  static auto with(F&& f) {
    return std::forward<F>(f).template operator()<A...>();
  }
};

template <class T>
sql_aggregate_definition describe_sql_aggregate(const char* name) {
  using accumulator = typename T::accumulator;
  sql_aggregate_definition d;
  using result_type =
    decltype(std::declval<const T&>().get_value(std::declval<const accumulator&>()));
  accumulate_signature<decltype(&T::accumulate)>::with([&]<class... A>() {
    describe_signature<result_type, A...>(d, name);
    // Applies op(function, accumulator, arguments...) (accumulate or
    // retract) to the bytes of an accumulator.
    auto apply = [](auto op) {
      return [op](std::string& bytes, const std::vector<sql_value>& args) {
        auto acc = from_bytes<accumulator>(bytes);
        if (call_with_sql_arguments<A...>(
              args, [&](auto&&... a) { op(T{}, acc, std::forward<decltype(a)>(a)...); },
              std::index_sequence_for<A...>{}))
          bytes = to_bytes(acc);
      };
    };
    d.accumulate = apply([](const T& f, accumulator& acc, auto&&... a) {
      f.accumulate(acc, std::forward<decltype(a)>(a)...);
    });
    if constexpr (requires { &T::retract; })
      d.retract = apply([](const T& f, accumulator& acc, auto&&... a) {
        f.retract(acc, std::forward<decltype(a)>(a)...);
      });
  });
  d.create = [] { return to_bytes(T{}.create_accumulator()); };
  if constexpr (requires { &T::merge; })
    d.merge = [](std::string& into, const std::string& from) {
      auto acc = from_bytes<accumulator>(into);
      T{}.merge(acc, from_bytes<accumulator>(from));
      into = to_bytes(acc);
    };
  d.get_value = [](const std::string& bytes) {
    return sql_result<result_type>(T{}.get_value(from_bytes<accumulator>(bytes)));
  };
  return d;
}

} // namespace detail
} // namespace flinkcpp
FLINKCPP_API_END

#define FLINKCPP_SQL_AGGREGATE_FUNCTION(type, name)                                                \
  static const ::flinkcpp::detail::sql_aggregate_registrar flinkcpp_sql_aggregate_##type {         \
    ::flinkcpp::detail::describe_sql_aggregate<type>(name)                                         \
  }

#define FLINKCPP_SQL_FUNCTION(fn, name)                                                            \
  static const ::flinkcpp::detail::sql_function_registrar flinkcpp_sql_function_##fn {             \
    ::flinkcpp::detail::describe_sql_function(&(fn), name)                                         \
  }

#pragma once

#include <functional>
#include <type_traits>

#include "flinkcpp/detail/keyed_aggregation.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Flink's built-in aggregations of a keyed or windowed stream of T, for a
/// stream type `Derived` that provides `aggregate_with(Fold fold, bool reduce)`
/// (a rolling aggregate per key, or one per key and window). Following
/// Flink: sum/min/max keep the other fields of the first record;
/// min_by/max_by keep the whole record holding the extreme value. Fields
/// are member pointers (&reading::value); streams of numbers aggregate the
/// records themselves (sum(), min(), max()).
template <class Derived, class T>
class aggregations {
public:
  /// The sum of a numeric field.
  template <class M, class U = T>
  auto sum(M U::*field) const {
    return self().aggregate_with(sum_field<T, M>{field}, false);
  }

  /// The sum of the records themselves (a stream of numbers).
  auto sum() const requires std::is_arithmetic_v<T> {
    return self().aggregate_with(sum_value{}, false);
  }

  template <class M, class U = T>
  auto min(M U::*field) const {
    return self().aggregate_with(extreme_field<T, M, std::less<>>{field}, false);
  }

  template <class M, class U = T>
  auto max(M U::*field) const {
    return self().aggregate_with(extreme_field<T, M, std::greater<>>{field}, false);
  }

  template <class M, class U = T>
  auto min_by(M U::*field) const {
    return self().aggregate_with(extreme_record<T, M, std::less<>>{field}, false);
  }

  template <class M, class U = T>
  auto max_by(M U::*field) const {
    return self().aggregate_with(extreme_record<T, M, std::greater<>>{field}, false);
  }

  auto min() const requires std::is_arithmetic_v<T> {
    return self().aggregate_with(extreme_value<std::less<>>{}, false);
  }

  auto max() const requires std::is_arithmetic_v<T> {
    return self().aggregate_with(extreme_value<std::greater<>>{}, false);
  }

  /// Combines the records with fn(accumulated, next) -> T.
  template <class F>
  auto reduce(F fn) const {
    return self().aggregate_with(reduce_with<F>{std::move(fn)}, true);
  }

private:
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// Flink's interval join: keyed_stream::interval_join(other) pairs each left
// record with the right records of its key whose event time lies within
// [left time + lower, left time + upper] (between(), bounds inclusive unless
// made exclusive), and hands each pair to a process_join_function. Both
// inputs need event time; each side's records wait in keyed state until the
// watermark passed the last time a record of the other side could match
// them, so state stays bounded for inputs of bounded delay.

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "flinkcpp/connected_streams.hpp"
#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/detail/interval_join_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/process_join_function.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// An interval join being set up (Flink's KeyedStream.IntervalJoin and
/// IntervalJoined): between() sets the bounds, lower_bound_exclusive() and
/// upper_bound_exclusive() exclude them, process() adds the join. Cheap to
/// copy. The key types of both streams must be the same.
template <class L, class KeyFnL, class R, class KeyFnR>
class interval_join {
public:
  using key_type = typename keyed_stream<L, KeyFnL>::key_type;
  static_assert(std::is_same_v<key_type, typename keyed_stream<R, KeyFnR>::key_type>,
                "an interval join needs keys of the same type on both sides");

  /// Throws std::logic_error for streams of different environments.
  interval_join(keyed_stream<L, KeyFnL> left, keyed_stream<R, KeyFnR> right)
    : left_(std::move(left)),
      right_(std::move(right)) {
    detail::require_same_environment(left_.environment(), right_.environment(), "interval_join");
  }

  /// A right record joins a left one when left time + lower <= right time
  /// <= left time + upper. Throws std::invalid_argument if lower > upper.
  interval_join& between(std::chrono::milliseconds lower, std::chrono::milliseconds upper) {
    if (lower > upper)
      throw std::invalid_argument(
        "interval_join: the lower bound (" + std::to_string(lower.count()) +
        " ms) must not be above the upper bound (" + std::to_string(upper.count()) + " ms)");
    lower_ = lower.count();
    upper_ = upper.count();
    return *this;
  }

  /// Excludes the lower bound (left time + lower).
  interval_join& lower_bound_exclusive() {
    lower_exclusive_ = true;
    return *this;
  }

  /// Excludes the upper bound (left time + upper).
  interval_join& upper_bound_exclusive() {
    upper_exclusive_ = true;
    return *this;
  }

  /// Joins with `function`, a process_join_function<L, R, Out>; returns its
  /// output stream ("Interval Join"). Throws std::invalid_argument when the
  /// exclusive bounds leave no interval.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    using out = typename F::output_type;
    static_assert(std::is_base_of_v<process_join_function<L, R, out>, F>,
                  "process takes a process_join_function of the left and right record types");
    detail::interval_bounds bounds{lower_ + (lower_exclusive_ ? 1 : 0),
                                   upper_ - (upper_exclusive_ ? 1 : 0)};
    if (bounds.lower > bounds.upper)
      throw std::invalid_argument("interval_join: the exclusive bounds leave no interval");
    using buffers = detail::interval_join_buffers<key_type, F>;
    return detail::add_two_input_node<out>(
      left_.environment(), "Interval Join", left_.inputs(), right_.inputs(), true,
      [left_key = left_.key(), right_key = right_.key(),
       join = buffers{std::move(function), bounds}](const spi::operator_context& context) {
        return std::make_unique<detail::interval_join_operator<KeyFnL, KeyFnR, buffers>>(
          left_key, right_key, join, context);
      });
  }

private:
  keyed_stream<L, KeyFnL> left_;
  keyed_stream<R, KeyFnR> right_;
  std::int64_t lower_ = 0;
  std::int64_t upper_ = 0;
  bool lower_exclusive_ = false;
  bool upper_exclusive_ = false;
};

template <class T, class KeyFn>
template <class U, class KeyFn2>
interval_join<T, KeyFn, U, KeyFn2>
keyed_stream<T, KeyFn>::interval_join(const keyed_stream<U, KeyFn2>& other) const {
  return flinkcpp::interval_join<T, KeyFn, U, KeyFn2>(*this, other);
}

} // namespace flinkcpp
FLINKCPP_API_END

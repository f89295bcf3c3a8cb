#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A window of time [start, end) (Flink's TimeWindow), in milliseconds of
/// event or processing time; the window of global_windows is all of time,
/// [min, max] of int64 (Flink's GlobalWindow). A value type.
struct time_window {
  std::int64_t start = 0;
  std::int64_t end = 0;

  /// The last time the window holds, end - 1 (the end of time for the
  /// global window); what its results carry.
  std::int64_t max_timestamp() const noexcept {
    return end == std::numeric_limits<std::int64_t>::max() ? end : end - 1;
  }

  /// Whether the windows overlap or touch (session windows merge then).
  bool intersects(const time_window& other) const noexcept {
    return start <= other.end && end >= other.start;
  }

  /// The smallest window holding both.
  time_window cover(const time_window& other) const noexcept {
    return {std::min(start, other.start), std::max(end, other.end)};
  }

  friend bool operator==(const time_window&, const time_window&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, time_window& x) {
  return f(x.start, x.end);
}

} // namespace flinkcpp
FLINKCPP_API_END

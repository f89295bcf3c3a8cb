#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "flinkcpp/detail/aggregations.hpp"
#include "flinkcpp/detail/window_fold_function.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/windows.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

template <class T, class KeyFn>
class keyed_stream;

/// A keyed stream grouped into windows (Flink's WindowedStream): its
/// aggregations (detail::aggregations: sum, min, max, min_by, max_by, reduce)
/// emit one record per key and window once the window's time (the watermark,
/// or the processing time) passes its end, carrying the window's max
/// timestamp. Event-time windows need records with event time
/// (assign_timestamps_and_watermarks upstream); a record without it fails the
/// job. Cheap to copy.
template <class T, class KeyFn>
class windowed_stream : public detail::aggregations<windowed_stream<T, KeyFn>, T> {
public:
  windowed_stream(keyed_stream<T, KeyFn> keyed, fixed_windows windows)
    : keyed_(std::move(keyed)),
      windows_(std::move(windows)) {}

  /// Event-time windows keep their state `lateness` past their end (Flink's
  /// allowedLateness): a record arriving after its window fired but before
  /// the watermark passed end + lateness updates the window and fires it
  /// again at once; later records are dropped. Zero by default. Throws
  /// std::invalid_argument for a negative lateness, and for processing-time
  /// windows (whose records are never late).
  windowed_stream allowed_lateness(std::chrono::milliseconds lateness) const {
    if (lateness.count() < 0)
      throw std::invalid_argument("allowed_lateness: the lateness must not be negative");
    if (windows_.domain() != time_domain::event_time && lateness.count() > 0)
      throw std::invalid_argument(
        "allowed_lateness applies to event-time windows only: records are never late for " +
        windows_.describe());
    windowed_stream copy = *this;
    copy.lateness_ = lateness.count();
    return copy;
  }

private:
  friend class detail::aggregations<windowed_stream<T, KeyFn>, T>;

  template <class Fold>
  auto aggregate(Fold fold, bool reduce) const {
    using key_type = typename keyed_stream<T, KeyFn>::key_type;
    return keyed_.process_as(
      "Window(" + windows_.describe() + (reduce ? ", ReduceFunction)" : ", Aggregation)"),
      detail::window_fold_function<key_type, T, Fold>{windows_, lateness_, std::move(fold)});
  }

  keyed_stream<T, KeyFn> keyed_;
  fixed_windows windows_;
  std::int64_t lateness_ = 0;
};

} // namespace flinkcpp
FLINKCPP_API_END

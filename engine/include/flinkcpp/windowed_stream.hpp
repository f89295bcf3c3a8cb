#pragma once

#include <utility>

#include "flinkcpp/detail/aggregations.hpp"
#include "flinkcpp/detail/window_fold_function.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/windows.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

template <class T, class KeyFn>
class keyed_stream;

/// A keyed stream grouped into event-time windows (Flink's WindowedStream):
/// its aggregations (detail::aggregations: sum, min, max, min_by, max_by,
/// reduce) emit one record per key and window once the watermark passes the
/// window's end, carrying the window's max timestamp. The records need event
/// time (assign_timestamps_and_watermarks upstream); a record without it
/// fails the job. Cheap to copy.
template <class T, class KeyFn>
class windowed_stream : public detail::aggregations<windowed_stream<T, KeyFn>, T> {
public:
  windowed_stream(keyed_stream<T, KeyFn> keyed, event_time_windows windows)
    : keyed_(std::move(keyed)),
      windows_(std::move(windows)) {}

private:
  friend class detail::aggregations<windowed_stream<T, KeyFn>, T>;

  template <class Fold>
  auto aggregate(Fold fold, bool reduce) const {
    using key_type = typename keyed_stream<T, KeyFn>::key_type;
    return keyed_.process_as(
      "Window(" + windows_.describe() + (reduce ? ", ReduceFunction)" : ", Aggregation)"),
      detail::window_fold_function<key_type, T, Fold>{windows_, std::move(fold)});
  }

  keyed_stream<T, KeyFn> keyed_;
  event_time_windows windows_;
};

} // namespace flinkcpp
FLINKCPP_API_END

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/time_window.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A record with its timestamp, as a window with an evictor keeps it (Flink's
/// TimestampedValue); records without a timestamp (processing time, no
/// watermark strategy upstream) carry min_watermark.
template <class T>
struct timestamped_value {
  T value;
  std::int64_t timestamp = min_watermark;

  bool has_timestamp() const noexcept { return timestamp != min_watermark; }

  friend bool operator==(const timestamped_value&, const timestamped_value&) = default;
};

template <class Inspector, class T>
auto inspect(Inspector& f, timestamped_value<T>& x) {
  return f(x.value, x.timestamp);
}

/// Removes records from a window when it fires (Flink's Evictor): before
/// the window function sees them, after it did, or both. A windowed stream
/// with an evictor keeps every record of each window (as process() does)
/// and applies its reduce, aggregate or process function to what is left
/// at each firing; what is left after evict_after stays in the window.
///
/// Methods are called on the window operator's subtask thread, for one key
/// and window; evictors keep no state of their own (one object serves every
/// subtask).
template <class T>
class evictor {
public:
  /// The window's view of its operator (Flink's EvictorContext).
  struct context {
    std::int64_t current_watermark = min_watermark;
    std::int64_t current_processing_time = 0;
  };

  virtual ~evictor() = default;

  /// Before the window function: erase from `elements` (the window's
  /// records in arrival order) what it must not see.
  virtual void evict_before(std::vector<timestamped_value<T>>& elements, const time_window& window,
                            const context& ctx) const = 0;

  /// After the window function: erase from `elements` what must not stay.
  virtual void evict_after(std::vector<timestamped_value<T>>& elements, const time_window& window,
                           const context& ctx) const = 0;

  /// The evictor's name in the window operator's name, as Flink's: its
  /// class ("CountEvictor").
  virtual std::string describe() const = 0;
};

} // namespace flinkcpp
FLINKCPP_API_END

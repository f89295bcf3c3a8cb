#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Event-time windows of a fixed size, starting every `slide` (Flink's
/// TumblingEventTimeWindows and SlidingEventTimeWindows): window [start,
/// end) holds the records with start <= timestamp < end, and is emitted once
/// the watermark reaches end - 1 (its max timestamp). Records arriving after
/// that are late and dropped (no allowed lateness). A value type.
class event_time_windows {
public:
  /// Calls fn(end) with the end of each window holding `timestamp`,
  /// earliest first.
  template <class F>
  void for_each_window_end(std::int64_t timestamp, F&& fn) const {
    auto remainder = ((timestamp - offset_) % slide_ + slide_) % slide_;
    auto last_start = timestamp - remainder;
    for (auto start = last_start - ((size_ - 1) / slide_) * slide_; start <= last_start;
         start += slide_)
      if (timestamp < start + size_)
        fn(start + size_);
  }

  std::int64_t size_ms() const noexcept { return size_; }
  std::int64_t slide_ms() const noexcept { return slide_; }

  /// Flink's description: "TumblingEventTimeWindows(10000)" or
  /// "SlidingEventTimeWindows(10000, 5000)".
  std::string describe() const {
    if (size_ == slide_)
      return "TumblingEventTimeWindows(" + std::to_string(size_) + ")";
    return "SlidingEventTimeWindows(" + std::to_string(size_) + ", " + std::to_string(slide_) + ")";
  }

protected:
  /// Throws std::invalid_argument unless 0 < slide, 0 < size and 0 <= offset < slide.
  event_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds slide,
                     std::chrono::milliseconds offset)
    : size_(size.count()),
      slide_(slide.count()),
      offset_(offset.count()) {
    if (size_ <= 0 || slide_ <= 0)
      throw std::invalid_argument("event-time windows: size and slide must be positive");
    if (offset_ < 0 || offset_ >= slide_)
      throw std::invalid_argument("event-time windows: the offset must be in [0, slide)");
  }

private:
  std::int64_t size_;
  std::int64_t slide_;
  std::int64_t offset_;
};

/// Windows of `size` one after another, each record in exactly one.
class tumbling_event_time_windows : public event_time_windows {
public:
  static tumbling_event_time_windows of(std::chrono::milliseconds size,
                                        std::chrono::milliseconds offset = {}) {
    return tumbling_event_time_windows(size, offset);
  }

private:
  tumbling_event_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds offset)
    : event_time_windows(size, size, offset) {}
};

/// Windows of `size` starting every `slide`, each record in size / slide of them.
class sliding_event_time_windows : public event_time_windows {
public:
  static sliding_event_time_windows of(std::chrono::milliseconds size,
                                       std::chrono::milliseconds slide,
                                       std::chrono::milliseconds offset = {}) {
    return sliding_event_time_windows(size, slide, offset);
  }

private:
  sliding_event_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds slide,
                             std::chrono::milliseconds offset)
    : event_time_windows(size, slide, offset) {}
};

} // namespace flinkcpp
FLINKCPP_API_END

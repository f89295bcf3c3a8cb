#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include <type_traits>
#include <utility>

#include "flinkcpp/export.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/time_window.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Windows of a fixed size, starting every `slide`, in event time or in
/// processing time (Flink's Tumbling/SlidingEventTimeWindows and
/// Tumbling/SlidingProcessingTimeWindows): window [start, end) holds the
/// records whose time (their timestamp, or the processing time at which
/// they arrive) falls in it, and is emitted once that time reaches end - 1
/// (its max timestamp). A value type.
class fixed_windows {
public:
  static constexpr bool merging = false;

  /// Calls fn(window) for each window holding `time`, earliest first.
  template <class T, class F>
  void assign(const T&, std::int64_t time, F&& fn) const {
    for_each_window_end(time, [&](std::int64_t end) { fn(time_window{end - size_, end}); });
  }

  /// Calls fn(end) with the end of each window holding `time`, earliest first.
  template <class F>
  void for_each_window_end(std::int64_t time, F&& fn) const {
    auto remainder = ((time - offset_) % slide_ + slide_) % slide_;
    auto last_start = time - remainder;
    for (auto start = last_start - ((size_ - 1) / slide_) * slide_; start <= last_start;
         start += slide_)
      if (time < start + size_)
        fn(start + size_);
  }

  std::int64_t size_ms() const noexcept { return size_; }
  std::int64_t slide_ms() const noexcept { return slide_; }
  std::int64_t offset_ms() const noexcept { return offset_; }
  time_domain domain() const noexcept { return domain_; }

  /// Flink's description: "TumblingEventTimeWindows(10000)",
  /// "SlidingProcessingTimeWindows(10000, 5000)".
  std::string describe() const {
    std::string time = domain_ == time_domain::event_time ? "EventTime" : "ProcessingTime";
    if (size_ == slide_)
      return "Tumbling" + time + "Windows(" + std::to_string(size_) + ")";
    return "Sliding" + time + "Windows(" + std::to_string(size_) + ", " + std::to_string(slide_) +
           ")";
  }

protected:
  /// Throws std::invalid_argument unless 0 < slide, 0 < size and 0 <= offset < slide.
  fixed_windows(time_domain domain, std::chrono::milliseconds size, std::chrono::milliseconds slide,
                std::chrono::milliseconds offset)
    : domain_(domain),
      size_(size.count()),
      slide_(slide.count()),
      offset_(offset.count()) {
    if (size_ <= 0 || slide_ <= 0)
      throw std::invalid_argument("windows: size and slide must be positive");
    if (offset_ < 0 || offset_ >= slide_)
      throw std::invalid_argument("windows: the offset must be in [0, slide)");
  }

private:
  time_domain domain_;
  std::int64_t size_;
  std::int64_t slide_;
  std::int64_t offset_;
};

/// Event-time windows of `size` one after another, each record in exactly one.
class tumbling_event_time_windows : public fixed_windows {
public:
  static tumbling_event_time_windows of(std::chrono::milliseconds size,
                                        std::chrono::milliseconds offset = {}) {
    return tumbling_event_time_windows(size, offset);
  }

private:
  tumbling_event_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds offset)
    : fixed_windows(time_domain::event_time, size, size, offset) {}
};

/// Event-time windows of `size` starting every `slide`, each record in size / slide of them.
class sliding_event_time_windows : public fixed_windows {
public:
  static sliding_event_time_windows of(std::chrono::milliseconds size,
                                       std::chrono::milliseconds slide,
                                       std::chrono::milliseconds offset = {}) {
    return sliding_event_time_windows(size, slide, offset);
  }

private:
  sliding_event_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds slide,
                             std::chrono::milliseconds offset)
    : fixed_windows(time_domain::event_time, size, slide, offset) {}
};

/// Processing-time windows of `size` one after another: each record goes to
/// the window of the wall-clock time at which it reaches the window operator.
class tumbling_processing_time_windows : public fixed_windows {
public:
  static tumbling_processing_time_windows of(std::chrono::milliseconds size,
                                             std::chrono::milliseconds offset = {}) {
    return tumbling_processing_time_windows(size, offset);
  }

private:
  tumbling_processing_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds offset)
    : fixed_windows(time_domain::processing_time, size, size, offset) {}
};

/// Processing-time windows of `size` starting every `slide`.
class sliding_processing_time_windows : public fixed_windows {
public:
  static sliding_processing_time_windows of(std::chrono::milliseconds size,
                                            std::chrono::milliseconds slide,
                                            std::chrono::milliseconds offset = {}) {
    return sliding_processing_time_windows(size, slide, offset);
  }

private:
  sliding_processing_time_windows(std::chrono::milliseconds size, std::chrono::milliseconds slide,
                                  std::chrono::milliseconds offset)
    : fixed_windows(time_domain::processing_time, size, slide, offset) {}
};

/// One window per key holding all its records (Flink's GlobalWindows): it
/// fires only through a trigger given with windowed_stream::trigger (by
/// default never), and is never cleaned up. Its results carry the end of
/// time as their timestamp. A value type.
class global_windows {
public:
  static constexpr bool merging = false;

  static global_windows create() { return {}; }

  template <class T, class F>
  void assign(const T&, std::int64_t, F&& fn) const {
    fn(time_window{std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::max()});
  }

  /// As Flink's: not event time (its records are never late).
  time_domain domain() const noexcept { return time_domain::processing_time; }
  std::string describe() const { return "GlobalWindows()"; }
};

/// Session windows with a fixed gap (Flink's EventTimeSessionWindows /
/// ProcessingTimeSessionWindows withGap): each record opens a window
/// [time, time + gap), and windows of a key that overlap or touch merge, so
/// a session is [its first time, its last time + gap) and closes once the
/// time passes its end with no record in between. A value type.
class session_windows {
public:
  static constexpr bool merging = true;

  /// Throws std::invalid_argument unless gap > 0.
  session_windows(time_domain domain, std::chrono::milliseconds gap)
    : domain_(domain),
      gap_(gap.count()) {
    if (gap_ <= 0)
      throw std::invalid_argument("session windows: the gap must be positive");
  }

  template <class T, class F>
  void assign(const T&, std::int64_t time, F&& fn) const {
    fn(time_window{time, time + gap_});
  }

  std::int64_t gap_ms() const noexcept { return gap_; }
  time_domain domain() const noexcept { return domain_; }

  /// "EventTimeSessionWindows(5000)", as Flink.
  std::string describe() const {
    return (domain_ == time_domain::event_time ? "EventTimeSessionWindows("
                                               : "ProcessingTimeSessionWindows(") +
           std::to_string(gap_) + ")";
  }

private:
  time_domain domain_;
  std::int64_t gap_;
};

/// Session windows whose gap each record gives through `GapFn`:
/// gap(const T&) -> std::chrono::milliseconds (Flink's
/// DynamicEventTimeSessionWindows / DynamicProcessingTimeSessionWindows). A
/// gap that is not positive fails the job. A value type.
template <class GapFn>
class dynamic_session_windows {
public:
  static constexpr bool merging = true;

  dynamic_session_windows(time_domain domain, GapFn gap) : domain_(domain), gap_(std::move(gap)) {}

  template <class T, class F>
  void assign(const T& record, std::int64_t time, F&& fn) const {
    auto gap = std::chrono::milliseconds(gap_(record)).count();
    if (gap <= 0)
      throw std::invalid_argument("dynamic session windows: the gap extractor gave " +
                                  std::to_string(gap) + " ms; a gap must be positive");
    fn(time_window{time, time + gap});
  }

  time_domain domain() const noexcept { return domain_; }

  std::string describe() const {
    return domain_ == time_domain::event_time ? "DynamicEventTimeSessionWindows()"
                                              : "DynamicProcessingTimeSessionWindows()";
  }

private:
  time_domain domain_;
  GapFn gap_;
};

/// Event-time session windows: with_gap(d), or with_dynamic_gap(fn) where
/// fn(record) -> std::chrono::milliseconds.
struct event_time_session_windows {
  static session_windows with_gap(std::chrono::milliseconds gap) {
    return session_windows(time_domain::event_time, gap);
  }
  template <class GapFn>
  static dynamic_session_windows<GapFn> with_dynamic_gap(GapFn gap) {
    return dynamic_session_windows<GapFn>(time_domain::event_time, std::move(gap));
  }
};

/// Processing-time session windows: a session closes `gap` of wall-clock
/// time after its last record reached the window operator.
struct processing_time_session_windows {
  static session_windows with_gap(std::chrono::milliseconds gap) {
    return session_windows(time_domain::processing_time, gap);
  }
  template <class GapFn>
  static dynamic_session_windows<GapFn> with_dynamic_gap(GapFn gap) {
    return dynamic_session_windows<GapFn>(time_domain::processing_time, std::move(gap));
  }
};

} // namespace flinkcpp
FLINKCPP_API_END

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <utility>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Event time, as in Flink: milliseconds since the epoch. A watermark W says
/// that no record with a timestamp up to W is still to come.
///
/// The watermark before any: what a stream without event time reports.
inline constexpr std::int64_t min_watermark = std::numeric_limits<std::int64_t>::min();
/// The watermark after the last record: a bounded input ended.
inline constexpr std::int64_t max_watermark = std::numeric_limits<std::int64_t>::max();

/// How a stream gets its event time (Flink's WatermarkStrategy): a timestamp
/// assigner giving each record its timestamp, and the watermarks that follow
/// from the timestamps seen. Used with data_stream::assign_timestamps_and_watermarks;
/// the watermarks are emitted every `pipeline.auto-watermark-interval`.
///
///   stream.assign_timestamps_and_watermarks(
///     flinkcpp::watermark_strategy<event>::for_bounded_out_of_orderness(5s)
///       .with_timestamp_assigner([](const event& e) { return e.time_ms; }));
///
/// A value type; copies are independent. The assigner is copied into every
/// parallel subtask and called from its thread only.
template <class T>
class watermark_strategy {
public:
  using timestamp_assigner = std::function<std::int64_t(const T&)>;

  /// Records arrive at most `max_out_of_orderness` later than a record with
  /// a larger timestamp: the watermark trails the largest timestamp seen by
  /// that much (and 1 ms, as Flink's BoundedOutOfOrdernessWatermarks).
  /// Throws std::invalid_argument for a negative bound.
  static watermark_strategy
  for_bounded_out_of_orderness(std::chrono::milliseconds max_out_of_orderness) {
    if (max_out_of_orderness.count() < 0)
      throw std::invalid_argument(
        "watermark_strategy: the out-of-orderness bound must not be negative");
    return watermark_strategy(max_out_of_orderness.count());
  }

  /// Timestamps never decrease (for_bounded_out_of_orderness(0)).
  static watermark_strategy for_monotonous_timestamps() { return watermark_strategy(0); }

  /// This strategy with `assigner(record) -> std::int64_t` giving each
  /// record's timestamp.
  template <class F>
  watermark_strategy with_timestamp_assigner(F assigner) const {
    watermark_strategy copy = *this;
    copy.assigner_ = std::move(assigner);
    return copy;
  }

  std::int64_t max_out_of_orderness_ms() const noexcept { return bound_; }
  const timestamp_assigner& assigner() const noexcept { return assigner_; }

private:
  explicit watermark_strategy(std::int64_t bound) : bound_(bound) {}

  std::int64_t bound_;
  timestamp_assigner assigner_;
};

} // namespace flinkcpp
FLINKCPP_API_END

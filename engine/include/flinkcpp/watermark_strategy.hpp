#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/watermark_generator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// How a stream gets its event time (Flink's WatermarkStrategy): a timestamp
/// assigner giving each record its timestamp, a watermark generator making
/// the watermarks that follow from the timestamps seen, and optionally an
/// idle timeout. Used with data_stream::assign_timestamps_and_watermarks;
/// periodic watermarks are emitted every `pipeline.auto-watermark-interval`.
///
///   stream.assign_timestamps_and_watermarks(
///     flinkcpp::watermark_strategy<event>::for_bounded_out_of_orderness(5s)
///       .with_timestamp_assigner([](const event& e) { return e.time_ms; })
///       .with_idleness(1min));
///
/// A value type; copies are independent. The assigner is copied into every
/// parallel subtask, and every subtask makes its own generator; both are
/// called from the subtask's thread only.
template <class T>
class watermark_strategy {
public:
  using timestamp_assigner = std::function<std::int64_t(const T&)>;
  using generator_factory =
    std::function<std::unique_ptr<watermark_generator<T>>(const spi::processing_clock&)>;

  /// Records arrive at most `max_out_of_orderness` later than a record with
  /// a larger timestamp: the watermark trails the largest timestamp seen by
  /// that much (and 1 ms, as Flink's BoundedOutOfOrdernessWatermarks).
  /// Throws std::invalid_argument for a negative bound.
  static watermark_strategy
  for_bounded_out_of_orderness(std::chrono::milliseconds max_out_of_orderness) {
    if (max_out_of_orderness.count() < 0)
      throw std::invalid_argument(
        "watermark_strategy: the out-of-orderness bound must not be negative");
    auto bound = max_out_of_orderness.count();
    return watermark_strategy([bound](const spi::processing_clock&) {
      return std::make_unique<bounded_out_of_orderness_watermarks<T>>(bound);
    });
  }

  /// Timestamps never decrease (for_bounded_out_of_orderness(0)).
  static watermark_strategy for_monotonous_timestamps() {
    return for_bounded_out_of_orderness(std::chrono::milliseconds{0});
  }

  /// Watermarks from a generator of the user's: `make()` returns a
  /// std::unique_ptr to a watermark_generator<T> subclass, called once per
  /// subtask.
  template <class F>
  static watermark_strategy for_generator(F make) {
    static_assert(std::is_convertible_v<std::invoke_result_t<const F&>,
                                        std::unique_ptr<watermark_generator<T>>>,
                  "for_generator takes a callable returning "
                  "std::unique_ptr<flinkcpp::watermark_generator<T>>");
    return watermark_strategy([make = std::move(make)](const spi::processing_clock&)
                                -> std::unique_ptr<watermark_generator<T>> { return make(); });
  }

  /// Timestamps, but no watermarks (Flink's noWatermarks): event-time
  /// timers and windows downstream fire only when the input ends.
  static watermark_strategy no_watermarks() {
    return watermark_strategy(
      [](const spi::processing_clock&) { return std::make_unique<no_watermarks_generator<T>>(); });
  }

  /// Ingestion time: each record's timestamp is the processing time at
  /// which it passes assign_timestamps_and_watermarks (never less than the
  /// record's before it), and the watermark follows that clock, so windows
  /// close as wall time passes even when no record comes. Takes no
  /// timestamp assigner.
  static watermark_strategy for_ingestion_time() {
    watermark_strategy s([](const spi::processing_clock& clock) {
      return std::make_unique<ingestion_time_watermarks<T>>(clock);
    });
    s.ingestion_time_ = true;
    return s;
  }

  /// This strategy with `assigner(record) -> std::int64_t` giving each
  /// record's timestamp. Throws std::invalid_argument for an ingestion-time
  /// strategy (its timestamps come from the clock).
  template <class F>
  watermark_strategy with_timestamp_assigner(F assigner) const {
    if (ingestion_time_)
      throw std::invalid_argument(
        "watermark_strategy: for_ingestion_time stamps records with the processing clock and "
        "takes no timestamp assigner");
    watermark_strategy copy = *this;
    copy.assigner_ = std::move(assigner);
    return copy;
  }

  /// This strategy, and the stream turns idle when no record came for
  /// `timeout` (Flink's withIdleness): subtasks downstream then go on
  /// without its watermark until it has records again, so one silent
  /// source subtask does not stop event time. Throws std::invalid_argument
  /// unless `timeout` is positive.
  watermark_strategy with_idleness(std::chrono::milliseconds timeout) const {
    if (timeout.count() <= 0)
      throw std::invalid_argument("watermark_strategy: the idle timeout must be positive");
    watermark_strategy copy = *this;
    copy.idle_timeout_ = timeout;
    return copy;
  }

  /// The assigner (empty: none given).
  const timestamp_assigner& assigner() const noexcept { return assigner_; }

  /// Whether records are stamped with the processing clock.
  bool ingestion_time() const noexcept { return ingestion_time_; }

  /// The idle timeout (zero: the stream never turns idle).
  std::chrono::milliseconds idleness() const noexcept { return idle_timeout_; }

  /// A new generator for one subtask, on that subtask's clock (which must
  /// outlive it), with the idleness of with_idleness.
  std::unique_ptr<watermark_generator<T>>
  create_generator(const spi::processing_clock& clock) const {
    auto generator = generators_(clock);
    if (idle_timeout_.count() == 0)
      return generator;
    return std::make_unique<watermarks_with_idleness<T>>(std::move(generator),
                                                         idle_timeout_.count(), clock);
  }

private:
  explicit watermark_strategy(generator_factory generators) : generators_(std::move(generators)) {}

  generator_factory generators_;
  timestamp_assigner assigner_;
  std::chrono::milliseconds idle_timeout_{0};
  bool ingestion_time_ = false;
};

} // namespace flinkcpp
FLINKCPP_API_END

#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "flinkcpp/detail/cache_line.hpp"
#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/processing_clock.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Where a watermark generator sends what it decides (Flink's
/// WatermarkOutput). Implemented by the runtime; called from the subtask's
/// thread only.
class alignas(detail::cache_line_size) watermark_output {
public:
  virtual ~watermark_output() = default;

  /// The stream's event time reached `watermark`. A watermark not above the
  /// last one emitted is ignored; a rising one makes an idle stream active.
  virtual void emit_watermark(std::int64_t watermark) = 0;

  /// No records come for now: the subtasks downstream stop waiting for this
  /// stream's watermark (Flink's WatermarkStatus.IDLE) until it is active
  /// again, with its next record or watermark or mark_active().
  virtual void mark_idle() = 0;

  virtual void mark_active() = 0;
};

/// Makes the watermarks of a stream from the timestamps of its records
/// (Flink's WatermarkGenerator), through watermark_strategy::for_generator.
/// A periodic generator emits in on_periodic_emit, which the runtime calls
/// every `pipeline.auto-watermark-interval`; a punctuated one emits in
/// on_event, for records that carry a watermark's mark (the runtime sends
/// such a watermark on once the current step, at most a batch, is done).
///
/// One instance per parallel subtask, called from its thread only.
template <class T>
class alignas(detail::cache_line_size) watermark_generator {
public:
  virtual ~watermark_generator() = default;

  /// Called for every record, with the timestamp it was given.
  virtual void on_event(const T& record, std::int64_t timestamp, watermark_output& output) = 0;

  /// Called every `pipeline.auto-watermark-interval`.
  virtual void on_periodic_emit(watermark_output& output) = 0;
};

/// The watermark trails the largest timestamp seen by a fixed bound and
/// 1 ms (Flink's BoundedOutOfOrdernessWatermarks); emitted periodically.
template <class T>
class bounded_out_of_orderness_watermarks final : public watermark_generator<T> {
public:
  /// `bound_ms` must not be negative.
  explicit bounded_out_of_orderness_watermarks(std::int64_t bound_ms) : bound_(bound_ms) {}

  void on_event(const T&, std::int64_t timestamp, watermark_output&) override {
    largest_ = std::max(largest_, timestamp);
  }

  void on_periodic_emit(watermark_output& output) override {
    // No timestamp yet, or one so small that the bound reaches below time.
    if (largest_ > min_watermark + bound_)
      output.emit_watermark(largest_ - bound_ - 1);
  }

private:
  std::int64_t bound_;
  std::int64_t largest_ = min_watermark;
};

/// Emits no watermark at all (Flink's NoWatermarksGenerator): the stream
/// has timestamps but no event-time progress.
template <class T>
class no_watermarks_generator final : public watermark_generator<T> {
public:
  void on_event(const T&, std::int64_t, watermark_output&) override {}
  void on_periodic_emit(watermark_output&) override {}
};

/// Ingestion time's watermarks: the records are stamped with the processing
/// clock, so every record still to come will carry at least its current
/// time; the watermark follows the clock (one less), with or without
/// records.
template <class T>
class ingestion_time_watermarks final : public watermark_generator<T> {
public:
  /// `clock` must outlive the generator.
  explicit ingestion_time_watermarks(const spi::processing_clock& clock) : clock_(&clock) {}

  void on_event(const T&, std::int64_t, watermark_output&) override {}
  void on_periodic_emit(watermark_output& output) override {
    output.emit_watermark(clock_->now_ms() - 1);
  }

private:
  const spi::processing_clock* clock_;
};

/// Another generator's watermarks, and idleness once no record came for a
/// timeout (Flink's WatermarksWithIdleness): checked at each periodic
/// emission, so the stream turns idle between timeout and timeout plus one
/// `pipeline.auto-watermark-interval` after its last record. While idle the
/// other generator's periodic emission is not called.
template <class T>
class watermarks_with_idleness final : public watermark_generator<T> {
public:
  /// `timeout_ms` > 0; `clock` must outlive the generator.
  watermarks_with_idleness(std::unique_ptr<watermark_generator<T>> inner, std::int64_t timeout_ms,
                           const spi::processing_clock& clock)
    : inner_(std::move(inner)),
      timeout_(timeout_ms),
      clock_(&clock),
      quiet_since_(clock.now_ms()) {}

  void on_event(const T& record, std::int64_t timestamp, watermark_output& output) override {
    ++events_;
    inner_->on_event(record, timestamp, output);
  }

  void on_periodic_emit(watermark_output& output) override {
    auto now = clock_->now_ms();
    if (events_ != events_seen_) {
      events_seen_ = events_;
      quiet_since_ = now;
    } else if (now - quiet_since_ >= timeout_) {
      output.mark_idle();
      return;
    }
    inner_->on_periodic_emit(output);
  }

private:
  std::unique_ptr<watermark_generator<T>> inner_;
  std::int64_t timeout_;
  const spi::processing_clock* clock_;
  std::int64_t quiet_since_;
  std::uint64_t events_ = 0;
  std::uint64_t events_seen_ = 0;
};

} // namespace flinkcpp
FLINKCPP_API_END

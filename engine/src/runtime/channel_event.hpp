#pragma once

#include <cstdint>

#include "flinkcpp/spi/record_batch.hpp"
#include "runtime/barrier_options.hpp"

namespace flinkcpp {

/// What a channel carries, in order. Only batches need credit; the other
/// events travel behind the batches queued before them.
enum class event_kind : std::uint8_t {
  batch,        ///< records (value: the sender's backlog on this channel)
  watermark,    ///< event time progress (value: the watermark)
  barrier,      ///< checkpoint barrier (value: the checkpoint id; options)
  end_of_input, ///< the producer will send nothing more
  /// the producer turned idle or active (value: 1 idle, 0 active; Flink's WatermarkStatus)
  watermark_status,
};

/// One item on a channel. Inside a process a batch moves by pointer.
struct channel_event {
  event_kind kind = event_kind::batch;
  std::int64_t value = 0;
  spi::batch_ptr batch;
  barrier_options options = {}; ///< barriers only

  static channel_event of(spi::batch_ptr b) { return {event_kind::batch, 0, std::move(b)}; }
  static channel_event end_of_input() { return {event_kind::end_of_input, 0, nullptr}; }
  static channel_event watermark(std::int64_t watermark) {
    return {event_kind::watermark, watermark, nullptr};
  }
  static channel_event watermark_status(bool idle) {
    return {event_kind::watermark_status, idle ? 1 : 0, nullptr};
  }
  static channel_event barrier(std::int64_t checkpoint, barrier_options options) {
    return {event_kind::barrier, checkpoint, nullptr, options};
  }

  bool needs_credit() const noexcept { return kind == event_kind::batch; }
};

} // namespace flinkcpp

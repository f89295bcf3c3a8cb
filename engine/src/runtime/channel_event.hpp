#pragma once

#include <cstdint>

#include "flinkcpp/spi/record_batch.hpp"

namespace flinkcpp {

/// What a channel carries, in order. Only batches need credit; the other
/// events travel behind the batches queued before them.
enum class event_kind : std::uint8_t {
  batch,        ///< records (value: the sender's backlog on this channel)
  watermark,    ///< event time progress (value: the watermark)
  barrier,      ///< checkpoint barrier (value: the checkpoint id; flags: barrier_flags)
  end_of_input, ///< the producer will send nothing more
};

/// What a barrier says beyond its checkpoint id.
namespace barrier_flags {
inline constexpr std::uint8_t savepoint = 1; ///< a savepoint, not a checkpoint
inline constexpr std::uint8_t terminate = 2; ///< sources end after it (stop with savepoint)
/// With terminate: the sources send the final watermark before the barrier,
/// so every event-time timer fires before the snapshot (stop --drain).
inline constexpr std::uint8_t drain = 4;
/// A full checkpoint (flink-cpp checkpoint --full): complete and portable as
/// a savepoint's state, also when checkpoints are incremental.
inline constexpr std::uint8_t full = 8;
} // namespace barrier_flags

/// One item on a channel. Inside a process a batch moves by pointer.
struct channel_event {
  event_kind kind = event_kind::batch;
  std::int64_t value = 0;
  spi::batch_ptr batch;
  std::uint8_t flags = 0;

  static channel_event of(spi::batch_ptr b) { return {event_kind::batch, 0, std::move(b)}; }
  static channel_event end_of_input() { return {event_kind::end_of_input, 0, nullptr}; }
  static channel_event watermark(std::int64_t watermark) {
    return {event_kind::watermark, watermark, nullptr};
  }
  static channel_event barrier(std::int64_t checkpoint, std::uint8_t flags) {
    return {event_kind::barrier, checkpoint, nullptr, flags};
  }

  bool needs_credit() const noexcept { return kind == event_kind::batch; }
};

} // namespace flinkcpp

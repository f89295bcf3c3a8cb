#pragma once

#include <cstdint>
#include <vector>

namespace flinkcpp {

/// The receiving side's credit accounting (Flink's exclusive and floating
/// buffers): every input channel owns `exclusive` credits for good; each
/// input gate has a pool of `floating` credits that go to the channels whose
/// senders announce a backlog, and come back when that backlog is gone or the
/// channel ends. A channel therefore never holds more than exclusive + its
/// share of the pool in flight or waiting: memory stays bounded, while a busy
/// channel with a long round trip (another process) gets more batches in
/// flight than an idle one.
///
/// Credits to announce accumulate and go out with take_announcements(), so a
/// task that consumes several batches in one step sends one credit message per
/// channel. Not thread-safe: owned by one task.
class input_credits {
public:
  /// Credits one channel is to receive: (gate, channel, credits).
  struct announcement {
    std::uint32_t gate;
    std::uint32_t channel;
    std::uint32_t credits;
  };

  /// `channels_per_gate[g]`: the number of channels of gate g.
  input_credits(const std::vector<std::uint32_t>& channels_per_gate, std::uint32_t exclusive,
                std::uint32_t floating);

  /// Announces every channel's exclusive credits (when the task starts).
  void start();

  /// A batch arrived on (gate, channel); its sender has `backlog` more
  /// batches waiting for credit. Assigns floating credits to cover them while
  /// the gate's pool has any.
  void on_batch_arrived(std::uint32_t gate, std::uint32_t channel, std::uint32_t backlog);

  /// A batch of (gate, channel) was consumed: its credit goes back to the
  /// sender, or to the gate's pool if the channel holds more than it needs.
  void on_batch_consumed(std::uint32_t gate, std::uint32_t channel);

  /// The channel delivered end of input: its floating credits go back to the pool.
  void on_channel_ended(std::uint32_t gate, std::uint32_t channel);

  /// The credits accumulated since the last call, one entry per channel.
  std::vector<announcement> take_announcements();

  /// Floating credits currently held by (gate, channel), and left in gate's pool.
  std::uint32_t floating_held(std::uint32_t gate, std::uint32_t channel) const;
  std::uint32_t pool(std::uint32_t gate) const { return gates_.at(gate).pool; }
  /// All credits of all gates, exclusive and floating: the batches that may
  /// be in flight or waiting at once.
  std::size_t capacity() const noexcept { return capacity_; }

private:
  struct channel_state {
    std::uint32_t floating = 0; ///< floating credits this channel owns
    std::uint32_t backlog = 0;  ///< the sender's latest announced backlog
    std::uint32_t unannounced = 0;
    bool ended = false;
  };

  struct gate_state {
    std::uint32_t pool = 0;
    std::vector<channel_state> channels;
  };

  void announce(std::uint32_t gate, std::uint32_t channel, std::uint32_t credits);
  void assign_floating(std::uint32_t gate, std::uint32_t channel);
  void hand_out_pool(std::uint32_t gate);

  std::uint32_t exclusive_;
  std::size_t capacity_ = 0;
  std::vector<gate_state> gates_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> to_announce_;
};

} // namespace flinkcpp

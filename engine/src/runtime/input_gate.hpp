#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/channel_event.hpp"

namespace flinkcpp {

/// The receiving side of a task's input channels (one gate per incoming job
/// edge): keeps arrived events in arrival order until the task takes them and
/// tracks which channels have ended. A blocked channel (barrier alignment)
/// keeps its events back, in order, until unblock_all(). How many events can
/// wait is bounded by the credits the task grants. Not thread-safe: owned by
/// one task.
class input_gate {
public:
  /// An arrived event with the gate and channel it came on.
  struct arrival {
    std::uint32_t gate = 0;
    std::uint32_t channel = 0;
    channel_event event;
  };

  /// `channels_per_gate[g]`: the number of channels of gate g.
  explicit input_gate(std::vector<std::uint32_t> channels_per_gate);

  void receive(std::uint32_t gate, std::uint32_t channel, channel_event event);

  /// Whether an event of a channel that is not blocked waits.
  bool has_pending();

  /// Takes the oldest arrival of a channel that is not blocked. Requires
  /// has_pending(). End-of-input arrivals mark their channel as ended.
  arrival take();

  void block(std::uint32_t gate, std::uint32_t channel);

  /// Unblocks every channel; their held events come first, in order.
  void unblock_all();

  /// Whether every channel of every gate has delivered end of input.
  bool all_ended() const noexcept { return open_channels_ == 0; }
  /// Whether every channel of gate `gate` has delivered end of input.
  bool gate_ended(std::uint32_t gate) const { return open_per_gate_.at(gate) == 0; }
  /// Events received and not yet taken (blocked channels' included).
  std::size_t queued() const noexcept { return pending_.size() + held_.size(); }

  const std::vector<std::uint32_t>& channels_per_gate() const noexcept { return channels_; }

private:
  std::vector<std::uint32_t> channels_;
  std::vector<std::vector<bool>> ended_;
  std::vector<std::vector<bool>> blocked_;
  std::size_t blocked_count_ = 0;
  std::size_t open_channels_ = 0;
  std::vector<std::uint32_t> open_per_gate_;
  std::deque<arrival> pending_;
  std::deque<arrival> held_; ///< events of blocked channels, in arrival order
};

} // namespace flinkcpp

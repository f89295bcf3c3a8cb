#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "runtime/channel_event.hpp"

namespace flinkcpp {

/// Credit-based flow control on the sending side of one output partition
/// (Flink's credit-based network stack): each channel may send a batch only
/// against a credit its receiver granted; without credit, batches queue. Once
/// any channel has `max_queued` batches waiting, the gate is unavailable and
/// the task stops producing, so the stall travels upstream to the sources and
/// memory stays bounded whatever the speed mismatch.
///
/// Every batch sent carries its channel's backlog (the batches still queued
/// behind it) in its value, so the receiver can lend it floating credits
/// (input_credits). Events that need no credit (end of input, later
/// watermarks and barriers) never overtake the batches queued before them.
/// Not thread-safe: owned by one task.
class credit_gate {
public:
  /// Sends an event on a channel; called in channel order.
  using send_function = std::function<void(std::uint32_t channel, channel_event&&)>;

  credit_gate(std::uint32_t channels, std::uint32_t max_queued, send_function send);

  /// Sends `event` now if allowed, else queues it.
  void offer(std::uint32_t channel, channel_event event);

  /// The receiver of `channel` granted `credits` more batches; sends what
  /// those credits allow.
  void grant(std::uint32_t channel, std::uint32_t credits);

  /// Whether the task may produce more: no channel's queue is full.
  bool available() const noexcept { return full_channels_ == 0; }

  /// Whether nothing waits to be sent.
  bool drained() const noexcept { return queued_ == 0; }

  std::uint32_t channels() const noexcept { return static_cast<std::uint32_t>(channels_.size()); }
  std::uint32_t credits(std::uint32_t channel) const { return channels_.at(channel).credits; }
  std::size_t queued(std::uint32_t channel) const { return channels_.at(channel).queue.size(); }
  /// Batches queued on all channels, and how many all channels may queue.
  std::size_t queued() const noexcept { return queued_; }
  std::size_t capacity() const noexcept { return channels_.size() * max_queued_; }

private:
  struct channel_state {
    std::uint32_t credits = 0;
    std::size_t queued_batches = 0;
    std::deque<channel_event> queue;
  };

  void release(std::uint32_t channel);
  void count_batches(channel_state& c, std::ptrdiff_t delta);

  std::vector<channel_state> channels_;
  std::uint32_t max_queued_;
  std::size_t full_channels_ = 0;
  std::size_t queued_ = 0;
  send_function send_;
};

} // namespace flinkcpp

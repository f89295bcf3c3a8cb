#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace flinkcpp {

/// The watermark and the idleness of a task's input (Flink's
/// StatusWatermarkValve). The watermark is the minimum over the watermarks
/// of the channels that are active and aligned, so that no channel is still
/// to bring records the task's watermark already passed; it only rises. A
/// channel that ended no longer holds it back; once every channel ended it
/// stays where their last watermarks left it.
///
/// Idleness: a channel whose producer said it is idle is left out of the
/// minimum until it is active again (by saying so, or with its next batch or
/// watermark); it then counts again once its watermark caught up with the
/// input's. When every open channel is idle, the input is idle: it first
/// advances to the largest watermark of its channels, then says so.
///
/// Not thread-safe: owned by one task.
class input_watermarks {
public:
  /// What an event changed: the input's new watermark if it rose, then its
  /// new idleness if that changed (in that order).
  struct update {
    std::optional<std::int64_t> watermark;
    std::optional<bool> idle;
  };

  /// `channels_per_gate[g]`: the number of channels of gate g.
  explicit input_watermarks(const std::vector<std::uint32_t>& channels_per_gate);

  /// (gate, channel) delivered `watermark`. A channel's watermark that falls
  /// back is ignored.
  update on_watermark(std::uint32_t gate, std::uint32_t channel, std::int64_t watermark);

  /// (gate, channel) delivered a batch: an idle channel turns active.
  update on_batch(std::uint32_t gate, std::uint32_t channel) {
    if (!channels_.at(gate).at(channel).idle)
      return {};
    return on_status(gate, channel, false);
  }

  /// (gate, channel)'s producer turned idle (or active again).
  update on_status(std::uint32_t gate, std::uint32_t channel, bool idle);

  /// (gate, channel) delivered its end of input.
  update on_channel_ended(std::uint32_t gate, std::uint32_t channel);

  /// The input's watermark (min_watermark before all channels delivered one).
  std::int64_t current() const noexcept { return current_; }

  /// Whether every open channel is idle.
  bool idle() const noexcept { return idle_; }

private:
  struct channel_state {
    std::int64_t watermark;
    bool ended = false;
    bool idle = false;
    bool aligned = true; ///< counted in the minimum
  };

  /// The watermark and idleness after a channel changed.
  update recompute();

  std::vector<std::vector<channel_state>> channels_; ///< [gate][channel]
  std::int64_t current_;
  bool idle_ = false;
};

} // namespace flinkcpp

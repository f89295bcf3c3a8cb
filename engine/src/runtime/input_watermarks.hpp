#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace flinkcpp {

/// The watermark of a task's input (Flink's StatusWatermarkValve): the
/// minimum over the watermarks its channels delivered, so that no channel
/// is still to bring records the task's watermark already passed. It only
/// rises; a channel that ended no longer holds it back, and once every
/// channel ended it stays where their last watermarks left it. Not
/// thread-safe: owned by one task.
class input_watermarks {
public:
  /// `channels_per_gate[g]`: the number of channels of gate g.
  explicit input_watermarks(const std::vector<std::uint32_t>& channels_per_gate);

  /// (gate, channel) delivered `watermark`. Returns the input's new
  /// watermark if it rose. A channel's watermark that falls back is ignored.
  std::optional<std::int64_t> on_watermark(std::uint32_t gate, std::uint32_t channel,
                                           std::int64_t watermark);

  /// (gate, channel) delivered its end of input. Returns the input's new
  /// watermark if it rose.
  std::optional<std::int64_t> on_channel_ended(std::uint32_t gate, std::uint32_t channel);

  /// The input's watermark (min_watermark before all channels delivered one).
  std::int64_t current() const noexcept { return current_; }

private:
  struct channel_state {
    std::int64_t watermark;
    bool ended = false;
  };

  std::optional<std::int64_t> recompute();

  std::vector<std::vector<channel_state>> channels_; ///< [gate][channel]
  std::int64_t current_;
};

} // namespace flinkcpp

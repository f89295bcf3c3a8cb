#include "runtime/input_watermarks.hpp"

#include <algorithm>

#include "flinkcpp/watermark_strategy.hpp"

namespace flinkcpp {

input_watermarks::input_watermarks(const std::vector<std::uint32_t>& channels_per_gate)
  : current_(min_watermark) {
  for (auto n : channels_per_gate)
    channels_.emplace_back(n, channel_state{min_watermark});
}

std::optional<std::int64_t>
input_watermarks::on_watermark(std::uint32_t gate, std::uint32_t channel, std::int64_t watermark) {
  auto& c = channels_.at(gate).at(channel);
  if (c.ended || watermark <= c.watermark)
    return std::nullopt;
  c.watermark = watermark;
  return recompute();
}

std::optional<std::int64_t> input_watermarks::on_channel_ended(std::uint32_t gate,
                                                               std::uint32_t channel) {
  channels_.at(gate).at(channel).ended = true;
  return recompute();
}

std::optional<std::int64_t> input_watermarks::recompute() {
  bool any_open = false;
  std::int64_t lowest = max_watermark;
  for (const auto& gate : channels_)
    for (const auto& c : gate)
      if (!c.ended) {
        any_open = true;
        lowest = std::min(lowest, c.watermark);
      }
  if (!any_open || lowest <= current_)
    return std::nullopt;
  current_ = lowest;
  return current_;
}

} // namespace flinkcpp

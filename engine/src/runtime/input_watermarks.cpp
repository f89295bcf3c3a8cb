#include "runtime/input_watermarks.hpp"

#include <algorithm>

#include "flinkcpp/event_time.hpp"

namespace flinkcpp {

input_watermarks::input_watermarks(const std::vector<std::uint32_t>& channels_per_gate)
  : current_(min_watermark) {
  for (auto n : channels_per_gate)
    channels_.emplace_back(n, channel_state{min_watermark});
}

input_watermarks::update input_watermarks::on_watermark(std::uint32_t gate, std::uint32_t channel,
                                                        std::int64_t watermark) {
  auto& c = channels_.at(gate).at(channel);
  if (c.ended)
    return {};
  if (watermark <= c.watermark && !c.idle)
    return {};
  c.watermark = std::max(c.watermark, watermark);
  c.idle = false; // a watermark wakes an idle channel; it counts once caught up
  if (c.watermark >= current_)
    c.aligned = true;
  return recompute();
}

input_watermarks::update input_watermarks::on_status(std::uint32_t gate, std::uint32_t channel,
                                                     bool idle) {
  auto& c = channels_.at(gate).at(channel);
  if (c.ended || c.idle == idle)
    return {};
  c.idle = idle;
  // Back from idleness, a channel counts again once it caught up: the
  // input's watermark must not fall back.
  c.aligned = !idle && c.watermark >= current_;
  return recompute();
}

input_watermarks::update input_watermarks::on_channel_ended(std::uint32_t gate,
                                                            std::uint32_t channel) {
  channels_.at(gate).at(channel).ended = true;
  return recompute();
}

input_watermarks::update input_watermarks::recompute() {
  bool any_open = false;
  bool any_active = false;
  bool any_counted = false;
  std::int64_t lowest = max_watermark;
  std::int64_t highest = min_watermark;
  for (const auto& gate : channels_)
    for (const auto& c : gate) {
      if (c.ended)
        continue;
      any_open = true;
      highest = std::max(highest, c.watermark);
      any_active = any_active || !c.idle;
      if (!c.idle && c.aligned) {
        any_counted = true;
        lowest = std::min(lowest, c.watermark);
      }
    }
  bool all_idle = any_open && !any_active;
  update u;
  // When all went idle, the input goes as far as its furthest channel first.
  std::int64_t target = all_idle ? highest : any_counted ? lowest : min_watermark;
  if (target > current_) {
    current_ = target;
    u.watermark = current_;
  }
  if (all_idle != idle_) {
    idle_ = all_idle;
    u.idle = idle_;
  }
  return u;
}

} // namespace flinkcpp

#include "runtime/input_credits.hpp"

namespace flinkcpp {

input_credits::input_credits(const std::vector<std::uint32_t>& channels_per_gate,
                             std::uint32_t exclusive, std::uint32_t floating)
  : exclusive_(exclusive) {
  for (auto n : channels_per_gate) {
    auto& g = gates_.emplace_back();
    g.pool = floating;
    g.channels.resize(n);
    capacity_ += static_cast<std::size_t>(n) * exclusive + floating;
  }
}

void input_credits::start() {
  for (std::uint32_t g = 0; g < gates_.size(); ++g)
    for (std::uint32_t c = 0; c < gates_[g].channels.size(); ++c)
      announce(g, c, exclusive_);
}

void input_credits::on_batch_arrived(std::uint32_t gate, std::uint32_t channel,
                                     std::uint32_t backlog) {
  gates_.at(gate).channels.at(channel).backlog = backlog;
  assign_floating(gate, channel);
}

void input_credits::on_batch_consumed(std::uint32_t gate, std::uint32_t channel) {
  auto& c = gates_[gate].channels[channel];
  if (c.floating > c.backlog) {
    --c.floating;
    ++gates_[gate].pool;
    hand_out_pool(gate);
    return;
  }
  announce(gate, channel, 1);
}

void input_credits::on_channel_ended(std::uint32_t gate, std::uint32_t channel) {
  auto& c = gates_.at(gate).channels.at(channel);
  gates_[gate].pool += c.floating;
  c = channel_state{};
  c.ended = true;
  hand_out_pool(gate);
}

std::vector<input_credits::announcement> input_credits::take_announcements() {
  std::vector<announcement> out;
  out.reserve(to_announce_.size());
  for (auto [g, ch] : to_announce_) {
    auto& c = gates_[g].channels[ch];
    out.push_back({g, ch, c.unannounced});
    c.unannounced = 0;
  }
  to_announce_.clear();
  return out;
}

std::uint32_t input_credits::floating_held(std::uint32_t gate, std::uint32_t channel) const {
  return gates_.at(gate).channels.at(channel).floating;
}

void input_credits::announce(std::uint32_t gate, std::uint32_t channel, std::uint32_t credits) {
  auto& c = gates_[gate].channels[channel];
  if (c.unannounced == 0)
    to_announce_.emplace_back(gate, channel);
  c.unannounced += credits;
}

void input_credits::assign_floating(std::uint32_t gate, std::uint32_t channel) {
  auto& g = gates_[gate];
  auto& c = g.channels[channel];
  while (!c.ended && c.floating < c.backlog && g.pool > 0) {
    ++c.floating;
    --g.pool;
    announce(gate, channel, 1);
  }
}

void input_credits::hand_out_pool(std::uint32_t gate) {
  auto& g = gates_[gate];
  for (std::uint32_t c = 0; c < g.channels.size() && g.pool > 0; ++c)
    assign_floating(gate, c);
}

} // namespace flinkcpp

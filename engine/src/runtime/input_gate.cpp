#include "runtime/input_gate.hpp"

#include <iterator>
#include <stdexcept>

namespace flinkcpp {

input_gate::input_gate(std::vector<std::uint32_t> channels_per_gate)
  : channels_(std::move(channels_per_gate)),
    open_per_gate_(channels_) {
  for (auto n : channels_) {
    ended_.emplace_back(n, false);
    blocked_.emplace_back(n, false);
    open_channels_ += n;
  }
}

bool input_gate::has_pending() {
  while (blocked_count_ > 0 && !pending_.empty() &&
         blocked_[pending_.front().gate][pending_.front().channel]) {
    held_.push_back(std::move(pending_.front()));
    pending_.pop_front();
  }
  return !pending_.empty();
}

void input_gate::block(std::uint32_t gate, std::uint32_t channel) {
  auto flag = blocked_.at(gate).at(channel);
  if (!flag) {
    blocked_[gate][channel] = true;
    ++blocked_count_;
  }
}

void input_gate::unblock_all() {
  for (auto& gate : blocked_)
    gate.assign(gate.size(), false);
  blocked_count_ = 0;
  pending_.insert(pending_.begin(), std::make_move_iterator(held_.begin()),
                  std::make_move_iterator(held_.end()));
  held_.clear();
}

void input_gate::receive(std::uint32_t gate, std::uint32_t channel, channel_event event) {
  if (gate >= channels_.size() || channel >= channels_[gate])
    throw std::logic_error("flink-cpp: event for an input channel that does not exist");
  pending_.push_back({gate, channel, std::move(event)});
}

input_gate::arrival input_gate::take() {
  has_pending(); // moves events of blocked channels aside
  auto a = std::move(pending_.front());
  pending_.pop_front();
  if (a.event.kind == event_kind::end_of_input) {
    auto flag = ended_[a.gate][a.channel];
    if (flag)
      throw std::logic_error("flink-cpp: a channel ended twice");
    ended_[a.gate][a.channel] = true;
    --open_channels_;
    --open_per_gate_[a.gate];
  }
  return a;
}

} // namespace flinkcpp

#include "runtime/input_gate.hpp"

#include <stdexcept>

namespace flinkcpp {

input_gate::input_gate(std::vector<std::uint32_t> channels_per_gate)
  : channels_(std::move(channels_per_gate)) {
  for (auto n : channels_) {
    ended_.emplace_back(n, false);
    open_channels_ += n;
  }
}

void input_gate::receive(std::uint32_t gate, std::uint32_t channel, channel_event event) {
  if (gate >= channels_.size() || channel >= channels_[gate])
    throw std::logic_error("flink-cpp: event for an input channel that does not exist");
  pending_.push_back({gate, channel, std::move(event)});
}

input_gate::arrival input_gate::take() {
  auto a = std::move(pending_.front());
  pending_.pop_front();
  if (a.event.kind == event_kind::end_of_input) {
    auto flag = ended_[a.gate][a.channel];
    if (flag)
      throw std::logic_error("flink-cpp: a channel ended twice");
    ended_[a.gate][a.channel] = true;
    --open_channels_;
  }
  return a;
}

} // namespace flinkcpp

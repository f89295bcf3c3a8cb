#include "runtime/credit_gate.hpp"

namespace flinkcpp {

credit_gate::credit_gate(std::uint32_t channels, std::uint32_t max_queued, send_function send)
  : channels_(channels),
    max_queued_(max_queued),
    send_(std::move(send)) {}

void credit_gate::count_batches(channel_state& c, std::ptrdiff_t delta) {
  bool was_full = c.queued_batches >= max_queued_;
  c.queued_batches =
    static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c.queued_batches) + delta);
  bool is_full = c.queued_batches >= max_queued_;
  if (is_full && !was_full)
    ++full_channels_;
  else if (was_full && !is_full)
    --full_channels_;
}

void credit_gate::offer(std::uint32_t channel, channel_event event) {
  auto& c = channels_.at(channel);
  if (c.queue.empty() && (!event.needs_credit() || c.credits > 0)) {
    if (event.needs_credit()) {
      --c.credits;
      event.value = 0; // no backlog behind it
    }
    send_(channel, std::move(event));
    return;
  }
  if (event.needs_credit())
    count_batches(c, 1);
  c.queue.push_back(std::move(event));
  ++queued_;
}

void credit_gate::grant(std::uint32_t channel, std::uint32_t credits) {
  channels_.at(channel).credits += credits;
  release(channel);
}

void credit_gate::release(std::uint32_t channel) {
  auto& c = channels_[channel];
  while (!c.queue.empty() && (!c.queue.front().needs_credit() || c.credits > 0)) {
    auto event = std::move(c.queue.front());
    c.queue.pop_front();
    --queued_;
    if (event.needs_credit()) {
      --c.credits;
      count_batches(c, -1);
      event.value = static_cast<std::int64_t>(c.queued_batches);
    }
    send_(channel, std::move(event));
  }
}

} // namespace flinkcpp

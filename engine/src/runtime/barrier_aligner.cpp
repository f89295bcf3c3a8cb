#include "runtime/barrier_aligner.hpp"

namespace flinkcpp {

barrier_aligner::barrier_aligner(const std::vector<std::uint32_t>& channels_per_gate,
                                 bool exactly_once)
  : exactly_once_(exactly_once) {
  for (auto n : channels_per_gate) {
    arrived_.emplace_back(n, false);
    ended_.emplace_back(n, false);
    open_channels_ += n;
  }
}

void barrier_aligner::reset_arrivals() {
  for (auto& gate : arrived_)
    gate.assign(gate.size(), false);
  arrived_count_ = 0;
}

barrier_aligner::decision barrier_aligner::on_barrier(std::uint32_t gate, std::uint32_t channel,
                                                      checkpoint_id id) {
  decision d;
  if (id <= last_done_ || (current_ && id < *current_))
    return d; // a barrier of a checkpoint already aligned or aborted
  if (current_ && id > *current_) {
    d.aborted = current_;
    last_done_ = *current_;
    current_.reset();
    reset_arrivals();
  }
  if (!current_)
    current_ = id;
  auto arrived = arrived_.at(gate).at(channel);
  if (!arrived) {
    arrived_[gate][channel] = true;
    ++arrived_count_;
  }
  auto done = complete_if_aligned();
  d.snapshot = done.snapshot;
  d.block = exactly_once_ && !d.snapshot;
  return d;
}

barrier_aligner::decision barrier_aligner::on_channel_ended(std::uint32_t gate,
                                                            std::uint32_t channel) {
  if (!ended_.at(gate).at(channel)) {
    ended_[gate][channel] = true;
    --open_channels_;
    if (arrived_[gate][channel]) {
      arrived_[gate][channel] = false;
      --arrived_count_;
    }
  }
  return complete_if_aligned();
}

barrier_aligner::decision barrier_aligner::complete_if_aligned() {
  decision d;
  if (current_ && arrived_count_ == open_channels_) {
    d.snapshot = current_;
    last_done_ = *current_;
    current_.reset();
    reset_arrivals();
  }
  return d;
}

} // namespace flinkcpp

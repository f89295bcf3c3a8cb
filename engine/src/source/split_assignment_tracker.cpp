#include "source/split_assignment_tracker.hpp"

#include <utility>

namespace flinkcpp {

void split_assignment_tracker::record_assignment(int subtask, detail::split_bytes split) {
  uncheckpointed_[subtask].push_back(std::move(split));
}

void split_assignment_tracker::on_checkpoint(checkpoint_id checkpoint) {
  if (!uncheckpointed_.empty())
    by_checkpoint_[checkpoint] = std::exchange(uncheckpointed_, {});
}

void split_assignment_tracker::on_checkpoint_complete(checkpoint_id checkpoint) {
  by_checkpoint_.erase(by_checkpoint_.begin(), by_checkpoint_.upper_bound(checkpoint));
}

std::vector<detail::split_bytes>
split_assignment_tracker::take_assigned_after(int subtask, checkpoint_id restored) {
  std::vector<detail::split_bytes> taken;
  auto take = [&](by_subtask& assignments) {
    auto found = assignments.find(subtask);
    if (found == assignments.end())
      return;
    for (auto& split : found->second)
      taken.push_back(std::move(split));
    assignments.erase(found);
  };
  // Those of each checkpoint after `restored` came after its snapshot.
  for (auto i = by_checkpoint_.upper_bound(restored); i != by_checkpoint_.end();) {
    take(i->second);
    i = i->second.empty() ? by_checkpoint_.erase(i) : std::next(i);
  }
  take(uncheckpointed_);
  return taken;
}

void split_assignment_tracker::clear() {
  by_checkpoint_.clear();
  uncheckpointed_.clear();
}

} // namespace flinkcpp

#pragma once

#include <map>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/detail/source_bridge.hpp"

namespace flinkcpp {

/// Which splits the enumerator handed to which reader since the last
/// checkpoint that completed (Flink's SplitAssignmentTracker). A split
/// assigned after the enumerator's snapshot for checkpoint n is in no
/// reader's state of checkpoint n either (the runtime sends assignments and
/// checkpoint triggers to a reader in order): so when a reader goes back to
/// checkpoint n, those splits go back to the enumerator, which hands them
/// out again. Not thread-safe.
class split_assignment_tracker {
public:
  /// The enumerator handed `split` to `subtask`.
  void record_assignment(int subtask, detail::split_bytes split);

  /// The enumerator's snapshot for `checkpoint` was taken: what was assigned
  /// until now belongs to that checkpoint.
  void on_checkpoint(checkpoint_id checkpoint);

  /// `checkpoint` completed: no reader goes back before it any more.
  void on_checkpoint_complete(checkpoint_id checkpoint);

  /// The reader of `subtask` goes back to `restored` (none: to no state at
  /// all): the splits assigned to it after that checkpoint's snapshot, in
  /// the order assigned, which the tracker forgets.
  std::vector<detail::split_bytes> take_assigned_after(int subtask, checkpoint_id restored);

  /// Forgets every assignment (the whole job goes back to a checkpoint).
  void clear();

private:
  using by_subtask = std::map<int, std::vector<detail::split_bytes>>;
  /// Assignments by the checkpoint whose snapshot came after them.
  std::map<checkpoint_id, by_subtask> by_checkpoint_;
  /// Assignments since the last snapshot.
  by_subtask uncheckpointed_;
};

} // namespace flinkcpp

#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"

namespace flinkcpp {

/// Decides when a task with input channels takes its snapshot for a
/// checkpoint (Flink's CheckpointBarrierHandler). With exactly-once, a channel
/// whose barrier arrived is blocked until the barriers of every channel that
/// has not ended arrived, so the snapshot reflects exactly the records before
/// the barriers; with at-least-once channels are never blocked (records after
/// an early barrier may be counted again after a restore). A barrier of a
/// newer checkpoint aborts the one being aligned. An ended channel counts as
/// aligned. Not thread-safe: owned by one task.
class barrier_aligner {
public:
  /// What the task has to do after a barrier or the end of a channel.
  struct decision {
    bool block = false;                    ///< hold the channel's later events back
    std::optional<checkpoint_id> aborted;  ///< decline this checkpoint; unblock all
    std::optional<checkpoint_id> snapshot; ///< all aligned: snapshot, then unblock all
  };

  barrier_aligner(const std::vector<std::uint32_t>& channels_per_gate, bool exactly_once);

  /// The barrier of checkpoint `id` was taken from (gate, channel).
  decision on_barrier(std::uint32_t gate, std::uint32_t channel, checkpoint_id id);

  /// (gate, channel) delivered its end of input.
  decision on_channel_ended(std::uint32_t gate, std::uint32_t channel);

  /// The checkpoint being aligned, if any.
  std::optional<checkpoint_id> aligning() const { return current_; }

private:
  decision complete_if_aligned();
  void reset_arrivals();

  std::vector<std::vector<bool>> arrived_; ///< [gate][channel]: barrier of current_ seen
  std::vector<std::vector<bool>> ended_;
  std::size_t open_channels_ = 0;
  std::size_t arrived_count_ = 0;
  bool exactly_once_;
  std::optional<checkpoint_id> current_;
  checkpoint_id last_done_; ///< newest checkpoint aligned or aborted
};

} // namespace flinkcpp

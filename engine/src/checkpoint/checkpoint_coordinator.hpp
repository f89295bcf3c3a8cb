#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_settings.hpp"
#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "graph/job_graph.hpp"

namespace flinkcpp {

/// What a snapshot is for.
enum class snapshot_kind : std::uint8_t {
  checkpoint,     ///< periodic, for recovery; deleted beyond the retained count
  savepoint,      ///< user-triggered, portable, never deleted by flink-cpp
  stop_savepoint, ///< a savepoint after which the sources end (flink-cpp stop)
};

/// One subtask's acknowledgement of a snapshot.
struct subtask_ack {
  int vertex = 0;
  int subtask = 0;
  std::int64_t timestamp = 0; ///< epoch milliseconds
  std::uint64_t state_size = 0;
  std::uint64_t checkpointed_size = 0;
};

/// One checkpoint as the REST API shows it (/jobs/:jobid/checkpoints).
struct checkpoint_record {
  checkpoint_id id;
  std::string status = "IN_PROGRESS"; ///< IN_PROGRESS, COMPLETED or FAILED
  snapshot_kind kind = snapshot_kind::checkpoint;
  std::int64_t trigger_timestamp = 0;
  std::int64_t latest_ack_timestamp = 0;
  std::int64_t end_timestamp = 0;
  std::uint64_t state_size = 0;
  std::uint64_t checkpointed_size = 0; ///< written by this checkpoint itself
  int subtasks = 0;
  int acknowledged = 0;
  std::vector<int> vertex_subtasks; ///< subtasks asked, per vertex of the graph
  std::vector<subtask_ack> acks;    ///< in the order they came
  std::string external_path;
  std::string failure;
};

/// A completed snapshot a job can restore from: its metadata and directory.
struct restore_point {
  checkpoint_metadata metadata;
  std::string directory;
};

/// The checkpoint coordinator of one job (Flink's CheckpointCoordinator),
/// without the messaging: the job master triggers what it starts, feeds it
/// acknowledgements and failures, writes the metadata it returns and deletes
/// the directories it hands back. It numbers checkpoints, knows which
/// subtasks still have to acknowledge, keeps the completed checkpoints to
/// restore from (and retires older ones), counts consecutive failures against
/// execution.checkpointing.tolerable-failed-checkpoints and keeps the history.
/// Not thread-safe: owned by the job master.
class checkpoint_coordinator {
public:
  using clock = std::chrono::steady_clock;

  checkpoint_coordinator(checkpoint_settings settings, job_id job,
                         std::shared_ptr<const job_graph> graph);

  const checkpoint_settings& settings() const { return settings_; }

  /// The job runs a rescaled graph from the next attempt on (reactive mode).
  /// Only between attempts: no checkpoint may be pending.
  void set_graph(std::shared_ptr<const job_graph> graph) { graph_ = std::move(graph); }

  /// Continues numbering after a restored snapshot and restores from it until
  /// a newer checkpoint completes (a job started with -s). A checkpoint of
  /// this job in its own directory (one an earlier jobmanager took: high
  /// availability), or any snapshot the job claims (claim_restored), counts
  /// as completed and retained, and is retired (deleted) as such.
  void set_initial_restore_point(restore_point point);

  /// How long until a periodic checkpoint may start (min pause, concurrency);
  /// zero: now. nullopt: not while max-concurrent-checkpoints are pending,
  /// nor while a stop-with-savepoint is (as Flink's).
  std::optional<std::chrono::milliseconds> delay_until_allowed(clock::time_point now) const;

  /// Starts a snapshot; `target` is a savepoint's directory. Returns its id.
  checkpoint_id begin(snapshot_kind kind, std::int64_t now_ms, std::string target);

  /// Where the subtasks write the files of snapshot `id`: chk-<id> below
  /// directories().
  std::string directory_of(checkpoint_id id) const;
  const job_checkpoint_directories& directories() const { return directories_; }

  bool is_pending(checkpoint_id id) const { return pending_.count(id) > 0; }
  /// Pending, or completed and retained: its directory is in use.
  bool holds(checkpoint_id id) const;
  snapshot_kind kind_of(checkpoint_id id) const;

  /// A subtask acknowledged `id` with its operators' states. Returns true
  /// when that was the last acknowledgement: finalize it (metadata_of, then
  /// complete). Acknowledgements for unknown or finished ids are ignored.
  bool acknowledge(checkpoint_id id, int vertex, int subtask,
                   std::vector<operator_subtask_state> states, std::int64_t now_ms);

  /// Operator coordinators' states for pending snapshot `id`, taken as it
  /// began (before any subtask's); they go into its metadata. Ignored for
  /// an id that is not pending.
  void add_coordinator_state(checkpoint_id id, coordinator_state state);

  /// The metadata of a fully acknowledged snapshot, and where it goes.
  checkpoint_metadata metadata_of(checkpoint_id id) const;
  std::string final_directory_of(checkpoint_id id) const;

  /// The metadata of `id` is written: the snapshot is complete. Returns the
  /// directories of checkpoints retired by it, to delete.
  std::vector<std::string> complete(checkpoint_id id, std::int64_t now_ms);

  /// `id` failed. Returns true when the job must fail over: more consecutive
  /// counted failures than tolerated. `counted`: false for failures that say
  /// nothing about the job's health (a task that was finishing declined).
  bool fail(checkpoint_id id, const std::string& reason, std::int64_t now_ms, bool counted = true);

  /// Every pending snapshot fails (the attempt stopped). Returns their
  /// directories, to delete.
  std::vector<std::string> abort_pending(const std::string& reason, std::int64_t now_ms);

  /// What the next attempt restores from: the latest completed checkpoint, or
  /// the initial savepoint; nullptr for a fresh start.
  const restore_point* latest() const;

  /// Whether a restore point older than latest() is there to fall back to.
  bool has_fallback() const { return completed_.size() + (initial_ ? 1 : 0) > 1; }

  /// The latest restore point cannot be read: forget it and fall back to the
  /// previous one. Returns its directory (kept, for inspection).
  std::string drop_latest();

  /// The checkpoint directories to delete once the job ended with `status`
  /// (FINISHED, FAILED or CANCELED), following the retention setting.
  std::vector<std::string> directories_at_end(const std::string& status) const;

  /// The names of the shared files (incremental checkpoints) that the
  /// checkpoints a job may still restore from refer to.
  std::set<std::string> shared_files_in_use() const;

  // -- statistics ----------------------------------------------------------------

  /// Pending and recent snapshots, newest first.
  std::vector<checkpoint_record> records() const;
  int completed_count() const { return completed_count_; }
  int failed_count() const { return failed_count_; }
  int in_progress_count() const { return static_cast<int>(pending_.size()); }
  int restored_count() const { return restored_count_; }
  void count_restore() { ++restored_count_; }

private:
  struct pending_snapshot {
    snapshot_kind kind = snapshot_kind::checkpoint;
    std::int64_t trigger_ms = 0;
    std::string target;
    std::set<std::pair<int, int>> waiting; ///< (vertex, subtask)
    std::vector<operator_subtask_state> states;
    std::vector<coordinator_state> coordinators;
    checkpoint_record record;
  };

  /// Moves a pending snapshot's record into the history as `status`.
  void finish_record(pending_snapshot& p, const std::string& status, std::int64_t now_ms,
                     std::string failure = {});

  checkpoint_settings settings_;
  job_id job_;
  std::shared_ptr<const job_graph> graph_;
  job_checkpoint_directories directories_;
  checkpoint_id last_id_;
  std::map<checkpoint_id, pending_snapshot> pending_;
  std::deque<restore_point> completed_; ///< retained checkpoints, oldest first
  std::optional<restore_point> initial_;
  clock::time_point last_completion_{};
  int consecutive_failures_ = 0;
  std::deque<checkpoint_record> history_; ///< ended snapshots, newest first, bounded
  int completed_count_ = 0;
  int failed_count_ = 0;
  int restored_count_ = 0;
};

} // namespace flinkcpp

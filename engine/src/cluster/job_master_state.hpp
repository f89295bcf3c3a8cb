#pragma once

// The job master's state and the functions its two halves share: scheduling
// and failover (job_master.cpp) and checkpoints (job_master_checkpoints.cpp).
// Internal to the cluster area; includes CAF.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "cluster/execution_graph.hpp"
#include "cluster/job_info.hpp"
#include "cluster/job_master.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "cluster/restart_strategy.hpp"
#include "cluster/scheduler.hpp"
#include "flinkcpp/spi/io_executor.hpp"
#include "source/source_coordinator.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

/// A savepoint (or a checkpoint asked for over REST) someone waits for; its
/// answer is (checkpoint id, path).
struct snapshot_request {
  caf::typed_response_promise<checkpoint_id, std::string> promise;
};

/// The job master's own interface: its timers (restart, rescale, checkpoint
/// tick and expiry) and what its I/O executor built or wrote for it.
using job_master_impl =
  job_master_actor::extend<caf::reacts_to<restart_atom>, caf::reacts_to<rescale_atom, int>,
                           caf::reacts_to<rescale_atom, int, job_spec, built_graph>,
                           caf::reacts_to<tick_atom, int>,
                           caf::reacts_to<expire_atom, checkpoint_id>,
                           caf::reacts_to<checkpoint_atom, checkpoint_id, std::string>,
                           caf::reacts_to<run_atom, int, deferred_call>>;

/// One source operator's split enumerator in the job master: its
/// coordinator and the gateway that coordinator calls.
struct hosted_source {
  std::unique_ptr<coordinator_gateway> gateway;
  std::unique_ptr<source_coordinator> coordinator;
};

struct job_master_state {
  job_submission job;
  resource_manager_actor resource_manager;
  job_listener_actor listener;
  spi::io_executor* io = nullptr;
  std::unique_ptr<restart_strategy> restarts;
  std::unique_ptr<checkpoint_coordinator> checkpoints;
  std::map<checkpoint_id, snapshot_request> requests;
  /// Metadata files being written on the I/O executor; while there are
  /// any, deleting directories waits (a write would bring them back).
  int metadata_writes = 0;
  std::vector<std::string> deferred_deletions;
  /// Serializes the I/O executor's deletions of checkpoint files, so that
  /// whichever runs last after the job ended removes the job's directory.
  struct checkpoint_cleanup {
    std::mutex mutex;
    bool job_ended = false; ///< guarded by mutex
  };
  std::shared_ptr<checkpoint_cleanup> cleanup = std::make_shared<checkpoint_cleanup>();
  bool quit_after_writes = false;
  job_info info;
  /// The split enumerators of the current attempt's sources of the source
  /// API, by operator (job_master_sources.cpp).
  std::map<operator_id, std::unique_ptr<hosted_source>> sources;
  /// Why an enumerator failed the job, acted on once the call into it returned.
  std::string source_failure;
  /// The current attempt: its subtasks and its phase.
  execution_graph execution;
  /// The current attempt's slots, and how many an adaptive job may take.
  scheduler scheduling;
  bool all_committed = false; ///< every subtask committed: FINISHED once no savepoint is pending
  bool cancelled = false;     ///< the user cancelled the job
  std::string failure;        ///< the root cause: why the current attempt began to stop
  std::vector<caf::typed_response_promise<job_result>> clients;
  std::shared_ptr<spdlog::logger> log = logger("jobmaster");
  static inline const char* name = "job_master";
};

using job_master_pointer = job_master_impl::stateful_pointer<job_master_state>;

/// Sends the job's current info to the listener (the dispatcher, for the REST API).
void publish(job_master_pointer self);

/// FINISHED, once every subtask committed and no savepoint is still being
/// written (flink-cpp stop: the sources end right after its barrier).
void finish_when_idle(job_master_pointer self);

/// Fails the current attempt with `exception` (in task `task` at `where`).
void fail(job_master_pointer self, std::string exception, std::string task = {},
          std::string where = {});

// -- sources of the source API (job_master_sources.cpp) ----------------------------

/// The attempt deploys: its split enumerators start, from the coordinator
/// states of the snapshot it restores, else anew.
void start_sources(job_master_pointer self);

/// The attempt stops, or the job ends: the split enumerators close.
void close_sources(job_master_pointer self);

/// A source reader's event: its registration or a split request.
void on_operator_event(job_master_pointer self, const operator_event_message& m);

/// Snapshot `id` began: the enumerators' states go into it, taken before
/// its triggers go out (splits assigned later reach the readers after the
/// trigger, and stay the enumerator's in the snapshot).
void checkpoint_sources(job_master_pointer self, checkpoint_id id);

/// Snapshot `id` completed.
void sources_checkpoint_complete(job_master_pointer self, checkpoint_id id);

/// The continuation of an enumerator's asynchronous call of attempt `attempt`.
void on_source_call(job_master_pointer self, int attempt, deferred_call& call);

// -- checkpoints (job_master_checkpoints.cpp) -------------------------------------

/// Creates the coordinator from the job's configuration and initial savepoint.
void init_checkpoints(job_master_pointer self);

/// The attempt is running: periodic checkpoints start after one interval.
void start_checkpointing(job_master_pointer self);

/// The attempt stopped: pending checkpoints are aborted and their files deleted.
void stop_checkpointing(job_master_pointer self, const std::string& reason);

/// The job ended with `status`: checkpoints are kept or deleted as configured;
/// waiting savepoint requests fail.
void end_checkpointing(job_master_pointer self, job_status status);

/// Quits the job master once no metadata file is being written any more (so
/// that the deletions end_checkpointing asked for happen after them).
void quit_after_checkpoint_writes(job_master_pointer self);

/// What subtask `subtask` of `vertex` restores in the next attempt.
subtask_restore restore_for(job_master_pointer self, vertex_index vertex, subtask_index subtask);

/// An attempt is being deployed: notes (and logs) what it restores from.
void note_restore(job_master_pointer self);

/// A deployment failed because the state of snapshot `id` could not be read:
/// the next attempt falls back to the snapshot before it (once per snapshot,
/// however many subtasks report it), or the job fails if there is none.
void drop_unreadable_restore_point(job_master_pointer self, checkpoint_id id,
                                   const std::string& reason);

/// The periodic trigger of attempt `attempt` is due.
void on_checkpoint_tick(job_master_pointer self, int attempt);

/// Checkpoint `id` did not complete within its timeout.
void on_checkpoint_expired(job_master_pointer self, checkpoint_id id);

/// A subtask acknowledged or declined a checkpoint.
void on_checkpoint_ack(job_master_pointer self, checkpoint_ack_message& m);
void on_checkpoint_decline(job_master_pointer self, const checkpoint_decline_message& m);

/// The metadata of checkpoint `id` was written (`error` empty) or not.
void on_metadata_written(job_master_pointer self, checkpoint_id id, const std::string& error);

/// A checkpoint (`full`: not incremental) or a savepoint asked for now; the
/// promise is answered with (id, path) once it completed.
caf::typed_response_promise<checkpoint_id, std::string> checkpoint_now(job_master_pointer self,
                                                                       bool full);
caf::typed_response_promise<checkpoint_id, std::string>
savepoint_now(job_master_pointer self, const std::string& target, barrier_options options);

/// Refreshes info.checkpoints from the coordinator.
void update_checkpoint_info(job_master_state& s);

} // namespace flinkcpp

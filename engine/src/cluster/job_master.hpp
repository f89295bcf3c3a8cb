#pragma once

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp {

/// Whom a job master reports to (the dispatcher): (update_atom, job_info)
/// whenever the job's state changes, the last one when the job ended.
using job_listener_actor = caf::typed_actor<caf::reacts_to<update_atom, job_info>>;

/// A job master, as the dispatcher, the resource manager and the subtasks see
/// it (the protocol: spawn_job_master).
using job_master_actor = task_listener_actor::extend_with<slot_holder_actor>::extend<
  caf::replies_to<run_atom>::with<job_result>, caf::reacts_to<cancel_atom>,
  caf::replies_to<savepoint_atom, std::string, barrier_options>::with<checkpoint_id, std::string>,
  caf::replies_to<checkpoint_atom, bool>::with<checkpoint_id, std::string>,
  caf::replies_to<resources_atom, std::int32_t>::with<bool>>;

/// Spawns the job master of one job (Flink's JobMaster). On a (run_atom)
/// request it asks the resource manager for slots (one slot holds one
/// parallel slice of every vertex: slot sharing), connects the taskmanagers it
/// got to each other, deploys every subtask, wires the channels and starts
/// them. When all subtasks finished it has them commit their output, then
/// answers with a job_result.
///
/// A failure (an exception in a subtask, a subtask actor that dies, a lost
/// taskmanager, too few slots) cancels what remains and asks the job's restart
/// strategy: restart after its delay with every subtask redeployed (a new
/// attempt; uncommitted output of the old one is discarded), or fail.
/// (cancel_atom) cancels the job. `listener` hears of every change of the job's
/// state.
///
/// Checkpoints (execution.checkpointing.*): its checkpoint coordinator
/// triggers them while the job runs, writes their metadata on `io` once every
/// subtask acknowledged, and tells the subtasks; every attempt restores from
/// the latest completed checkpoint (or the savepoint the job started from).
/// (savepoint_atom, target directory, barrier_options) -> (checkpoint_id,
/// std::string path) takes a savepoint: barrier_options::savepoint() keeps the
/// job running, stop_with_savepoint(drain) lets the sources end after it
/// (flink-cpp stop), sending the final watermark first with drain (stop --drain);
/// (checkpoint_atom, bool full) -> (checkpoint_id, path) takes a checkpoint now.
/// (resources_atom, std::int32_t upper) -> bool: an adaptive or reactive job
/// runs with at most `upper` slots from now on (rescaling from its latest
/// checkpoint when that changes its parallelism); other jobs refuse.
job_master_actor spawn_job_master(caf::actor_system& system, job_submission submission,
                                  resource_manager_actor resource_manager,
                                  job_listener_actor listener, spi::io_executor& io);

} // namespace flinkcpp

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "cluster/job_master.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp {

/// The dispatcher's protocol (Flink's Dispatcher): it takes jobs, runs a job
/// master for each (and listens to it) and remembers every job it ran, for
/// the REST API.
///
/// - (update_atom, job_info): a job master's report (job_listener_actor).
/// - (submit_atom, job_submission) -> job_id: starts the job. Its graph goes
///   into this process's job_graph_cache for local task executors.
/// - (await_atom, job_id) -> job_result: answered when the job has ended.
/// - (jobs_atom) -> std::vector<job_info>: every job, in submission order.
/// - (job_atom, job_id) -> std::vector<job_info>: that job, or none.
/// - (cancel_atom, job_id) -> bool: true once asked to cancel; an error not_found
///   (no such job) or conflict (it is not running) otherwise.
/// - (savepoint_atom, job_id, target, barrier_options) -> (checkpoint_id,
///   std::string path): a savepoint the job's master took (see spawn_job_master).
/// - (checkpoint_atom, job_id, bool full) -> (checkpoint_id, std::string path):
///   a checkpoint taken now, on request (full: complete, also when
///   checkpoints are incremental).
/// - (resources_atom, job_id, std::int32_t upper) -> bool: the job's parallelism
///   may go up to `upper` now (its resource requirements; adaptive and
///   reactive jobs only).
using dispatcher_actor = job_listener_actor::extend<
  caf::replies_to<submit_atom, job_submission>::with<job_id>,
  caf::replies_to<await_atom, job_id>::with<job_result>,
  caf::replies_to<jobs_atom>::with<std::vector<job_info>>,
  caf::replies_to<job_atom, job_id>::with<std::vector<job_info>>,
  caf::replies_to<cancel_atom, job_id>::with<bool>,
  caf::replies_to<savepoint_atom, job_id, std::string, barrier_options>::with<checkpoint_id,
                                                                              std::string>,
  caf::replies_to<checkpoint_atom, job_id, bool>::with<checkpoint_id, std::string>,
  caf::replies_to<resources_atom, job_id, std::int32_t>::with<bool>>;

/// Spawns the dispatcher. Job masters write checkpoint metadata on `io`.
dispatcher_actor spawn_dispatcher(caf::actor_system& system,
                                  resource_manager_actor resource_manager, spi::io_executor& io);

} // namespace flinkcpp

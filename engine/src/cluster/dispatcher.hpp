#pragma once

#include <caf/fwd.hpp>

#include "cluster/resource_manager.hpp"

#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp {

/// Spawns the dispatcher (Flink's Dispatcher): it takes jobs, runs a job master
/// for each and remembers every job it ran, for the REST API.
///
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
/// Job masters write checkpoint metadata on `io`.
caf::actor spawn_dispatcher(caf::actor_system& system, resource_manager_actor resource_manager,
                            spi::io_executor& io);

} // namespace flinkcpp

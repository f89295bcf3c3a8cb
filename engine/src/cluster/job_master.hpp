#pragma once

#include <memory>
#include <vector>

#include <caf/fwd.hpp>

#include "graph/job_graph.hpp"
#include "runtime/task.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// Spawns the job master of one job (Flink's JobMaster). On a (run_atom)
/// request it deploys every subtask, slot k taking subtask k of every vertex
/// (Flink's slot sharing; `slots[k]` is the task executor owning slot k),
/// connects the channels, starts the subtasks and supervises them. When all
/// are FINISHED it has them commit their output, then answers the request with
/// a job_result. A failing subtask (an exception, or an actor that dies) fails
/// the job: the others are cancelled and their uncommitted output discarded
/// before the answer. (cancel_atom) cancels the job the same way. Requires
/// slots.size() >= graph->slots_needed().
caf::actor spawn_job_master(caf::actor_system& system, std::shared_ptr<const job_graph> graph,
                            job_id id, task_settings settings, std::vector<caf::actor> slots);

} // namespace flinkcpp

#pragma once

#include <memory>

#include <caf/fwd.hpp>

#include "checkpoint/restore_reader.hpp"
#include "flinkcpp/spi/io_executor.hpp"
#include "graph/job_graph.hpp"
#include "runtime/messages.hpp"

namespace flinkcpp {

/// Spawns the actor that runs one subtask (a task around its operator chain)
/// as a child of `parent` (a task executor). The actor reports its states,
/// tagged with the deployment's attempt, to the deployment's job master and
/// understands the subtask_actor interface (it acknowledges or declines
/// checkpoints to the job master).
/// Batches to a subtask in another process are serialized once, by the edge's
/// partitioner; batches inside the process move by pointer. `restored`: the
/// operators' state read from the deployment's checkpoint (empty for a fresh
/// start). `location`: the host of the taskmanager (operator_context::location).
/// Operators' events to their coordinators go to the deployment's job master.
/// It exits once committed, cancelled or failed.
subtask_actor spawn_subtask(caf::local_actor* parent, std::shared_ptr<const job_graph> graph,
                            task_deployment deployment, spi::io_executor& io,
                            restored_operators restored, std::string location);

} // namespace flinkcpp

#pragma once

#include <caf/fwd.hpp>

#include "flinkcpp/detail/io_executor.hpp"

namespace flinkcpp {

/// Spawns a task executor (Flink's TaskExecutor, the heart of a taskmanager):
/// it starts subtask actors on (deploy_atom, task_deployment) requests,
/// answering with the subtask's actor. Which subtask runs in which of its
/// slots is the job master's decision. Blocking I/O of its subtasks runs on
/// `io`, which must outlive it.
caf::actor spawn_task_executor(caf::actor_system& system, detail::io_executor& io);

} // namespace flinkcpp

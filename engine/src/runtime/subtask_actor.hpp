#pragma once

#include <caf/fwd.hpp>

#include "flinkcpp/detail/io_executor.hpp"

namespace flinkcpp {

struct task_deployment;

/// Spawns the actor that runs one subtask (a task around its operator chain)
/// as a child of `parent` (a task executor). The actor reports its states to
/// the deployment's job master and understands: (connect_atom,
/// task_connections), start_atom, channel and credit messages, commit_atom,
/// cancel_atom. It exits by itself once it is committed, cancelled or failed.
caf::actor spawn_subtask(caf::local_actor* parent, task_deployment deployment,
                         detail::io_executor& io);

} // namespace flinkcpp

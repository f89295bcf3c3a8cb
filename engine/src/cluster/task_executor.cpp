#include "cluster/task_executor.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "runtime/messages.hpp"
#include "runtime/subtask_actor.hpp"

namespace flinkcpp {

namespace {

caf::behavior task_executor(caf::event_based_actor* self, detail::io_executor* io) {
  return {
    [=](deploy_atom, task_deployment& d) -> caf::actor {
      return spawn_subtask(self, std::move(d), *io);
    },
  };
}

} // namespace

caf::actor spawn_task_executor(caf::actor_system& system, detail::io_executor& io) {
  return system.spawn(task_executor, &io);
}

} // namespace flinkcpp

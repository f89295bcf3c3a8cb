#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "cluster/protocol.hpp"
#include "config/core_options.hpp"

namespace flinkcpp {

/// The resource manager's settings; the defaults are the options' defaults.
struct resource_manager_settings {
  std::chrono::milliseconds heartbeat_interval = options::heartbeat_interval.default_value();
  std::chrono::milliseconds heartbeat_timeout = options::heartbeat_timeout.default_value();
  std::chrono::milliseconds slot_request_timeout = options::slot_request_timeout.default_value();
  /// Spread a job's slots over taskmanagers instead of filling one first
  /// (taskmanager.load-balance.mode: SLOTS).
  bool spread_out = false;
};

/// What holds slots (a job master), as the resource manager sees it:
/// (joined_atom, free slots) when a taskmanager registered (a reactive job
/// grows into it), (lost_atom, taskmanager id, reason) when one holding its
/// slots was lost.
using slot_holder_actor = caf::typed_actor<caf::reacts_to<joined_atom, std::int32_t>,
                                           caf::reacts_to<lost_atom, std::string, std::string>>;

/// The resource manager's protocol (Flink's ResourceManager with its slot pool):
///
/// - (register_atom, task_manager_registration) -> std::string: a taskmanager
///   joins (again, after a reconnect); the answer is this resource manager's id.
/// - (heartbeat_atom, id, task executor, metrics): a taskmanager is alive; an
///   unknown id gets (heartbeat_atom, false) back (register again).
/// - (unregister_atom, id) -> bool: a taskmanager leaves.
/// - (slots_atom, job_id, count, maximum, holder) -> std::vector<slot_offer>:
///   answered once `count` slots are free (with as many more as are free, up
///   to `maximum`), or with an error naming how many were free after
///   slot_request_timeout. The holders of slots hear of taskmanagers that
///   join and of those they lose.
/// - (free_atom, job_id): the job's slots are free again.
/// - (list_atom) -> std::vector<task_manager_status>.
/// - (executor_atom, id) -> task_executor_actor: the task executor of a taskmanager, or an
///   error not_found.
/// - (tick_atom): its own timer (lost taskmanagers, timed-out requests).
///
/// A taskmanager whose actor goes down (its connection dropped) or whose
/// heartbeats stop for heartbeat_timeout (on the actor system's clock) is
/// lost.
using resource_manager_actor = caf::typed_actor<
  caf::replies_to<register_atom, task_manager_registration>::with<std::string>,
  caf::reacts_to<heartbeat_atom, std::string, caf::actor_addr, std::vector<metric_sample>>,
  caf::replies_to<unregister_atom, std::string>::with<bool>,
  caf::replies_to<slots_atom, job_id, std::int32_t, std::int32_t,
                  slot_holder_actor>::with<std::vector<slot_offer>>,
  caf::reacts_to<free_atom, job_id>,
  caf::replies_to<list_atom>::with<std::vector<task_manager_status>>,
  caf::replies_to<executor_atom, std::string>::with<task_executor_actor>,
  caf::reacts_to<tick_atom>>;

/// Spawns the resource manager.
resource_manager_actor spawn_resource_manager(caf::actor_system& system,
                                              resource_manager_settings settings);

} // namespace flinkcpp

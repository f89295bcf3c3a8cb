#pragma once

#include <chrono>

#include <caf/fwd.hpp>

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

/// Spawns the resource manager (Flink's ResourceManager with its slot pool):
///
/// - (register_atom, task_manager_registration) -> std::string: a taskmanager
///   joins (again, after a reconnect); the answer is this resource manager's id.
/// - (heartbeat_atom, id) -> bool: false when the id is unknown (register again).
/// - (unregister_atom, id) -> bool: a taskmanager leaves.
/// - (slots_atom, job_id, count, maximum, job_master) -> std::vector<slot_offer>:
///   answered once `count` slots are free (with as many more as are free, up
///   to `maximum`), or with an error naming how many were free after
///   slot_request_timeout.
/// - Job masters holding slots get (joined_atom, free slots) when a
///   taskmanager registers (reactive jobs grow into them).
/// - (free_atom, job_id): the job's slots are free again.
/// - (list_atom) -> std::vector<task_manager_status>.
///
/// A taskmanager whose actor goes down (its connection dropped) or whose
/// heartbeats stop for heartbeat_timeout (on the actor system's clock) is lost: the job masters holding its
/// slots get (lost_atom, id, reason).
caf::actor spawn_resource_manager(caf::actor_system& system, resource_manager_settings settings);

} // namespace flinkcpp

#pragma once

// Fakes of the actors around a job master, for tests on CAF's deterministic
// test coordinator: a resource manager with slots on one in-process
// taskmanager, a task executor that deploys fake subtasks (or fails or holds
// a deployment as the test says), and subtasks that run when started and end
// when cancelled.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/job_info.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"

namespace flinkcpp::testing {

/// What the fakes saw and what they are told to do (subtasks named by
/// vertex, subtask, attempt); the test reads and writes it between runs of
/// the scheduler (everything runs on one thread).
struct cluster_script {
  /// Deployments that fail with this text.
  std::map<execution_attempt, std::string> failing;
  /// Deployments answered (as `failing` says) only when the test released
  /// them with (release_atom, attempt) to `holder`; `waiting` ones are held now.
  std::set<execution_attempt> held;
  std::set<execution_attempt> waiting;
  caf::actor_addr holder;                  ///< weak: the holder keeps the script (no cycle)
  std::vector<execution_attempt> deployed; ///< every deployment request, in order
  std::vector<execution_attempt> cancelled;
  /// Every coordinator event a subtask got (its bytes), in order.
  std::vector<std::pair<execution_attempt, std::string>> coordinator_events;
  int slot_requests = 0;
  std::vector<task_manager_registration> registrations; ///< every one, in order
  int refusals_left = 0; ///< registrations refused ("not now") before one is accepted
  std::vector<std::string> unregistered;
  std::optional<job_info> latest; ///< the job master's last update (fake dispatchers)
  std::optional<job_result> result;
};

using script_ptr = std::shared_ptr<cluster_script>;

/// A subtask that reports RUNNING when started and CANCELED when cancelled,
/// to `master`, as a task does.
subtask_actor::behavior_type fake_subtask(subtask_actor::pointer self, script_ptr script,
                                          task_listener_actor master, execution_attempt key);

/// Keeps the deployments a fake task executor holds until the test releases
/// them. (Held there rather than as promises the test delivers: CAF's test
/// coordinator runs actors on execution units on its stack, and a promise
/// delivered outside an actor would use one that is gone.)
caf::behavior deployment_holder(caf::event_based_actor* self, script_ptr script);

/// A task executor that deploys fake subtasks, or fails or holds a
/// deployment as the script says; it spawns the script's holder.
task_executor_actor::behavior_type fake_task_executor(task_executor_actor::pointer self,
                                                      script_ptr script);

/// A resource manager offering `slots` slots of `executor`'s in-process
/// taskmanager to every request; it records registrations (refusing as the
/// script says) and departures, and lists no taskmanager.
resource_manager_actor::behavior_type fake_resource_manager(resource_manager_actor::pointer self,
                                                            script_ptr script,
                                                            task_executor_actor executor,
                                                            int slots);

} // namespace flinkcpp::testing

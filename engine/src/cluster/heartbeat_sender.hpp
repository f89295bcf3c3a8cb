#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "cluster/resource_manager.hpp"
#include "metrics/metric_sample.hpp"

namespace flinkcpp {

/// Where a task executor's heartbeats come from. An interface, so that tests
/// on CAF's deterministic test coordinator (which takes messages from its own
/// thread only) can record targets instead of sending from a thread.
class heartbeats {
public:
  virtual ~heartbeats() = default;

  /// From now on heartbeats go to `resource_manager` on behalf of
  /// `task_executor` (the first one at once); a null resource manager stops
  /// them. Thread-safe.
  virtual void target(resource_manager_actor resource_manager, caf::actor_addr task_executor) = 0;
};

/// Sends a taskmanager's heartbeats to the resource manager from a thread of
/// its own, so that they keep coming while subtasks hold every scheduler
/// thread (reads waiting on the disk). Each heartbeat is
/// (heartbeat_atom, taskmanager id, task executor address, metrics) and
/// carries what `report` returns (the taskmanager's metrics, for the REST
/// API); a resource manager that does not know the id answers the task
/// executor with (heartbeat_atom, false). Sends nothing until target() names
/// a resource manager. Thread-safe; the destructor stops and joins the thread.
class heartbeat_sender final : public heartbeats {
public:
  using reporter = std::function<std::vector<metric_sample>()>;

  heartbeat_sender(std::string taskmanager_id, std::chrono::milliseconds interval, reporter report);
  ~heartbeat_sender() override;

  heartbeat_sender(const heartbeat_sender&) = delete;
  heartbeat_sender& operator=(const heartbeat_sender&) = delete;

  void target(resource_manager_actor resource_manager, caf::actor_addr task_executor) override;

private:
  void run();

  const std::string id_;
  const std::chrono::milliseconds interval_;
  const reporter report_;
  std::mutex mutex_;
  std::condition_variable changed_;
  resource_manager_actor resource_manager_; ///< guarded by mutex_
  caf::actor_addr task_executor_;           ///< guarded by mutex_
  bool retargeted_ = false;                 ///< guarded by mutex_
  bool stopping_ = false;                   ///< guarded by mutex_
  std::thread thread_;
};

} // namespace flinkcpp

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "cluster/resource_manager.hpp"
#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp {

namespace security {
class internal_tls;
}

class heartbeats;

struct task_executor_settings {
  std::string id;   ///< the taskmanager's id
  std::string host; ///< where its data port is reached
  std::uint16_t data_port = 0;
  int slots = 1;
  std::chrono::milliseconds heartbeat_interval{10000};
  std::chrono::milliseconds registration_timeout{300000};
  /// The resource manager, when it lives in this process...
  resource_manager_actor resource_manager;
  /// ...else where to find it (jobmanager.rpc.address and .port).
  std::string resource_manager_host;
  std::uint16_t resource_manager_port = 0;
  /// The process's internal TLS (security.ssl.internal.*), whose handshake
  /// probe says why the jobmanager refuses a connection; null: plaintext.
  /// Must outlive the executor.
  const security::internal_tls* tls = nullptr;
  /// The process's log file (log.file), which the REST API serves; may be empty.
  std::string log_file;
  /// Called (from an actor thread) when the executor gives up: it could not
  /// register within registration_timeout. The executor then exits.
  std::function<void(const std::string&)> on_fatal;
  /// Makes what sends its heartbeats; empty (the default): a heartbeat_sender
  /// thread, every heartbeat_interval, reporting the process's metrics.
  std::function<std::unique_ptr<heartbeats>()> make_heartbeats;
};

/// Spawns a task executor (Flink's TaskExecutor, the heart of a taskmanager;
/// its protocol: task_executor_actor). It registers its slots with the
/// resource manager (retrying with backoff until registration_timeout; again
/// whenever the resource manager is lost) and sends heartbeats. When the
/// resource manager is lost, its subtasks are cancelled.
task_executor_actor spawn_task_executor(caf::actor_system& system, task_executor_settings settings,
                                        spi::io_executor& io);

} // namespace flinkcpp

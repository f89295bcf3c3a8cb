#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>

namespace flinkcpp::testing {

/// An actor system on CAF's deterministic test coordinator, with flink-cpp's
/// message types and errors registered: every message is handled on the
/// test's thread when the test runs the scheduler, and timers fire only when
/// it advances the simulated clock. Actors still alive at the end are not
/// waited for. Not thread-safe: one test thread.
class deterministic_actor_system {
public:
  deterministic_actor_system();

  caf::actor_system& system() { return system_; }
  caf::scheduler::test_coordinator& scheduler() { return scheduler_; }

  /// Delivers every message there is; timers stay pending.
  void run();

private:
  struct config : caf::actor_system_config {
    config();
  };

  config config_;
  caf::actor_system system_;
  caf::scheduler::test_coordinator& scheduler_;
};

} // namespace flinkcpp::testing

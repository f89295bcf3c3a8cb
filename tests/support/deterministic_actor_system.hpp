#pragma once

#include <memory>
#include <optional>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include "cluster/errors.hpp"
#include "util/result.hpp"

namespace flinkcpp::testing {

/// What a request came back with: a value of T, or an error.
template <class T>
struct answer {
  std::optional<T> value;
  std::optional<failure> error;
};

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

  /// Sends `args` to `handle` (of any actor type) from a client that does not
  /// know its type (a message built at run time), runs every message there is
  /// and returns the answer, a T, if one came.
  template <class T, class Handle, class... Ts>
  answer<T> ask(const Handle& handle, Ts&&... args) {
    auto out = std::make_shared<answer<T>>();
    auto& sys = system_;
    auto target = caf::actor_cast<caf::actor>(handle);
    system_.spawn([out, &sys, target, msg = caf::make_message(std::forward<Ts>(args)...)](
                    caf::event_based_actor* self) {
      self->request(target, caf::infinite, msg)
        .then([out](T& value) { out->value = std::move(value); },
              [out, &sys](caf::error& e) { out->error = failure_of(sys, e); });
    });
    run();
    return *out;
  }

private:
  struct config : caf::actor_system_config {
    config();
  };

  config config_;
  caf::actor_system system_;
  caf::scheduler::test_coordinator& scheduler_;
};

} // namespace flinkcpp::testing

#include "support/deterministic_actor_system.hpp"

#include <caf/atom.hpp>

#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"

namespace flinkcpp::testing {

deterministic_actor_system::config::config() {
  set("scheduler.policy", caf::atom("testing"));
  register_cluster_message_types(*this);
  register_error_category(*this);
}

deterministic_actor_system::deterministic_actor_system()
  : system_(config_),
    scheduler_(dynamic_cast<caf::scheduler::test_coordinator&>(system_.scheduler())) {
  system_.await_actors_before_shutdown(false);
}

void deterministic_actor_system::run() {
  while (scheduler_.try_run_once()) {
  }
}

} // namespace flinkcpp::testing

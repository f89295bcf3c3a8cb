#include "support/fake_cluster.hpp"

#include <caf/actor_system.hpp>
#include <caf/result.hpp>

namespace flinkcpp::testing {

caf::behavior fake_subtask(caf::event_based_actor* self, script_ptr script, caf::actor master,
                           execution_attempt key) {
  auto report = [=](execution_state state) {
    self->send(master, task_state_message{key, state, {}, {}});
  };
  return {
    [=](connect_atom, const task_connections&) {},
    [=](start_atom) { report(execution_state::running); },
    [=](cancel_atom) {
      script->cancelled.push_back(key);
      report(execution_state::canceled);
      self->quit();
    },
    [=](release_atom) { self->quit(); },
  };
}

caf::behavior fake_task_executor(caf::event_based_actor* self, script_ptr script) {
  return {
    [=](deploy_atom, const task_deployment& d) -> caf::result<caf::actor> {
      execution_attempt key = d.target;
      script->deployed.push_back(key);
      if (script->held.count(key)) {
        script->waiting.emplace(key, self->make_response_promise());
        return caf::delegated<caf::actor>{};
      }
      if (auto f = script->failing.find(key); f != script->failing.end())
        return caf::make_error(caf::sec::runtime_error, f->second);
      return self->spawn(fake_subtask, script, d.job_master, key);
    },
  };
}

resource_manager_actor::behavior_type fake_resource_manager(resource_manager_actor::pointer,
                                                            script_ptr script, caf::actor executor,
                                                            int slots) {
  return {
    [=](register_atom, const task_manager_registration& r) -> caf::result<std::string> {
      script->registrations.push_back(r);
      if (script->refusals_left > 0) {
        --script->refusals_left;
        return caf::make_error(caf::sec::runtime_error, "not now");
      }
      return std::string{"rm-1"};
    },
    [=](heartbeat_atom, const std::string&, const caf::actor_addr&,
        const std::vector<metric_sample>&) {},
    [=](unregister_atom, const std::string& id) {
      script->unregistered.push_back(id);
      return true;
    },
    [=](slots_atom, const job_id&, std::int32_t, std::int32_t, const caf::actor&) {
      ++script->slot_requests;
      std::vector<slot_offer> offers;
      for (int i = 0; i < slots; ++i)
        offers.push_back({"taskmanager-1", executor, "127.0.0.1", 0, i});
      return offers;
    },
    [=](free_atom, const job_id&) {},
    [=](list_atom) { return std::vector<task_manager_status>{}; },
    [=](executor_atom, const std::string& id) -> caf::result<caf::actor> {
      return caf::make_error(caf::sec::runtime_error, "no taskmanager " + id);
    },
    [=](tick_atom) {},
  };
}

} // namespace flinkcpp::testing

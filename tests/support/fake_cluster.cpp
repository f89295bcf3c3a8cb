#include "support/fake_cluster.hpp"

#include <caf/actor_system.hpp>
#include <caf/result.hpp>

#include "cluster/errors.hpp"

namespace flinkcpp::testing {

subtask_actor::behavior_type fake_subtask(subtask_actor::pointer self, script_ptr script,
                                          task_listener_actor master, execution_attempt key) {
  auto report = [=](execution_state state) {
    self->send(master, task_state_message{key, state, {}, {}});
  };
  return {
    [=](const channel_message&) {},
    [=](const remote_channel_message&) {},
    [=](const credit_message&) {},
    [=](connect_atom, const task_connections&) {},
    [=](start_atom) { report(execution_state::running); },
    [=](commit_atom) {},
    [=](const trigger_checkpoint_message&) {},
    [=](const checkpoint_complete_message&) {},
    [=](const coordinator_event_message& m) {
      script->coordinator_events.emplace_back(key, m.event);
    },
    [=](cancel_atom) {
      script->cancelled.push_back(key);
      report(execution_state::canceled);
      self->quit();
    },
  };
}

caf::behavior deployment_holder(caf::event_based_actor* self, script_ptr script) {
  auto held = std::make_shared<std::map<execution_attempt, caf::response_promise>>();
  return {
    [=](deploy_atom, const execution_attempt& key) {
      script->waiting.insert(key);
      return held->emplace(key, self->make_response_promise()).first->second;
    },
    [=](release_atom, const execution_attempt& key) {
      if (auto i = held->find(key); i != held->end()) {
        i->second.deliver(true);
        held->erase(i);
        script->waiting.erase(key);
      }
    },
  };
}

task_executor_actor::behavior_type fake_task_executor(task_executor_actor::pointer self,
                                                      script_ptr script) {
  auto holder = self->spawn(deployment_holder, script);
  script->holder = holder.address();
  // Answers deployment `d` as the script says.
  auto answer = [=](const task_deployment& d, caf::typed_response_promise<subtask_actor> promise) {
    if (auto f = script->failing.find(d.target); f != script->failing.end())
      promise.deliver(make_control_error(errc::unspecified, f->second));
    else
      promise.deliver(self->spawn(fake_subtask, script, d.job_master, d.target));
  };
  return {
    [=](deploy_atom, const task_deployment& d) {
      script->deployed.push_back(d.target);
      auto promise = self->make_response_promise<subtask_actor>();
      if (!script->held.count(d.target)) {
        answer(d, promise);
        return promise;
      }
      self->request(holder, caf::infinite, deploy_atom::value, d.target).then([=](bool) {
        answer(d, promise);
      });
      return promise;
    },
    [=](peers_atom, const std::vector<peer_address>&) { return true; },
    [=](logs_atom) { return std::vector<log_file_info>{}; },
    [=](log_atom, const std::string& name) -> caf::result<std::string> {
      return make_control_error(errc::not_found, "no log file " + name);
    },
    [=](threads_atom) { return std::vector<thread_snapshot>{}; },
    [=](unregister_atom) {
      self->quit();
      return true;
    },
    [=](heartbeat_atom, bool) {},
  };
}

resource_manager_actor::behavior_type fake_resource_manager(resource_manager_actor::pointer,
                                                            script_ptr script,
                                                            task_executor_actor executor,
                                                            int slots) {
  return {
    [=](register_atom, const task_manager_registration& r) -> caf::result<std::string> {
      script->registrations.push_back(r);
      if (script->refusals_left > 0) {
        --script->refusals_left;
        return make_control_error(errc::unavailable, "not now");
      }
      return std::string{"rm-1"};
    },
    [=](heartbeat_atom, const std::string&, const caf::actor_addr&,
        const std::vector<metric_sample>&) {},
    [=](unregister_atom, const std::string& id) {
      script->unregistered.push_back(id);
      return true;
    },
    [=](slots_atom, const job_id&, std::int32_t, std::int32_t, const slot_holder_actor&) {
      ++script->slot_requests;
      std::vector<slot_offer> offers;
      for (int i = 0; i < slots; ++i)
        offers.push_back({"taskmanager-1", executor, "127.0.0.1", 0, i});
      return offers;
    },
    [=](free_atom, const job_id&) {},
    [=](list_atom) { return std::vector<task_manager_status>{}; },
    [=](executor_atom, const std::string& id) -> caf::result<task_executor_actor> {
      return make_control_error(errc::not_found, "no taskmanager " + id);
    },
    [=](tick_atom) {},
  };
}

} // namespace flinkcpp::testing

#include "cluster/dispatcher.hpp"

#include <map>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/job_graph_cache.hpp"
#include "cluster/job_master.hpp"
#include "cluster/protocol.hpp"

namespace flinkcpp {

namespace {

struct job_entry {
  job_info info;
  caf::actor master; ///< until the job ended
  std::optional<job_result> result;
  std::vector<caf::response_promise> waiting;
};

struct dispatcher_state {
  resource_manager_actor resource_manager;
  spi::io_executor* io = nullptr;
  std::map<job_id, job_entry> jobs;
  std::vector<job_id> order;
  static inline const char* name = "dispatcher";
};

using dispatcher_actor = caf::stateful_actor<dispatcher_state>;

/// A job ended: keep its result and answer whoever waits for it.
void record_result(dispatcher_actor* self, const job_id& id, job_result r) {
  auto& e = self->state.jobs[id];
  if (e.info.status != r.status) // the job master's last update did not arrive
    e.info.status = r.status;
  e.result = r;
  e.master = nullptr;
  job_graph_cache::instance().remove(id);
  for (auto& w : e.waiting)
    w.deliver(r);
  e.waiting.clear();
}

/// The job master of job `id`, or an error saying that there is no such
/// job or that it ended.
caf::expected<caf::actor> master_of(dispatcher_state& s, const job_id& id) {
  auto i = s.jobs.find(id);
  if (i == s.jobs.end())
    return make_control_error(errc::not_found, "job " + id.to_string() + " not found");
  if (!i->second.master)
    return make_control_error(errc::conflict, "job " + id.to_string() + " is not running");
  return i->second.master;
}

caf::behavior dispatcher(dispatcher_actor* self, resource_manager_actor resource_manager,
                         spi::io_executor* io) {
  self->state.resource_manager = std::move(resource_manager);
  self->state.io = io;
  return {
    [=](submit_atom, job_submission& submission) -> job_id {
      auto& s = self->state;
      auto id = submission.id;
      job_graph_cache::instance().put(id, submission.graph);
      auto& entry = s.jobs[id];
      entry.info.id = id;
      entry.info.name = submission.graph->name();
      entry.info.graph = submission.graph;
      entry.info.spec = std::make_shared<const job_spec>(submission.spec);
      entry.info.start_time = epoch_millis();
      entry.master =
        spawn_job_master(self->system(), std::move(submission), s.resource_manager, self, *s.io);
      s.order.push_back(id);
      self->request(entry.master, caf::infinite, run_atom::value)
        .then([=](job_result& r) { record_result(self, id, std::move(r)); },
              [=](caf::error& err) {
                job_result r;
                r.id = id;
                r.status = job_status::failed;
                r.failure = "the job master stopped: " + error_text(self->system(), err);
                record_result(self, id, std::move(r));
              });
      return id;
    },
    [=](update_atom, job_info& info) {
      auto i = self->state.jobs.find(info.id);
      if (i != self->state.jobs.end())
        i->second.info = std::move(info);
    },
    [=](await_atom, const job_id& id) -> caf::response_promise {
      auto promise = self->make_response_promise();
      auto i = self->state.jobs.find(id);
      if (i == self->state.jobs.end())
        promise.deliver(
          make_control_error(errc::not_found, "job " + id.to_string() + " not found"));
      else if (i->second.result)
        promise.deliver(*i->second.result);
      else
        i->second.waiting.push_back(promise);
      return promise;
    },
    [=](jobs_atom) {
      std::vector<job_info> out;
      for (const auto& id : self->state.order)
        out.push_back(self->state.jobs.at(id).info);
      return out;
    },
    [=](job_atom, const job_id& id) {
      std::vector<job_info> out;
      if (auto i = self->state.jobs.find(id); i != self->state.jobs.end())
        out.push_back(i->second.info);
      return out;
    },
    [=](cancel_atom, const job_id& id) -> caf::result<bool> {
      auto master = master_of(self->state, id);
      if (!master)
        return std::move(master.error());
      self->send(*master, cancel_atom::value);
      return true;
    },
    [=](savepoint_atom, const job_id& id, const std::string& target,
        barrier_options options) -> caf::response_promise {
      auto promise = self->make_response_promise();
      auto master = master_of(self->state, id);
      if (!master) {
        promise.deliver(std::move(master.error()));
        return promise;
      }
      self->request(*master, caf::infinite, savepoint_atom::value, target, options)
        .then(
          [promise](checkpoint_id checkpoint, std::string& path) mutable {
            promise.deliver(checkpoint, std::move(path));
          },
          [promise](caf::error& e) mutable { promise.deliver(std::move(e)); });
      return promise;
    },
    [=](checkpoint_atom, const job_id& id, bool full) -> caf::response_promise {
      auto promise = self->make_response_promise();
      auto master = master_of(self->state, id);
      if (!master) {
        promise.deliver(std::move(master.error()));
        return promise;
      }
      self->request(*master, caf::infinite, checkpoint_atom::value, full)
        .then(
          [promise](checkpoint_id checkpoint, std::string& path) mutable {
            promise.deliver(checkpoint, std::move(path));
          },
          [promise](caf::error& e) mutable { promise.deliver(std::move(e)); });
      return promise;
    },
    [=](resources_atom, const job_id& id, std::int32_t upper) -> caf::response_promise {
      auto promise = self->make_response_promise();
      auto master = master_of(self->state, id);
      if (!master) {
        promise.deliver(std::move(master.error()));
        return promise;
      }
      self->request(*master, caf::infinite, resources_atom::value, upper)
        .then([promise](bool done) mutable { promise.deliver(done); },
              [promise](caf::error& e) mutable { promise.deliver(std::move(e)); });
      return promise;
    },
  };
}

} // namespace

caf::actor spawn_dispatcher(caf::actor_system& system, resource_manager_actor resource_manager,
                            spi::io_executor& io) {
  return system.spawn(dispatcher, std::move(resource_manager), &io);
}

} // namespace flinkcpp

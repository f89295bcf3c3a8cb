#include "cluster/dispatcher.hpp"

#include <map>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/job_graph_cache.hpp"
#include "cluster/job_master.hpp"
#include "cluster/protocol.hpp"

namespace flinkcpp {

namespace {

struct job_entry {
  job_info info;
  job_master_actor master; ///< until the job ended
  std::optional<job_result> result;
  std::vector<caf::typed_response_promise<job_result>> waiting;
};

struct dispatcher_state {
  /// Not an aggregate: CAF would otherwise build the state from the actor's
  /// own pointer (its first member, a typed handle, is constructible from one).
  dispatcher_state() = default;

  resource_manager_actor resource_manager;
  spi::io_executor* io = nullptr;
  std::map<job_id, job_entry> jobs;
  std::vector<job_id> order;
  static inline const char* name = "dispatcher";
};

using dispatcher_pointer = dispatcher_actor::stateful_pointer<dispatcher_state>;

/// A job ended: keep its result and answer whoever waits for it.
void record_result(dispatcher_pointer self, const job_id& id, job_result r) {
  auto& e = self->state.jobs[id];
  if (e.info.status != r.status) // the job master's last update did not arrive
    e.info.status = r.status;
  e.result = r;
  e.master = job_master_actor{};
  job_graph_cache::instance().remove(id);
  for (auto& w : e.waiting)
    w.deliver(r);
  e.waiting.clear();
}

/// The job master of job `id`, or an error saying that there is no such
/// job or that it ended.
caf::expected<job_master_actor> master_of(dispatcher_state& s, const job_id& id) {
  auto i = s.jobs.find(id);
  if (i == s.jobs.end())
    return make_control_error(errc::not_found, "job " + id.to_string() + " not found");
  if (!i->second.master)
    return make_control_error(errc::conflict, "job " + id.to_string() + " is not running");
  return i->second.master;
}

/// Asks `master` for what `args` ask and passes its answer (or error) on.
template <class... Out, class... Ts>
caf::typed_response_promise<Out...> forward(dispatcher_pointer self, const job_master_actor& master,
                                            Ts&&... args) {
  auto promise = self->make_response_promise<Out...>();
  self->request(master, caf::infinite, std::forward<Ts>(args)...)
    .then([promise](Out&... out) mutable { promise.deliver(std::move(out)...); },
          [promise](caf::error& e) mutable { promise.deliver(std::move(e)); });
  return promise;
}

dispatcher_actor::behavior_type
dispatcher(dispatcher_pointer self, resource_manager_actor resource_manager, spi::io_executor* io) {
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
      entry.master = spawn_job_master(self->system(), std::move(submission), s.resource_manager,
                                      job_listener_actor{self}, *s.io);
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
    [=](await_atom, const job_id& id) -> caf::typed_response_promise<job_result> {
      auto promise = self->make_response_promise<job_result>();
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
      caf::anon_send(*master, cancel_atom::value);
      return true;
    },
    [=](savepoint_atom, const job_id& id, const std::string& target,
        barrier_options options) -> caf::result<checkpoint_id, std::string> {
      auto master = master_of(self->state, id);
      if (!master)
        return std::move(master.error());
      return forward<checkpoint_id, std::string>(self, *master, savepoint_atom::value, target,
                                                 options);
    },
    [=](checkpoint_atom, const job_id& id, bool full) -> caf::result<checkpoint_id, std::string> {
      auto master = master_of(self->state, id);
      if (!master)
        return std::move(master.error());
      return forward<checkpoint_id, std::string>(self, *master, checkpoint_atom::value, full);
    },
    [=](resources_atom, const job_id& id, std::int32_t upper) -> caf::result<bool> {
      auto master = master_of(self->state, id);
      if (!master)
        return std::move(master.error());
      return forward<bool>(self, *master, resources_atom::value, upper);
    },
  };
}

} // namespace

dispatcher_actor spawn_dispatcher(caf::actor_system& system,
                                  resource_manager_actor resource_manager, spi::io_executor& io) {
  return system.spawn(dispatcher, std::move(resource_manager), &io);
}

} // namespace flinkcpp

#include "cluster/resource_manager.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"
#include "metrics/reported_metrics.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

/// The actor system's clock: steady time, and simulated time on CAF's test
/// coordinator.
using clock_type = caf::actor_clock;

struct registered_task_manager {
  task_manager_registration info;
  std::vector<std::optional<job_id>> slot_owner; ///< which job holds each slot
  clock_type::time_point last_heartbeat;
  std::int64_t last_heartbeat_epoch = 0;
  std::int64_t registered_epoch = 0;

  int free_slots() const {
    return static_cast<int>(std::count(slot_owner.begin(), slot_owner.end(), std::nullopt));
  }
};

struct slot_request {
  job_id job;
  int count = 0;   ///< at least this many
  int maximum = 0; ///< and as many more as are free, up to this
  slot_holder_actor job_master;
  caf::typed_response_promise<std::vector<slot_offer>> promise;
  clock_type::time_point deadline;
};

struct resource_manager_state {
  resource_manager_settings settings;
  std::string id = "resourcemanager-" + job_id::random().to_string().substr(0, 8);
  std::map<std::string, registered_task_manager> task_managers; ///< by id, in id order
  std::vector<std::string> arrival;                             ///< ids, oldest first
  std::deque<slot_request> pending;
  std::map<job_id, slot_holder_actor> job_masters;
  std::shared_ptr<spdlog::logger> log = logger("resourcemgr");
  static inline const char* name = "resource_manager";
};

using rm_actor = resource_manager_actor::stateful_pointer<resource_manager_state>;

int free_slots(const resource_manager_state& s) {
  int n = 0;
  for (const auto& [id, tm] : s.task_managers)
    n += tm.free_slots();
  return n;
}

/// Takes `count` free slots for `job`: from the oldest taskmanager first, or
/// round robin over all of them when spreading out.
std::vector<slot_offer> take_slots(resource_manager_state& s, const job_id& job, int count) {
  std::vector<slot_offer> offers;
  auto take_one = [&](registered_task_manager& tm) {
    for (std::size_t i = 0; i < tm.slot_owner.size(); ++i) {
      if (tm.slot_owner[i])
        continue;
      tm.slot_owner[i] = job;
      offers.push_back({tm.info.id, tm.info.executor, tm.info.host, tm.info.data_port,
                        static_cast<std::int32_t>(i)});
      return true;
    }
    return false;
  };
  while (static_cast<int>(offers.size()) < count) {
    bool progress = false;
    for (const auto& id : s.arrival) {
      auto& tm = s.task_managers.at(id);
      if (s.settings.spread_out) {
        progress |= take_one(tm);
        if (static_cast<int>(offers.size()) == count)
          break;
      } else {
        while (static_cast<int>(offers.size()) < count && take_one(tm))
          progress = true;
      }
    }
    if (!progress)
      break;
  }
  return offers;
}

void serve_pending(rm_actor self) {
  auto& s = self->state;
  for (auto i = s.pending.begin(); i != s.pending.end();) {
    auto free = free_slots(s);
    if (free < i->count) {
      ++i;
      continue;
    }
    s.job_masters[i->job] = i->job_master;
    i->promise.deliver(take_slots(s, i->job, std::min(free, i->maximum)));
    i = s.pending.erase(i);
  }
}

void release_job(resource_manager_state& s, const job_id& job) {
  for (auto& [id, tm] : s.task_managers)
    for (auto& owner : tm.slot_owner)
      if (owner == job)
        owner.reset();
}

// `id` by value: callers pass keys of the map this erases from.
/// Drops a taskmanager and fails the jobs using its slots. `orderly`: it
/// left on purpose (shut down), which is no reason for a warning.
void lose(rm_actor self, std::string id, const std::string& reason, bool orderly = false) {
  auto& s = self->state;
  auto i = s.task_managers.find(id);
  if (i == s.task_managers.end())
    return;
  reported_metrics::instance().remove(id);
  if (orderly)
    s.log->info("TaskManager {} deregistered: {}", id, reason);
  else
    s.log->warn("TaskManager {} is lost: {}", id, reason);
  std::vector<job_id> affected;
  for (const auto& owner : i->second.slot_owner)
    if (owner && std::find(affected.begin(), affected.end(), *owner) == affected.end())
      affected.push_back(*owner);
  s.task_managers.erase(i);
  s.arrival.erase(std::remove(s.arrival.begin(), s.arrival.end(), id), s.arrival.end());
  for (const auto& job : affected)
    if (auto jm = s.job_masters.find(job); jm != s.job_masters.end())
      caf::anon_send(jm->second, lost_atom::value, id, reason);
}

void tick(rm_actor self) {
  auto& s = self->state;
  auto now = self->clock().now();
  std::vector<std::string> silent;
  for (const auto& [id, tm] : s.task_managers)
    if (now - tm.last_heartbeat > s.settings.heartbeat_timeout)
      silent.push_back(id);
  for (const auto& id : silent)
    lose(self, id,
         "no heartbeat for " + std::to_string(s.settings.heartbeat_timeout.count()) +
           " ms (heartbeat.timeout)");
  for (auto i = s.pending.begin(); i != s.pending.end();) {
    if (now < i->deadline) {
      ++i;
      continue;
    }
    auto message = "could not get " + std::to_string(i->count) + " slots within " +
                   std::to_string(s.settings.slot_request_timeout.count()) +
                   " ms (slot.request.timeout): the cluster has " + std::to_string(free_slots(s)) +
                   " free slots on " + std::to_string(s.task_managers.size()) + " taskmanagers";
    i->promise.deliver(caf::make_error(caf::sec::request_timeout, std::move(message)));
    i = s.pending.erase(i);
  }
}

resource_manager_actor::behavior_type resource_manager(rm_actor self,
                                                       resource_manager_settings settings) {
  self->state.settings = settings;
  auto period = std::min(settings.heartbeat_interval, settings.slot_request_timeout / 4);
  period = std::max(period, std::chrono::milliseconds{10});
  self->send(self, tick_atom::value);
  self->set_down_handler([=](caf::down_msg& down) {
    for (const auto& [id, tm] : self->state.task_managers) {
      if (tm.info.executor.address() == down.source) {
        if (down.reason == caf::exit_reason::user_shutdown)
          lose(self, id, "it shut down", true);
        else
          lose(self, id,
               "the connection to it was lost (" + self->system().render(down.reason) + ")");
        return;
      }
    }
    for (auto i = self->state.job_masters.begin(); i != self->state.job_masters.end(); ++i) {
      if (i->second.address() == down.source) {
        release_job(self->state, i->first);
        self->state.job_masters.erase(i);
        serve_pending(self);
        return;
      }
    }
  });
  return {
    [=](register_atom, task_manager_registration& r) -> std::string {
      auto& s = self->state;
      auto& tm = s.task_managers[r.id];
      if (!tm.info.executor)
        s.arrival.push_back(r.id);
      tm.slot_owner.assign(static_cast<std::size_t>(r.slots), std::nullopt);
      tm.last_heartbeat = self->clock().now();
      tm.last_heartbeat_epoch = tm.registered_epoch = epoch_millis();
      self->monitor(r.executor);
      s.log->info("Registered TaskManager {} at {}:{} with {} slots.", r.id, r.host, r.data_port,
                  r.slots);
      tm.info = std::move(r);
      serve_pending(self);
      // Reactive jobs grow into new slots.
      for (const auto& [job, master] : s.job_masters)
        caf::anon_send(master, joined_atom::value, free_slots(s));
      return s.id;
    },
    [=](heartbeat_atom, const std::string& id, const caf::actor_addr& sender,
        std::vector<metric_sample>& metrics) {
      auto i = self->state.task_managers.find(id);
      if (i == self->state.task_managers.end()) {
        if (auto te = caf::actor_cast<task_executor_actor>(sender))
          caf::anon_send(te, heartbeat_atom::value, false); // to register again
        return;
      }
      i->second.last_heartbeat = self->clock().now();
      i->second.last_heartbeat_epoch = epoch_millis();
      reported_metrics::instance().update(id, std::move(metrics));
    },
    [=](unregister_atom, const std::string& id) {
      lose(self, id, "it shut down", true);
      return true;
    },
    [=](slots_atom, const job_id& job, std::int32_t count, std::int32_t maximum,
        slot_holder_actor job_master) -> caf::typed_response_promise<std::vector<slot_offer>> {
      auto& s = self->state;
      self->monitor(job_master);
      s.pending.push_back({job, count, std::max(count, maximum), std::move(job_master),
                           self->make_response_promise<std::vector<slot_offer>>(),
                           self->clock().now() + s.settings.slot_request_timeout});
      auto promise = s.pending.back().promise;
      serve_pending(self);
      return promise;
    },
    [=](free_atom, const job_id& job) {
      release_job(self->state, job);
      serve_pending(self);
    },
    [=](list_atom) {
      std::vector<task_manager_status> out;
      for (const auto& [id, tm] : self->state.task_managers) {
        std::vector<job_id> jobs;
        for (const auto& owner : tm.slot_owner)
          if (owner)
            jobs.push_back(*owner);
        out.push_back({id, tm.info.host, tm.info.data_port, tm.info.slots, tm.free_slots(),
                       tm.last_heartbeat_epoch, tm.registered_epoch, tm.info.hardware,
                       std::move(jobs)});
      }
      return out;
    },
    [=](executor_atom, const std::string& id) -> caf::result<task_executor_actor> {
      auto i = self->state.task_managers.find(id);
      if (i == self->state.task_managers.end())
        return make_control_error(errc::not_found, "taskmanager " + id + " not found");
      return i->second.info.executor;
    },
    [=](tick_atom) {
      tick(self);
      self->delayed_send(self, period, tick_atom::value);
    },
  };
}

} // namespace

resource_manager_actor spawn_resource_manager(caf::actor_system& system,
                                              resource_manager_settings settings) {
  return system.spawn(resource_manager, settings);
}

} // namespace flinkcpp

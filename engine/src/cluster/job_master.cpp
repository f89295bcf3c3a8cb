#include "cluster/job_master.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/job_graph_cache.hpp"
#include "cluster/job_master_state.hpp"
#include "config/core_options.hpp"

namespace flinkcpp {

void publish(job_master_pointer self) {
  update_checkpoint_info(self->state);
  self->send(self->state.listener, update_atom::value, self->state.info);
}

namespace {

void stop_attempt(job_master_pointer self, const exception_info* failure, bool rescale);

subtask_info& info_of(job_master_state& s, vertex_index vertex, subtask_index subtask) {
  return s.info.subtasks[vertex.position()][subtask.position()];
}

std::string location_of(const job_master_state& s, subtask_index subtask) {
  return location(s.scheduling.slot_of(subtask));
}

void set_status(job_master_pointer self, job_status status) {
  auto& s = self->state;
  if (s.info.status == status)
    return;
  s.info.status = status;
  s.info.timestamps.emplace_back(std::string{to_string(status)}, epoch_millis());
  s.log->info("Job {} ({}) switched to {}.", s.info.name, s.info.id.to_string(), to_string(status));
  publish(self);
}

void start_attempt(job_master_pointer self);

/// The jobmanager shuts down under the job: stop without ending it, its
/// completed checkpoints kept (only pending ones go), and report SUSPENDED.
void suspend(job_master_pointer self) {
  auto& s = self->state;
  close_sources(self);
  stop_checkpointing(self, "the jobmanager shuts down");
  set_status(self, job_status::suspended);
  job_result result;
  result.id = s.info.id;
  result.status = job_status::suspended;
  for (auto& c : s.clients)
    c.deliver(result);
  quit_after_checkpoint_writes(self);
}

/// The job ended for good: free the slots, report, answer the clients.
void conclude(job_master_pointer self, job_status status) {
  auto& s = self->state;
  s.info.end_time = epoch_millis();
  close_sources(self);
  end_checkpointing(self, status);
  set_status(self, status);
  self->send(s.resource_manager, free_atom::value, s.info.id);
  job_result result;
  result.id = s.info.id;
  result.status = status;
  if (status == job_status::failed)
    result.failure = s.failure;
  result.duration = std::chrono::milliseconds{s.info.end_time - s.info.start_time};
  for (auto& c : s.clients)
    c.deliver(result);
  quit_after_checkpoint_writes(self);
}

/// Every subtask of the stopping attempt is done: restart, fail or cancel.
void attempt_stopped(job_master_pointer self) {
  auto& s = self->state;
  if (!s.execution.finish_stopping())
    return;
  stop_checkpointing(self, s.cancelled ? "the job was cancelled" : "the job failed: " + s.failure);
  if (s.cancelled) {
    conclude(self, job_status::canceled);
    return;
  }
  if (s.execution.rescaling()) { // not a failure: no restart attempt is used up
    set_status(self, job_status::restarting);
    self->send(s.resource_manager, free_atom::value, s.info.id);
    self->send(self, restart_atom::value);
    return;
  }
  auto delay = s.restarts->on_failure(restart_strategy::clock::now());
  if (!delay) {
    conclude(self, job_status::failed);
    return;
  }
  ++s.info.restarts;
  set_status(self, job_status::restarting);
  self->send(s.resource_manager, free_atom::value, s.info.id);
  s.log->info("Job {} restarts in {} ms (restart {}).", s.info.name, delay->count(),
              s.info.restarts);
  self->delayed_send(self, *delay, restart_atom::value);
}

/// Logs `failure` and adds it to the exception history: as a root cause, or
/// (`concurrent`) as one the stop of the attempt brought about.
void record_failure(job_master_pointer self, const exception_info& failure, bool concurrent) {
  auto& s = self->state;
  s.log->info("Job {} ({}) failed in attempt {}: {}{}", s.info.name, s.info.id.to_string(),
              s.execution.attempt(), failure.task_name.empty() ? "" : failure.task_name + ": ",
              failure.exception);
  if (concurrent && !s.info.exceptions.empty())
    s.info.exceptions.back().concurrent.push_back(failure);
  else
    s.info.exceptions.push_back(failure);
}

/// Stops the current attempt: cancels every subtask not yet done. With a
/// failure, records it in the exception history; `rescale`: to restart at
/// once with other slots, which is no failure.
void stop_attempt(job_master_pointer self, const exception_info* failure, bool rescale) {
  auto& s = self->state;
  if (s.execution.stopped()) {
    // A late report of the attempt that is over: its restart is on the way.
    if (failure)
      record_failure(self, *failure, true);
    return;
  }
  if (failure)
    record_failure(self, *failure, s.execution.stopping() && !s.cancelled);
  if (s.execution.stopping()) {
    attempt_stopped(self);
    return;
  }
  s.execution.begin_stopping(rescale);
  close_sources(self);
  if (failure)
    s.failure = failure->task_name.empty() ? failure->exception
                                           : failure->task_name + ": " + failure->exception;
  if (!s.cancelled && !rescale)
    set_status(self, job_status::failing);
  s.execution.for_each([&](vertex_index v, subtask_index i) {
    const auto& r = s.execution.record(v, i);
    if (r.done)
      return;
    if (r.actor)
      self->send(r.actor, cancel_atom::value);
    else
      s.execution.mark_done(v, i); // never deployed
  });
  attempt_stopped(self);
}

/// A reactive job with fewer slots than it could use rescales into the new
/// ones once they settled (jobmanager.adaptive-scheduler.resource-stabilization-timeout).
void grow_when_settled(job_master_pointer self) {
  auto& s = self->state;
  if (static_cast<std::int32_t>(s.scheduling.slots().size()) >=
      s.scheduling.most_slots(*s.job.graph))
    return;
  auto wait = options::resource_stabilization_timeout.get(configuration_of(s.job.spec));
  self->delayed_send(self, wait, rescale_atom::value, s.execution.attempt());
}

void start_all(job_master_pointer self) {
  auto& s = self->state;
  set_status(self, job_status::running);
  s.execution.for_each_live([&](vertex_index, subtask_index, const subtask_record& r) {
    self->send(r.actor, start_atom::value);
  });
  start_checkpointing(self);
  if (s.job.graph->reactive() && s.scheduling.joined_since_assigned())
    grow_when_settled(self); // a taskmanager joined while the attempt was starting
}

void connect_all(job_master_pointer self) {
  auto& s = self->state;
  int attempt = s.execution.attempt();
  s.execution.for_each_live([&](vertex_index v, subtask_index i, const subtask_record& r) {
    self->request(r.actor, caf::infinite, connect_atom::value, s.execution.connections_of(v, i))
      .then(
        [=]() {
          auto& st = self->state;
          if (st.execution.attempt() == attempt && !st.execution.stopping() &&
              st.execution.connected())
            start_all(self);
        },
        [=](caf::error& e) {
          if (self->state.execution.attempt() == attempt)
            fail(self, "connecting its channels failed: " + error_text(self->system(), e),
                 self->state.execution.task_name(v, i));
        });
  });
}

void deploy_all(job_master_pointer self) {
  auto& s = self->state;
  int attempt = s.execution.attempt();
  s.execution.begin_deploying();
  note_restore(self);
  start_sources(self);
  if (s.execution.stopping() || s.execution.stopped())
    return; // an enumerator failed to start: the attempt stops undeployed
  s.execution.for_each([&](vertex_index v, subtask_index i) {
    const auto& slot = s.scheduling.slot_of(i);
    auto& info = info_of(s, v, i);
    info.state = execution_state::deploying;
    info.task_manager = slot.task_manager;
    info.host = location(slot);
    task_deployment d{s.info.id, s.job.spec,     {v, i, attempt},
                      self,      s.job.settings, restore_for(self, v, i)};
    d.settings.checkpoints = s.checkpoints->directories();
    auto restoring = d.restore.checkpoint;
    self->request(slot.executor, caf::infinite, deploy_atom::value, std::move(d))
      .then(
        [=](subtask_actor& a) {
          auto& st = self->state;
          if (st.execution.attempt() != attempt || st.execution.record(v, i).done) {
            // Its attempt stopped (or stops) without it: counted as done.
            self->send(a, cancel_atom::value);
            return;
          }
          self->monitor(a);
          if (st.execution.stopping()) {
            st.execution.record(v, i).actor = a;
            self->send(a, cancel_atom::value);
            return;
          }
          if (st.execution.deployed(v, i, a))
            connect_all(self);
        },
        [=](caf::error& e) {
          auto& st = self->state;
          if (st.execution.attempt() != attempt)
            return;
          st.execution.mark_done(v, i);
          auto why = error_text(self->system(), e);
          if (why.find(restore_failure_marker) != std::string::npos)
            drop_unreadable_restore_point(self, restoring, why);
          fail(self, "deployment failed: " + why, st.execution.task_name(v, i), location_of(st, i));
        });
  });
}

/// Connects the taskmanagers holding the job's slots to each other, so that
/// data between them travels directly.
void connect_task_managers(job_master_pointer self) {
  auto& s = self->state;
  auto plan = s.scheduling.peers();
  if (plan.task_managers.size() < 2) {
    deploy_all(self);
    return;
  }
  int attempt = s.execution.attempt();
  auto left = std::make_shared<std::size_t>(plan.task_managers.size());
  for (const auto& tm : plan.task_managers) {
    self->request(tm.executor, std::chrono::seconds{30}, peers_atom::value, plan.addresses)
      .then(
        [=](bool) {
          auto& st = self->state;
          if (st.execution.attempt() == attempt && --*left == 0 && !st.execution.stopping())
            deploy_all(self);
        },
        [=, id = tm.task_manager](caf::error& e) {
          if (self->state.execution.attempt() == attempt)
            fail(self, "connecting the taskmanagers failed: " + error_text(self->system(), e), {},
                 id);
        });
  }
}

/// Sizes the REST view of the attempt's subtasks to the current graph.
void size_subtask_infos(job_master_state& s) {
  const auto& vertices = s.job.graph->vertices();
  s.info.subtasks.assign(vertices.size(), {});
  for (std::size_t v = 0; v < vertices.size(); ++v)
    s.info.subtasks[v].resize(static_cast<std::size_t>(vertices[v].parallelism));
}

/// Reactive mode got `slots` slots: rebuild the graph at that parallelism (on
/// the I/O executor; user code runs) unless it has it already, then deploy.
void fit_to_slots(job_master_pointer self, int attempt) {
  auto& s = self->state;
  if (s.scheduling.fits_slots(*s.job.graph)) {
    connect_task_managers(self);
    return;
  }
  auto parallelism = s.scheduling.slots().size();
  auto spec = s.job.spec;
  spec.config[std::string{options::parallelism_default.key()}] = std::to_string(parallelism);
  auto me = job_master_impl{self};
  s.io->execute([me, attempt, spec]() mutable {
    auto built = build_job_graph(spec);
    built_graph b{job_id{}, built ? built.value() : nullptr, built ? std::string{} : built.error()};
    caf::anon_send(me, rescale_atom::value, attempt, std::move(spec), std::move(b));
  });
}

/// A rebuilt graph for a reactive attempt is ready: install it and deploy.
void on_rescaled(job_master_pointer self, int attempt, job_spec& spec, built_graph& built) {
  auto& s = self->state;
  if (s.execution.attempt() != attempt)
    return;
  if (!built.graph) {
    fail(self, "rescaling to " + std::to_string(s.scheduling.slots().size()) +
                 " slots failed: " + built.error);
    return;
  }
  if (s.execution.stopping() || s.cancelled) {
    attempt_stopped(self);
    return;
  }
  s.log->info("Job {} ({}) runs with parallelism {} on the slots it got (reactive mode).",
              s.info.name, s.info.id.to_string(), s.scheduling.slots().size());
  s.job.spec = std::move(spec);
  s.job.graph = std::move(built.graph);
  s.info.graph = s.job.graph;
  s.info.spec = std::make_shared<const job_spec>(s.job.spec);
  job_graph_cache::instance().put(s.info.id, s.job.graph);
  s.checkpoints->set_graph(s.job.graph);
  s.execution.resize(s.job.graph);
  size_subtask_infos(s);
  connect_task_managers(self);
}

void start_attempt(job_master_pointer self) {
  auto& s = self->state;
  s.execution.begin_attempt(s.job.graph);
  s.info.attempt = s.execution.attempt() - 1;
  size_subtask_infos(s);
  s.scheduling.release();
  int attempt = s.execution.attempt();
  bool reactive = s.job.graph->reactive();
  auto wanted = s.scheduling.request(*s.job.graph);
  self
    ->request(s.resource_manager, caf::infinite, slots_atom::value, s.info.id, wanted.needed,
              wanted.most, slot_holder_actor{self})
    .then(
      [=](std::vector<slot_offer>& offers) {
        auto& st = self->state;
        if (st.execution.attempt() != attempt)
          return;
        st.scheduling.assign(std::move(offers));
        if (st.execution.stopping() || st.cancelled) {
          attempt_stopped(self);
          return;
        }
        if (reactive)
          fit_to_slots(self, attempt);
        else
          connect_task_managers(self);
      },
      [=](caf::error& e) {
        if (self->state.execution.attempt() == attempt)
          fail(self, error_text(self->system(), e));
      });
  publish(self);
}

void on_task_state(job_master_pointer self, const task_state_message& m) {
  auto& s = self->state;
  if (m.from.attempt != s.execution.attempt())
    return; // a subtask of an attempt that already stopped
  auto& info = info_of(s, m.from.vertex, m.from.subtask);
  s.log->info("{} of job {} switched from {} to {}.",
              s.execution.task_name(m.from.vertex, m.from.subtask), s.info.id.to_string(),
              to_string(info.state), to_string(m.state));
  info.state = m.state;
  if (m.state == execution_state::running)
    info.start_time = epoch_millis();
  else if (m.state != execution_state::canceling)
    info.end_time = epoch_millis();
  if (is_terminal(m.state)) {
    info.io = m.io;
    info.io_final = true;
  }
  switch (m.state) {
    case execution_state::finished:
      if (s.execution.finished() && !s.execution.stopping())
        s.execution.for_each_live([&](vertex_index, subtask_index, const subtask_record& r) {
          self->send(r.actor, commit_atom::value);
        });
      break;
    case execution_state::failed:
      s.execution.mark_done(m.from.vertex, m.from.subtask);
      fail(self, m.failure, s.execution.task_name(m.from.vertex, m.from.subtask),
           location_of(s, m.from.subtask));
      break;
    case execution_state::canceled:
      s.execution.mark_done(m.from.vertex, m.from.subtask);
      attempt_stopped(self);
      break;
    default:
      break;
  }
  publish(self);
}

void on_committed(job_master_pointer self, const task_committed_message& m) {
  auto& s = self->state;
  if (m.from.attempt != s.execution.attempt())
    return;
  s.execution.mark_done(m.from.vertex, m.from.subtask);
  if (!m.failure.empty()) {
    fail(self, m.failure, s.execution.task_name(m.from.vertex, m.from.subtask));
    return;
  }
  if (s.execution.all_done() && !s.execution.stopping()) {
    s.all_committed = true;
    finish_when_idle(self);
  }
}

/// The most of its library one answer to a task executor carries: a part
/// small enough that heartbeats and other messages of the same connection
/// never wait long behind it.
constexpr std::uint64_t library_part_size = 1 << 20;

/// Part of the job's library from `offset` on (task_listener_actor).
caf::result<std::uint64_t, std::string>
library_part(job_master_pointer self, const std::string& digest, std::uint64_t offset) {
  const auto& library = self->state.job.spec.library;
  if (library.digest != digest || !library.bytes) // an empty library has no bytes
    return make_control_error(errc::not_found, "job " + self->state.info.id.to_string() +
                                                 " runs no library " + digest);
  const auto& bytes = *library.bytes;
  if (offset > bytes.size())
    return make_control_error(errc::invalid_argument,
                              "offset " + std::to_string(offset) + " lies beyond the " +
                                std::to_string(bytes.size()) + " bytes of library " + digest);
  return {static_cast<std::uint64_t>(bytes.size()), bytes.substr(offset, library_part_size)};
}

job_master_impl::behavior_type job_master(job_master_pointer self, job_submission job,
                                          resource_manager_actor resource_manager,
                                          job_listener_actor listener, spi::io_executor* io) {
  auto& s = self->state;
  s.io = io;
  s.restarts = restart_strategy::from(configuration_of(job.spec));
  s.info.id = job.id;
  s.info.name = job.graph->name();
  s.info.graph = job.graph;
  s.info.restart_strategy = s.restarts->description();
  s.info.spec = std::make_shared<const job_spec>(job.spec);
  s.info.adaptive = job.graph->reactive();
  // The adaptive scheduler's upper bound is the parallelism the job asked for;
  // reactive mode takes every slot there is.
  auto config = configuration_of(job.spec);
  if (s.info.adaptive && options::scheduler_mode.get(config) != "reactive")
    s.scheduling.set_parallelism_bound(static_cast<std::int32_t>(job.graph->slots_needed()));
  s.info.parallelism_bound = s.scheduling.parallelism_bound();
  s.info.start_time = epoch_millis();
  s.info.timestamps.emplace_back("CREATED", s.info.start_time);
  s.job = std::move(job);
  s.resource_manager = std::move(resource_manager);
  s.listener = std::move(listener);
  init_checkpoints(self);
  self->monitor(s.resource_manager);
  self->set_down_handler([=](caf::down_msg& down) {
    auto& st = self->state;
    if (down.source == st.resource_manager.address()) {
      if (down.reason == caf::exit_reason::user_shutdown) {
        suspend(self); // the jobmanager shuts down: the job is left to the next one
        return;
      }
      // Nothing can be scheduled any more: fail for good, without restarts.
      st.restarts = std::make_unique<no_restart>();
      fail(self, "the resource manager stopped: " + self->system().render(down.reason));
      return;
    }
    st.execution.for_each_live([&](vertex_index v, subtask_index i, const subtask_record& r) {
      if (r.actor.address() != down.source)
        return;
      st.execution.mark_done(v, i);
      fail(self, "terminated unexpectedly: " + self->system().render(down.reason),
           st.execution.task_name(v, i), location_of(st, i));
    });
  });
  return {
    [=](run_atom) -> caf::typed_response_promise<job_result> {
      auto& st = self->state;
      st.clients.push_back(self->make_response_promise<job_result>());
      if (st.execution.current() == execution_graph::phase::created)
        start_attempt(self);
      return st.clients.back();
    },
    [=](const task_state_message& m) { on_task_state(self, m); },
    [=](const task_committed_message& m) { on_committed(self, m); },
    [=](library_atom, const std::string& digest, std::uint64_t offset) {
      return library_part(self, digest, offset);
    },
    [=](restart_atom) {
      if (!self->state.cancelled)
        start_attempt(self);
    },
    [=](lost_atom, const std::string& task_manager, const std::string& reason) {
      auto& st = self->state;
      if (st.info.status == job_status::restarting)
        return; // between attempts: nothing of the job runs there
      bool affected = false;
      st.execution.for_each([&](vertex_index v, subtask_index i) {
        if (st.scheduling.runs_on(i, task_manager) && st.execution.mark_done(v, i))
          affected = true; // gone with it
      });
      if (affected || !st.execution.stopping())
        fail(self, "TaskManager " + task_manager + " was lost: " + reason, {}, task_manager);
    },
    [=](joined_atom, std::int32_t free_slots) {
      auto& st = self->state;
      if (!st.job.graph->reactive() || free_slots <= 0)
        return;
      if (st.info.status != job_status::running) {
        st.scheduling.note_joined(); // taken into account once running
        return;
      }
      grow_when_settled(self);
    },
    [=](rescale_atom, int attempt) {
      auto& st = self->state;
      if (attempt != st.execution.attempt() || st.execution.stopping() ||
          st.info.status != job_status::running)
        return;
      st.log->info("Job {} ({}) rescales into new slots from its latest checkpoint.", st.info.name,
                   st.info.id.to_string());
      stop_attempt(self, nullptr, true);
    },
    [=](rescale_atom, int attempt, job_spec& spec, built_graph& built) {
      on_rescaled(self, attempt, spec, built);
    },
    [=](resources_atom, std::int32_t upper) -> caf::result<bool> {
      auto& st = self->state;
      if (!st.job.graph->reactive())
        return make_control_error(errc::conflict,
                                  "job " + st.info.id.to_string() +
                                    " runs with the default scheduler: its parallelism changes "
                                    "only by a restart from a savepoint (jobmanager.scheduler: "
                                    "adaptive or scheduler-mode: reactive let it change)");
      st.scheduling.set_parallelism_bound(upper);
      st.info.parallelism_bound = st.scheduling.parallelism_bound();
      auto wanted = st.scheduling.most_slots(*st.job.graph);
      auto current = static_cast<std::int32_t>(st.scheduling.slots().size());
      st.log->info("Job {} ({}) may use up to {} slots now (resource requirements).", st.info.name,
                   st.info.id.to_string(), wanted);
      publish(self);
      if (st.info.status == job_status::running && !st.execution.stopping() && current != wanted)
        self->send(self, rescale_atom::value, st.execution.attempt());
      return true;
    },
    [=](cancel_atom) {
      auto& st = self->state;
      if (st.cancelled)
        return;
      st.cancelled = true;
      bool idle = st.info.status == job_status::restarting || st.execution.all_done();
      set_status(self, job_status::cancelling);
      if (idle) {
        conclude(self, job_status::canceled);
        return;
      }
      stop_attempt(self, nullptr, false);
    },
    [=](tick_atom, int attempt) { on_checkpoint_tick(self, attempt); },
    [=](expire_atom, checkpoint_id id) { on_checkpoint_expired(self, id); },
    [=](checkpoint_ack_message& m) { on_checkpoint_ack(self, m); },
    [=](const checkpoint_decline_message& m) { on_checkpoint_decline(self, m); },
    [=](const operator_event_message& m) { on_operator_event(self, m); },
    [=](run_atom, int attempt, deferred_call& call) { on_source_call(self, attempt, call); },
    [=](checkpoint_atom, checkpoint_id id, const std::string& error) {
      on_metadata_written(self, id, error);
    },
    [=](checkpoint_atom, bool full) { return checkpoint_now(self, full); },
    [=](savepoint_atom, const std::string& target, barrier_options options) {
      return savepoint_now(self, target, options);
    },
  };
}

} // namespace

void finish_when_idle(job_master_pointer self) {
  auto& s = self->state;
  if (s.all_committed && s.requests.empty() && !is_globally_terminal(s.info.status))
    conclude(self, job_status::finished);
}

void fail(job_master_pointer self, std::string exception, std::string task, std::string where) {
  exception_info e{std::move(exception), std::move(task), std::move(where), epoch_millis(), {}};
  stop_attempt(self, &e, false);
}

job_master_actor spawn_job_master(caf::actor_system& system, job_submission submission,
                                  resource_manager_actor resource_manager,
                                  job_listener_actor listener, spi::io_executor& io) {
  return system.spawn(job_master, std::move(submission), std::move(resource_manager),
                      std::move(listener), &io);
}

} // namespace flinkcpp

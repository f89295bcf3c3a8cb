#include "cluster/job_master.hpp"

#include <map>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/job_graph_cache.hpp"
#include "cluster/job_master_state.hpp"
#include "config/core_options.hpp"
#include "graph/channel_layout.hpp"

namespace flinkcpp {

void publish(job_master_actor* self) {
  update_checkpoint_info(self->state);
  self->send(self->state.dispatcher, update_atom::value, self->state.info);
}

namespace {

void stop_attempt(job_master_actor* self, const exception_info* failure);

subtask_record& record_of(job_master_state& s, int vertex, int subtask) {
  return s.subtasks[static_cast<std::size_t>(vertex)][static_cast<std::size_t>(subtask)];
}

subtask_info& info_of(job_master_state& s, int vertex, int subtask) {
  return s.info.subtasks[static_cast<std::size_t>(vertex)][static_cast<std::size_t>(subtask)];
}

std::string task_name(const job_master_state& s, int vertex, int subtask) {
  const auto& v = s.job.graph->vertices()[static_cast<std::size_t>(vertex)];
  return v.name + " (" + std::to_string(subtask + 1) + "/" + std::to_string(v.parallelism) + ")";
}

std::string location(const slot_offer& slot) {
  return slot.data_port == 0 ? slot.task_manager : slot.host + ":" + std::to_string(slot.data_port);
}

void set_status(job_master_actor* self, job_status status) {
  auto& s = self->state;
  if (s.info.status == status)
    return;
  s.info.status = status;
  s.info.timestamps.emplace_back(std::string{to_string(status)}, epoch_millis());
  s.log->info("Job {} ({}) switched to {}.", s.info.name, s.info.id.to_string(), to_string(status));
  publish(self);
}

void start_attempt(job_master_actor* self);

/// The jobmanager shuts down under the job: stop without ending it, its
/// completed checkpoints kept (only pending ones go), and report SUSPENDED.
void suspend(job_master_actor* self) {
  auto& s = self->state;
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
void conclude(job_master_actor* self, job_status status) {
  auto& s = self->state;
  s.info.end_time = epoch_millis();
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
void attempt_stopped(job_master_actor* self) {
  auto& s = self->state;
  if (s.done < s.total || !s.stopping)
    return;
  s.stopping = false;
  s.stopped = true;
  stop_checkpointing(self, s.cancelled ? "the job was cancelled" : "the job failed: " + s.failure);
  if (s.cancelled) {
    conclude(self, job_status::canceled);
    return;
  }
  if (s.rescaling) { // not a failure: no restart attempt is used up
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

void mark_done(job_master_actor* self, int vertex, int subtask) {
  auto& r = record_of(self->state, vertex, subtask);
  if (r.done)
    return;
  r.done = true;
  ++self->state.done;
}

/// Logs `failure` and adds it to the exception history: as a root cause, or
/// (`concurrent`) as one the stop of the attempt brought about.
void record_failure(job_master_actor* self, const exception_info& failure, bool concurrent) {
  auto& s = self->state;
  s.log->info("Job {} ({}) failed in attempt {}: {}{}", s.info.name, s.info.id.to_string(),
              s.attempt, failure.task_name.empty() ? "" : failure.task_name + ": ",
              failure.exception);
  if (concurrent && !s.info.exceptions.empty())
    s.info.exceptions.back().concurrent.push_back(failure);
  else
    s.info.exceptions.push_back(failure);
}

/// Stops the current attempt: cancels every subtask not yet done. With a
/// failure, records it in the exception history.
void stop_attempt(job_master_actor* self, const exception_info* failure) {
  auto& s = self->state;
  if (s.stopped) {
    // A late report of the attempt that is over: its restart is on the way.
    if (failure)
      record_failure(self, *failure, true);
    return;
  }
  if (failure)
    record_failure(self, *failure, s.stopping && !s.cancelled);
  if (s.stopping) {
    attempt_stopped(self);
    return;
  }
  s.stopping = true;
  if (failure)
    s.failure = failure->task_name.empty() ? failure->exception
                                           : failure->task_name + ": " + failure->exception;
  if (!s.cancelled && !s.rescaling)
    set_status(self, job_status::failing);
  for (std::size_t v = 0; v < s.subtasks.size(); ++v) {
    for (std::size_t i = 0; i < s.subtasks[v].size(); ++i) {
      auto& r = s.subtasks[v][i];
      if (r.done)
        continue;
      if (r.actor)
        self->send(r.actor, cancel_atom::value);
      else
        mark_done(self, static_cast<int>(v), static_cast<int>(i)); // never deployed
    }
  }
  attempt_stopped(self);
}

task_connections connections_of(job_master_state& s, int vertex, int subtask) {
  const auto& graph = *s.job.graph;
  const auto& v = graph.vertices()[static_cast<std::size_t>(vertex)];
  task_connections c;
  for (int e : v.outputs) {
    const auto& edge = graph.edges()[static_cast<std::size_t>(e)];
    auto& targets = c.partitions.emplace_back();
    for (auto end : consumers_of(graph, edge, subtask))
      targets.push_back({record_of(s, edge.target_vertex, end.subtask).actor,
                         static_cast<std::uint32_t>(edge.input_index), end.channel});
  }
  for (int e : v.inputs) {
    const auto& edge = graph.edges()[static_cast<std::size_t>(e)];
    auto& sources = c.gates.emplace_back();
    for (auto end : producers_of(graph, edge, subtask))
      sources.push_back({record_of(s, edge.source_vertex, end.subtask).actor,
                         static_cast<std::uint32_t>(edge.output_index), end.channel});
  }
  return c;
}

void start_all(job_master_actor* self) {
  auto& s = self->state;
  set_status(self, job_status::running);
  for (auto& vertex : s.subtasks)
    for (auto& r : vertex)
      self->send(r.actor, start_atom::value);
  start_checkpointing(self);
}

void connect_all(job_master_actor* self) {
  auto& s = self->state;
  int attempt = s.attempt;
  for (std::size_t v = 0; v < s.subtasks.size(); ++v) {
    for (std::size_t i = 0; i < s.subtasks[v].size(); ++i) {
      auto c = connections_of(s, static_cast<int>(v), static_cast<int>(i));
      self->request(s.subtasks[v][i].actor, caf::infinite, connect_atom::value, std::move(c))
        .then(
          [=]() {
            auto& st = self->state;
            if (st.attempt == attempt && !st.stopping && ++st.connected == st.total)
              start_all(self);
          },
          [=](caf::error& e) {
            if (self->state.attempt == attempt)
              fail(self, "connecting its channels failed: " + error_text(self->system(), e),
                   task_name(self->state, static_cast<int>(v), static_cast<int>(i)));
          });
    }
  }
}

void deploy_all(job_master_actor* self) {
  auto& s = self->state;
  int attempt = s.attempt;
  note_restore(self);
  for (std::size_t v = 0; v < s.subtasks.size(); ++v) {
    for (std::size_t i = 0; i < s.subtasks[v].size(); ++i) {
      const auto& slot = s.slots[i];
      auto& info = s.info.subtasks[v][i];
      info.state = execution_state::deploying;
      info.task_manager = slot.task_manager;
      info.host = location(slot);
      task_deployment d{
        s.info.id, s.job.spec,     {static_cast<int>(v), static_cast<int>(i), attempt},
        self,      s.job.settings, restore_for(self, static_cast<int>(v), static_cast<int>(i))};
      d.settings.checkpoints = s.checkpoints->directories();
      auto restoring = d.restore.checkpoint;
      self->request(slot.executor, caf::infinite, deploy_atom::value, std::move(d))
        .then(
          [=](caf::actor& a) {
            auto& st = self->state;
            if (st.attempt != attempt || st.subtasks[v][i].done) {
              // Its attempt stopped (or stops) without it: counted as done.
              self->send(a, cancel_atom::value);
              return;
            }
            auto& r = st.subtasks[v][i];
            r.actor = a;
            self->monitor(a);
            if (st.stopping) {
              self->send(a, cancel_atom::value);
              return;
            }
            if (++st.deployed == st.total)
              connect_all(self);
          },
          [=](caf::error& e) {
            auto& st = self->state;
            if (st.attempt != attempt)
              return;
            mark_done(self, static_cast<int>(v), static_cast<int>(i));
            auto why = error_text(self->system(), e);
            if (why.find(restore_failure_marker) != std::string::npos)
              drop_unreadable_restore_point(self, restoring, why);
            fail(self, "deployment failed: " + why,
                 task_name(st, static_cast<int>(v), static_cast<int>(i)), location(st.slots[i]));
          });
    }
  }
}

/// Connects the taskmanagers holding the job's slots to each other, so that
/// data between them travels directly.
void connect_task_managers(job_master_actor* self) {
  auto& s = self->state;
  std::map<std::string, caf::actor> executors;
  std::vector<peer_address> peers;
  for (const auto& slot : s.slots) {
    if (slot.data_port == 0 || executors.count(slot.task_manager))
      continue;
    executors.emplace(slot.task_manager, slot.executor);
    peers.push_back({slot.host, slot.data_port});
  }
  if (executors.size() < 2) {
    deploy_all(self);
    return;
  }
  int attempt = s.attempt;
  auto left = std::make_shared<std::size_t>(executors.size());
  for (const auto& entry : executors) {
    const auto& id = entry.first;
    self->request(entry.second, std::chrono::seconds{30}, peers_atom::value, peers)
      .then(
        [=](bool) {
          if (self->state.attempt == attempt && --*left == 0 && !self->state.stopping)
            deploy_all(self);
        },
        [=](caf::error& e) {
          if (self->state.attempt == attempt)
            fail(self, "connecting the taskmanagers failed: " + error_text(self->system(), e), {},
                 id);
        });
  }
}

/// Sizes the bookkeeping of the attempt to the current graph.
void size_attempt(job_master_state& s) {
  const auto& vertices = s.job.graph->vertices();
  s.subtasks.assign(vertices.size(), {});
  s.info.subtasks.assign(vertices.size(), {});
  s.total = s.deployed = s.connected = s.finished = s.done = 0;
  for (std::size_t v = 0; v < vertices.size(); ++v) {
    s.subtasks[v].resize(static_cast<std::size_t>(vertices[v].parallelism));
    s.info.subtasks[v].resize(static_cast<std::size_t>(vertices[v].parallelism));
    s.total += s.subtasks[v].size();
  }
}

/// In reactive mode, the most slots the job can use: its smallest max
/// parallelism, and its resource requirements' upper bound.
std::int32_t reactive_limit(const job_master_state& s) {
  int limit = spi::max_key_groups;
  const auto& graph = *s.job.graph;
  for (const auto& v : graph.vertices())
    for (int n : v.nodes)
      limit = std::min(limit, graph.node_max_parallelism(n));
  return s.parallelism_bound > 0 ? std::min(limit, s.parallelism_bound) : limit;
}

/// Reactive mode got `slots` slots: rebuild the graph at that parallelism (on
/// the I/O executor; user code runs) unless it has it already, then deploy.
void fit_to_slots(job_master_actor* self, int attempt) {
  auto& s = self->state;
  auto parallelism = static_cast<int>(s.slots.size());
  if (s.job.graph->slots_needed() == parallelism) {
    connect_task_managers(self);
    return;
  }
  auto spec = s.job.spec;
  spec.config[std::string{options::parallelism_default.key()}] = std::to_string(parallelism);
  auto me = caf::actor{self};
  s.io->execute([me, attempt, spec]() mutable {
    auto built = build_job_graph(spec);
    built_graph b{job_id{}, built ? built.value() : nullptr, built ? std::string{} : built.error()};
    caf::anon_send(me, rescale_atom::value, attempt, std::move(spec), std::move(b));
  });
}

/// A rebuilt graph for a reactive attempt is ready: install it and deploy.
void on_rescaled(job_master_actor* self, int attempt, job_spec& spec, built_graph& built) {
  auto& s = self->state;
  if (s.attempt != attempt)
    return;
  if (!built.graph) {
    fail(self, "rescaling to " + std::to_string(s.slots.size()) + " slots failed: " + built.error);
    return;
  }
  if (s.stopping || s.cancelled) {
    attempt_stopped(self);
    return;
  }
  s.log->info("Job {} ({}) runs with parallelism {} on the slots it got (reactive mode).",
              s.info.name, s.info.id.to_string(), s.slots.size());
  s.job.spec = std::move(spec);
  s.job.graph = std::move(built.graph);
  s.info.graph = s.job.graph;
  s.info.spec = std::make_shared<const job_spec>(s.job.spec);
  job_graph_cache::instance().put(s.info.id, s.job.graph);
  s.checkpoints->set_graph(s.job.graph);
  size_attempt(s);
  connect_task_managers(self);
}

void start_attempt(job_master_actor* self) {
  auto& s = self->state;
  ++s.attempt;
  s.info.attempt = s.attempt - 1;
  s.rescaling = false;
  s.stopped = false;
  size_attempt(s);
  s.slots.clear();
  int attempt = s.attempt;
  bool reactive = s.job.graph->reactive();
  auto needed = reactive ? 1 : static_cast<std::int32_t>(s.job.graph->slots_needed());
  auto most = reactive ? reactive_limit(s) : needed;
  self->request(s.resource_manager, caf::infinite, slots_atom::value, s.info.id, needed, most, self)
    .then(
      [=](std::vector<slot_offer>& offers) {
        auto& st = self->state;
        if (st.attempt != attempt)
          return;
        st.slots = std::move(offers);
        if (st.stopping || st.cancelled) {
          attempt_stopped(self);
          return;
        }
        if (reactive)
          fit_to_slots(self, attempt);
        else
          connect_task_managers(self);
      },
      [=](caf::error& e) {
        if (self->state.attempt == attempt)
          fail(self, error_text(self->system(), e));
      });
  publish(self);
}

void on_task_state(job_master_actor* self, const task_state_message& m) {
  auto& s = self->state;
  if (m.from.attempt != s.attempt)
    return; // a subtask of an attempt that already stopped
  auto& info = info_of(s, m.from.vertex, m.from.subtask);
  s.log->info("{} of job {} switched from {} to {}.", task_name(s, m.from.vertex, m.from.subtask),
              s.info.id.to_string(), to_string(info.state), to_string(m.state));
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
      if (++s.finished == s.total && !s.stopping)
        for (auto& vertex : s.subtasks)
          for (auto& t : vertex)
            self->send(t.actor, commit_atom::value);
      break;
    case execution_state::failed:
      mark_done(self, m.from.vertex, m.from.subtask);
      fail(self, m.failure, task_name(s, m.from.vertex, m.from.subtask),
           location(s.slots[static_cast<std::size_t>(m.from.subtask)]));
      break;
    case execution_state::canceled:
      mark_done(self, m.from.vertex, m.from.subtask);
      attempt_stopped(self);
      break;
    default:
      break;
  }
  publish(self);
}

void on_committed(job_master_actor* self, const task_committed_message& m) {
  auto& s = self->state;
  if (m.from.attempt != s.attempt)
    return;
  mark_done(self, m.from.vertex, m.from.subtask);
  if (!m.failure.empty()) {
    fail(self, m.failure, task_name(s, m.from.vertex, m.from.subtask));
    return;
  }
  if (s.done == s.total && !s.stopping) {
    s.all_committed = true;
    finish_when_idle(self);
  }
}

caf::behavior job_master(job_master_actor* self, job_submission job, caf::actor resource_manager,
                         caf::actor dispatcher, spi::io_executor* io) {
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
    s.parallelism_bound = static_cast<std::int32_t>(job.graph->slots_needed());
  s.info.parallelism_bound = s.parallelism_bound;
  s.info.start_time = epoch_millis();
  s.info.timestamps.emplace_back("CREATED", s.info.start_time);
  s.job = std::move(job);
  s.resource_manager = std::move(resource_manager);
  s.dispatcher = std::move(dispatcher);
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
    for (std::size_t v = 0; v < st.subtasks.size(); ++v) {
      for (std::size_t i = 0; i < st.subtasks[v].size(); ++i) {
        auto& r = st.subtasks[v][i];
        if (r.actor.address() != down.source || r.done)
          continue;
        mark_done(self, static_cast<int>(v), static_cast<int>(i));
        fail(self, "terminated unexpectedly: " + self->system().render(down.reason),
             task_name(st, static_cast<int>(v), static_cast<int>(i)), location(st.slots[i]));
      }
    }
  });
  caf::message_handler scheduling{
    [=](run_atom) -> caf::response_promise {
      auto& st = self->state;
      st.clients.push_back(self->make_response_promise());
      if (st.attempt == 0)
        start_attempt(self);
      return st.clients.back();
    },
    [=](const task_state_message& m) { on_task_state(self, m); },
    [=](const task_committed_message& m) { on_committed(self, m); },
    [=](restart_atom) {
      if (!self->state.cancelled)
        start_attempt(self);
    },
    [=](lost_atom, const std::string& task_manager, const std::string& reason) {
      auto& st = self->state;
      if (st.info.status == job_status::restarting)
        return; // between attempts: nothing of the job runs there
      bool affected = false;
      for (std::size_t v = 0; v < st.subtasks.size(); ++v)
        for (std::size_t i = 0; i < st.subtasks[v].size(); ++i)
          if (st.slots.size() > i && st.slots[i].task_manager == task_manager &&
              !st.subtasks[v][i].done) {
            affected = true;
            mark_done(self, static_cast<int>(v), static_cast<int>(i)); // gone with it
          }
      if (affected || !st.stopping)
        fail(self, "TaskManager " + task_manager + " was lost: " + reason, {}, task_manager);
    },
    [=](joined_atom, std::int32_t free_slots) {
      auto& st = self->state;
      if (!st.job.graph->reactive() || free_slots <= 0 || st.info.status != job_status::running)
        return;
      if (static_cast<std::int32_t>(st.slots.size()) >= reactive_limit(st))
        return;
      // Wait for the new resources to settle, then rescale into them.
      auto wait = options::resource_stabilization_timeout.get(configuration_of(st.job.spec));
      self->delayed_send(self, wait, rescale_atom::value, st.attempt);
    },
    [=](rescale_atom, int attempt) {
      auto& st = self->state;
      if (attempt != st.attempt || st.stopping || st.info.status != job_status::running)
        return;
      st.log->info("Job {} ({}) rescales into new slots from its latest checkpoint.", st.info.name,
                   st.info.id.to_string());
      st.rescaling = true;
      stop_attempt(self, nullptr);
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
      st.parallelism_bound = std::max(1, upper);
      st.info.parallelism_bound = st.parallelism_bound;
      auto wanted = reactive_limit(st);
      auto current = static_cast<std::int32_t>(st.slots.size());
      st.log->info("Job {} ({}) may use up to {} slots now (resource requirements).", st.info.name,
                   st.info.id.to_string(), wanted);
      publish(self);
      if (st.info.status == job_status::running && !st.stopping && current != wanted)
        self->send(self, rescale_atom::value, st.attempt);
      return true;
    },
    [=](cancel_atom) {
      auto& st = self->state;
      if (st.cancelled)
        return;
      st.cancelled = true;
      bool idle = st.info.status == job_status::restarting || st.done == st.total;
      set_status(self, job_status::cancelling);
      if (idle) {
        conclude(self, job_status::canceled);
        return;
      }
      stop_attempt(self, nullptr);
    },
  };
  return scheduling.or_else(checkpoint_handlers(self));
}

} // namespace

void finish_when_idle(job_master_actor* self) {
  auto& s = self->state;
  if (s.all_committed && s.requests.empty() && !is_globally_terminal(s.info.status))
    conclude(self, job_status::finished);
}

void fail(job_master_actor* self, std::string exception, std::string task, std::string where) {
  exception_info e{std::move(exception), std::move(task), std::move(where), epoch_millis(), {}};
  stop_attempt(self, &e);
}

caf::actor spawn_job_master(caf::actor_system& system, job_submission submission,
                            caf::actor resource_manager, caf::actor dispatcher,
                            spi::io_executor& io) {
  return system.spawn(job_master, std::move(submission), std::move(resource_manager),
                      std::move(dispatcher), &io);
}

} // namespace flinkcpp

#include "cluster/job_master.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "cluster/cluster_messages.hpp"
#include "graph/channel_layout.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

/// Where one subtask stands, as the job master sees it.
struct subtask_record {
  caf::actor actor;
  execution_state state = execution_state::created;
  bool done = false; ///< committed, cancelled, failed or gone: nothing more to wait for
};

struct job_master_state {
  std::shared_ptr<const job_graph> graph;
  job_id id;
  task_settings settings;
  std::vector<caf::actor> slots;
  std::vector<std::vector<subtask_record>> subtasks; // [vertex][subtask]
  std::size_t total = 0;
  std::size_t deployed = 0;
  std::size_t connected = 0;
  std::size_t finished = 0;
  std::size_t done = 0;
  job_status status = job_status::created;
  std::string failure;
  caf::response_promise client;
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<spdlog::logger> log = logger("jobmaster");
  static inline const char* name = "job_master";
};

using job_master_actor = caf::stateful_actor<job_master_state>;

subtask_record& record_of(job_master_state& s, int vertex, int subtask) {
  return s.subtasks[static_cast<std::size_t>(vertex)][static_cast<std::size_t>(subtask)];
}

std::string task_name(const job_master_state& s, int vertex, int subtask) {
  const auto& v = s.graph->vertices()[static_cast<std::size_t>(vertex)];
  return v.name + " (" + std::to_string(subtask + 1) + "/" + std::to_string(v.parallelism) + ")";
}

void finish_if_done(job_master_actor* self) {
  auto& s = self->state;
  if (s.done < s.total || !s.client.pending())
    return;
  job_result result;
  result.id = s.id;
  result.failure = s.failure;
  if (s.status == job_status::failing)
    s.status = job_status::failed;
  else if (s.status == job_status::cancelling)
    s.status = job_status::canceled;
  result.status = s.status;
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
    std::chrono::steady_clock::now() - s.started);
  s.log->info("Job {} ({}) switched to {}.", s.graph->name(), s.id.to_string(),
              to_string(s.status));
  s.client.deliver(std::move(result));
  self->quit();
}

void mark_done(job_master_actor* self, subtask_record& r) {
  if (r.done)
    return;
  r.done = true;
  ++self->state.done;
}

/// Stops the job: cancels every subtask not yet done.
void stop_job(job_master_actor* self, job_status status, const std::string& failure) {
  auto& s = self->state;
  if (s.status == job_status::failing || s.status == job_status::cancelling ||
      s.status == job_status::finished)
    return;
  s.status = status;
  s.failure = failure;
  if (status == job_status::failing)
    s.log->info("Job {} ({}) is failing: {}", s.graph->name(), s.id.to_string(), failure);
  for (auto& vertex : s.subtasks) {
    for (auto& r : vertex) {
      if (r.done)
        continue;
      if (r.actor)
        self->send(r.actor, cancel_atom::value);
      else
        mark_done(self, r); // never deployed
    }
  }
  finish_if_done(self);
}

task_connections connections_of(job_master_state& s, int vertex, int subtask) {
  const auto& graph = *s.graph;
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
  s.status = job_status::running;
  s.log->info("Job {} ({}) switched to RUNNING.", s.graph->name(), s.id.to_string());
  for (auto& vertex : s.subtasks)
    for (auto& r : vertex)
      self->send(r.actor, start_atom::value);
}

void connect_all(job_master_actor* self) {
  auto& s = self->state;
  for (std::size_t v = 0; v < s.subtasks.size(); ++v) {
    for (std::size_t i = 0; i < s.subtasks[v].size(); ++i) {
      auto c = connections_of(s, static_cast<int>(v), static_cast<int>(i));
      self->request(s.subtasks[v][i].actor, caf::infinite, connect_atom::value, std::move(c))
        .then(
          [=]() {
            if (++self->state.connected == self->state.total &&
                self->state.status == job_status::created)
              start_all(self);
          },
          [=](caf::error& e) {
            stop_job(self, job_status::failing,
                     "connecting " + task_name(self->state, static_cast<int>(v),
                                               static_cast<int>(i)) +
                       " failed: " + self->system().render(e));
          });
    }
  }
}

void deploy_all(job_master_actor* self) {
  auto& s = self->state;
  const auto& vertices = s.graph->vertices();
  s.subtasks.resize(vertices.size());
  for (std::size_t v = 0; v < vertices.size(); ++v) {
    s.subtasks[v].resize(static_cast<std::size_t>(vertices[v].parallelism));
    s.total += s.subtasks[v].size();
  }
  for (std::size_t v = 0; v < vertices.size(); ++v) {
    for (std::size_t i = 0; i < s.subtasks[v].size(); ++i) {
      task_deployment d{s.id, s.graph, static_cast<int>(v), static_cast<int>(i), self, s.settings};
      self->request(s.slots[i], caf::infinite, deploy_atom::value, std::move(d))
        .then(
          [=](caf::actor& a) {
            auto& r = self->state.subtasks[v][i];
            r.actor = a;
            self->monitor(a);
            if (self->state.status != job_status::created) {
              self->send(a, cancel_atom::value); // the job stopped meanwhile
              return;
            }
            if (++self->state.deployed == self->state.total)
              connect_all(self);
          },
          [=](caf::error& e) {
            mark_done(self, self->state.subtasks[v][i]);
            stop_job(self, job_status::failing,
                     "deploying " + task_name(self->state, static_cast<int>(v),
                                              static_cast<int>(i)) +
                       " failed: " + self->system().render(e));
          });
    }
  }
}

void on_task_state(job_master_actor* self, const task_state_message& m) {
  auto& s = self->state;
  auto& r = record_of(s, m.vertex, m.subtask);
  s.log->info("{} switched from {} to {}.", task_name(s, m.vertex, m.subtask), to_string(r.state),
              to_string(m.state));
  r.state = m.state;
  switch (m.state) {
    case execution_state::finished:
      if (++s.finished == s.total && s.status == job_status::running) {
        for (auto& vertex : s.subtasks)
          for (auto& t : vertex)
            self->send(t.actor, commit_atom::value);
      }
      break;
    case execution_state::failed:
      mark_done(self, r);
      stop_job(self, job_status::failing, task_name(s, m.vertex, m.subtask) + ": " + m.failure);
      break;
    case execution_state::canceled:
      mark_done(self, r);
      break;
    default:
      break;
  }
  finish_if_done(self);
}

void on_committed(job_master_actor* self, const task_committed_message& m) {
  auto& s = self->state;
  mark_done(self, record_of(s, m.vertex, m.subtask));
  if (!m.failure.empty())
    stop_job(self, job_status::failing, task_name(s, m.vertex, m.subtask) + ": " + m.failure);
  else if (s.done == s.total && s.status == job_status::running)
    s.status = job_status::finished;
  finish_if_done(self);
}

caf::behavior job_master(job_master_actor* self, std::shared_ptr<const job_graph> graph, job_id id,
                         task_settings settings, std::vector<caf::actor> slots) {
  auto& s = self->state;
  s.graph = std::move(graph);
  s.id = id;
  s.settings = settings;
  s.slots = std::move(slots);
  self->set_down_handler([=](caf::down_msg& down) {
    for (std::size_t v = 0; v < self->state.subtasks.size(); ++v) {
      for (std::size_t i = 0; i < self->state.subtasks[v].size(); ++i) {
        auto& r = self->state.subtasks[v][i];
        if (r.actor.address() != down.source || r.done)
          continue;
        mark_done(self, r);
        stop_job(self, job_status::failing,
                 task_name(self->state, static_cast<int>(v), static_cast<int>(i)) +
                   " terminated unexpectedly: " + self->system().render(down.reason));
      }
    }
    finish_if_done(self);
  });
  return {
    [=](run_atom) -> caf::response_promise {
      auto& st = self->state;
      st.client = self->make_response_promise();
      st.started = std::chrono::steady_clock::now();
      st.log->info("Job {} ({}) is submitted: {} tasks.", st.graph->name(), st.id.to_string(),
                   st.graph->vertices().size());
      deploy_all(self);
      return st.client;
    },
    [=](const task_state_message& m) { on_task_state(self, m); },
    [=](const task_committed_message& m) { on_committed(self, m); },
    [=](cancel_atom) { stop_job(self, job_status::cancelling, {}); },
  };
}

} // namespace

caf::actor spawn_job_master(caf::actor_system& system, std::shared_ptr<const job_graph> graph,
                            job_id id, task_settings settings, std::vector<caf::actor> slots) {
  return system.spawn(job_master, std::move(graph), id, settings, std::move(slots));
}

} // namespace flinkcpp

#include "cluster/task_executor.hpp"

#include <filesystem>
#include <map>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "cluster/errors.hpp"
#include "cluster/heartbeat_sender.hpp"
#include "cluster/job_graph_cache.hpp"
#include "cluster/protocol.hpp"
#include "cluster/rpc_middleman.hpp"
#include "graph/job_builder.hpp"
#include "metrics/metric_registry.hpp"
#include "runtime/subtask_actor.hpp"
#include "security/internal_tls.hpp"
#include "state/state_backend.hpp"
#include "state/working_directories.hpp"
#include "util/local_address.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

/// The answer to a deployment: the subtask started.
using deploy_promise = caf::typed_response_promise<subtask_actor>;

using clock_type = std::chrono::steady_clock;

/// A job's graph on this taskmanager: being built, built, or failed to build.
struct job_entry {
  std::map<std::string, std::string> config; ///< of the spec the graph was built from
  std::shared_ptr<const job_graph> graph;
  std::string error;
  bool building = false;
  std::vector<std::pair<task_deployment, deploy_promise>> waiting;
  std::set<caf::actor_addr> subtasks;
};

/// A subtask waiting for its state to be read before it starts.
struct pending_restore {
  task_deployment deployment;
  deploy_promise promise;
};

struct task_executor_state {
  task_executor_settings settings;
  spi::io_executor* io = nullptr;
  std::uint64_t next_restore = 0;
  std::map<std::uint64_t, pending_restore> restores;
  std::uint64_t next_log_read = 0;
  std::map<std::uint64_t, caf::typed_response_promise<std::string>> log_reads;
  resource_manager_actor resource_manager;
  bool registered = false;
  /// Unregistering: no subtask starts any more (one started now would
  /// outlive the executor and keep the process from exiting).
  bool leaving = false;
  clock_type::time_point registration_began;
  std::chrono::milliseconds backoff{100};
  std::map<job_id, job_entry> jobs;
  std::set<peer_address> peers;
  std::shared_ptr<spdlog::logger> log = logger("taskexecutor");
  std::unique_ptr<flinkcpp::heartbeats> heartbeats;
  std::unique_ptr<flinkcpp::working_directories> working_directories;
  static inline const char* name = "task_executor";
};

/// The executor's own interface: its registration retries and what its I/O
/// executor read or built for it.
using task_executor_impl = task_executor_actor::extend<
  caf::reacts_to<register_atom>, caf::reacts_to<register_atom, std::string>,
  caf::reacts_to<restore_read>, caf::reacts_to<built_graph>, caf::reacts_to<log_read>>;

using te_actor = task_executor_impl::stateful_pointer<task_executor_state>;

void find_resource_manager(te_actor self);

/// Schedules the next attempt to reach the resource manager, or gives up.
void retry(te_actor self, const std::string& why) {
  auto& s = self->state;
  if (clock_type::now() - s.registration_began > s.settings.registration_timeout) {
    auto message = "could not register with the jobmanager at " + s.settings.resource_manager_host +
                   ":" + std::to_string(s.settings.resource_manager_port) + " within " +
                   std::to_string(s.settings.registration_timeout.count()) +
                   " ms (taskmanager.registration.timeout): " + why;
    s.log->error("{}", message);
    if (s.settings.on_fatal)
      s.settings.on_fatal(message);
    self->quit();
    return;
  }
  s.log->info("Registration with the jobmanager failed ({}); retrying in {} ms.", why,
              s.backoff.count());
  self->delayed_send(self, s.backoff, register_atom::value);
  s.backoff = std::min(s.backoff * 2, std::chrono::milliseconds{5000});
}

void send_registration(te_actor self) {
  auto& s = self->state;
  task_manager_registration r{s.settings.id,
                              s.settings.host,
                              s.settings.data_port,
                              static_cast<std::int32_t>(s.settings.slots),
                              self,
                              read_hardware()};
  self->request(s.resource_manager, std::chrono::seconds{10}, register_atom::value, std::move(r))
    .then(
      [=](const std::string& rm_id) {
        auto& st = self->state;
        if (st.registered)
          return;
        st.registered = true;
        st.backoff = std::chrono::milliseconds{100};
        self->monitor(st.resource_manager);
        st.log->info("Registered at {} as TaskManager {} with {} slots.", rm_id, st.settings.id,
                     st.settings.slots);
        st.heartbeats->target(st.resource_manager, self->address());
      },
      [=](caf::error& e) { retry(self, self->system().render(e)); });
}

/// How long the jobmanager's endpoint may take to accept a probe.
constexpr std::chrono::milliseconds probe_timeout{3000};

/// Why a connection to another flink-cpp process failed, with a hint where a
/// handshake broke off: a peer closes it when only one side speaks TLS.
std::string connection_error(te_actor self, const caf::error& e) {
  auto text = error_text(self->system(), e);
  if (e == caf::sec::disconnect_during_handshake)
    text += self->state.settings.tls
              ? " (the peer closed the TLS handshake: it must have security.ssl.internal.enabled "
                "and trust this process's certificate)"
              : " (the peer closed the handshake: does it expect TLS, "
                "security.ssl.internal.enabled?)";
  return text;
}

/// Connects to the resource manager at its host and port; the endpoint
/// answered a probe just now.
void connect_to_resource_manager(te_actor self) {
  auto& s = self->state;
  auto mm = rpc_middleman(self->system());
  self
    ->request(mm, std::chrono::seconds{10}, caf::connect_atom::value,
              s.settings.resource_manager_host, s.settings.resource_manager_port)
    .then(
      [=](const caf::node_id&, caf::strong_actor_ptr& rm, const std::set<std::string>& ifs) {
        if (!rm) {
          retry(self, "nothing is published there");
          return;
        }
        if (!self->system().assignable<resource_manager_actor>(ifs)) {
          retry(self, "what is published there is not a resource manager of this flink-cpp "
                      "version");
          return;
        }
        self->state.resource_manager = caf::actor_cast<resource_manager_actor>(rm);
        send_registration(self);
      },
      [=](caf::error& e) { retry(self, connection_error(self, e)); });
}

/// Finds the resource manager: in-process, or first a probe of its endpoint
/// on the I/O executor, then a connection. (The middleman connects blocking:
/// where packets vanish its connect would stall every later one for the
/// kernel's two minutes of SYN retries.) The probe answers with
/// (register_atom, why it failed or empty).
void find_resource_manager(te_actor self) {
  auto& s = self->state;
  if (s.settings.resource_manager) {
    s.resource_manager = s.settings.resource_manager;
    send_registration(self);
    return;
  }
  auto me = task_executor_impl{self};
  s.io->execute([me, host = s.settings.resource_manager_host,
                 port = s.settings.resource_manager_port, tls = s.settings.tls] {
    auto probe =
      tls ? tls->probe(host, port, probe_timeout) : accepts_connections(host, port, probe_timeout);
    caf::anon_send(me, register_atom::value, probe ? std::string{} : probe.error());
  });
}

/// Why a deployment to a taskmanager that is shutting down fails.
constexpr const char* leaving_error = "the taskmanager is shutting down";

/// Cancels every subtask; used when the jobmanager is gone or we leave.
/// With `end_after`, each also ends after its cancellation (when leaving, no
/// jobmanager releases them any more).
void cancel_all(te_actor self, bool end_after = false) {
  for (auto& [id, job] : self->state.jobs)
    for (const auto& addr : job.subtasks)
      if (auto a = caf::actor_cast<subtask_actor>(addr)) {
        self->send(a, cancel_atom::value);
        if (end_after)
          self->send_exit(a, caf::exit_reason::user_shutdown);
      }
}

subtask_actor spawn_monitored(te_actor self, job_entry& job, task_deployment d,
                              restored_operators restored) {
  auto subtask = spawn_subtask(self, job.graph, std::move(d), *self->state.io, std::move(restored),
                               self->state.settings.host);
  self->monitor(subtask);
  job.subtasks.insert(subtask.address());
  return subtask;
}

/// Starts a subtask whose job graph is known: at once, or after the I/O
/// executor read its state and, on the first use of a local state directory,
/// removed what dead processes left there.
void start_subtask(te_actor self, job_entry& job, task_deployment d, deploy_promise promise) {
  auto& s = self->state;
  if (s.leaving) {
    promise.deliver(make_control_error(errc::unavailable, leaving_error));
    return;
  }
  std::string sweep;                          // a localdir to clear of dead processes' state first
  if (d.settings.state.keeps_local_state()) { // in this process's own directory
    auto claimed = s.working_directories->claim(d.settings.state.local_dir);
    if (!claimed) {
      promise.deliver(make_control_error(errc::unspecified, claimed.error()));
      return;
    }
    if (claimed->first)
      sweep = d.settings.state.local_dir;
    d.settings.state.local_dir = claimed->directory;
  }
  if (!d.restore.restoring() && sweep.empty()) {
    promise.deliver(spawn_monitored(self, job, std::move(d), {}));
    return;
  }
  auto request = ++s.next_restore;
  auto restore = d.restore;
  auto restorer = make_state_backend(d.settings.state)->restorer(d.job, d.settings.checkpoints.job);
  s.restores.emplace(request, pending_restore{std::move(d), std::move(promise)});
  auto me = task_executor_impl{self};
  s.io->execute([me, request, restore = std::move(restore), restorer, sweep] {
    if (!sweep.empty())
      working_directories::remove_dead_owners(sweep);
    auto read =
      std::make_shared<result<restored_operators>>(read_subtask_restore(restore, restorer));
    caf::anon_send(me, restore_read{request, std::move(read)});
  });
}

/// Starts the deployments that waited for job `id`'s graph, or fails them
/// with why it could not be built. A job that failed to build is forgotten
/// unless subtasks of it run here, so that its next attempt tries again.
void graph_ready(te_actor self, const job_id& id) {
  auto& jobs = self->state.jobs;
  auto& job = jobs[id];
  job.building = false;
  for (auto& [d, promise] : job.waiting) {
    if (job.graph)
      start_subtask(self, job, std::move(d), std::move(promise));
    else
      promise.deliver(make_control_error(errc::unspecified, job.error));
  }
  job.waiting.clear();
  if (!job.graph && job.subtasks.empty())
    jobs.erase(id);
}

/// Builds job `id`'s graph from `spec` on the I/O executor, which answers
/// with a built_graph.
void build_graph(te_actor self, const job_id& id, job_spec spec) {
  auto me = task_executor_impl{self};
  self->state.io->execute([me, id, spec = std::move(spec)] {
    auto built = build_job_graph(spec);
    built_graph b{id, built ? built.value() : nullptr, built ? std::string{} : built.error()};
    caf::anon_send(me, std::move(b));
  });
}

/// How long a job master may take to answer for a part of a job library.
constexpr std::chrono::seconds library_part_timeout{30};

/// Fetches the library of job `id` (`spec`'s) from its job master `from`, a
/// part at a time after the `fetched` bytes, then builds the graph with it
/// (which keeps the library once its bytes match the digest). A failure
/// fails the deployments waiting.
void fetch_library(te_actor self, const job_id& id, const task_listener_actor& from, job_spec spec,
                   std::shared_ptr<std::string> fetched) {
  auto digest = spec.library.digest;
  auto offset = static_cast<std::uint64_t>(fetched->size());
  auto fail = [=](const std::string& why) {
    auto& job = self->state.jobs[id];
    job.error = "cannot fetch the library " + digest + " of job '" + spec.job +
                "' from its jobmanager: " + why;
    graph_ready(self, id);
  };
  self->request(from, library_part_timeout, library_atom::value, digest, offset)
    .then(
      [=](std::uint64_t size, std::string& part) mutable {
        if (part.empty() != (offset == size) || offset + part.size() > size) {
          fail("it answered " + std::to_string(part.size()) + " bytes from offset " +
               std::to_string(offset) + " of " + std::to_string(size));
          return;
        }
        fetched->append(part);
        if (fetched->size() < size) {
          fetch_library(self, id, from, std::move(spec), std::move(fetched));
          return;
        }
        spec.library.bytes = std::move(fetched);
        build_graph(self, id, std::move(spec));
      },
      [=](caf::error& e) { fail(error_text(self->system(), e)); });
}

task_executor_impl::behavior_type task_executor(te_actor self, task_executor_settings settings,
                                                spi::io_executor* io) {
  self->state.settings = std::move(settings);
  self->state.io = io;
  self->state.registration_began = clock_type::now();
  if (self->state.settings.make_heartbeats)
    self->state.heartbeats = self->state.settings.make_heartbeats();
  else
    self->state.heartbeats = std::make_unique<heartbeat_sender>(
      self->state.settings.id, self->state.settings.heartbeat_interval,
      [] { return metric_registry::instance().collect(metric_registry::now_ns()); });
  // Named uniquely: the embedded mini-clusters of two processes use the same ids.
  self->state.working_directories = std::make_unique<working_directories>(
    self->state.settings.id + "-" + job_id::random().to_string().substr(0, 6));
  self->send(self, register_atom::value);
  self->set_down_handler([=](caf::down_msg& down) {
    auto& s = self->state;
    if (s.resource_manager && down.source == s.resource_manager.address()) {
      s.log->warn("Lost the jobmanager ({}); cancelling tasks and registering again.",
                  self->system().render(down.reason));
      s.registered = false;
      s.resource_manager = resource_manager_actor{};
      s.heartbeats->target(resource_manager_actor{}, caf::actor_addr{});
      cancel_all(self);
      s.registration_began = clock_type::now();
      find_resource_manager(self);
      return;
    }
    for (auto i = s.jobs.begin(); i != s.jobs.end(); ++i) {
      if (i->second.subtasks.erase(down.source) > 0) {
        if (i->second.subtasks.empty() && i->second.waiting.empty() && !i->second.building)
          s.jobs.erase(i); // the job's last subtask here ended: drop its graph
        return;
      }
    }
  });
  return {
    [=](register_atom) { find_resource_manager(self); },
    [=](register_atom, const std::string& unreachable) {
      if (self->state.leaving)
        return;
      if (unreachable.empty())
        connect_to_resource_manager(self);
      else
        retry(self, unreachable);
    },
    [=](heartbeat_atom, bool known) {
      // The resource manager lost us (missed heartbeats) while the
      // connection stayed up: register again.
      auto& s = self->state;
      if (!known && s.registered) {
        s.registered = false;
        s.heartbeats->target(resource_manager_actor{}, caf::actor_addr{});
        send_registration(self);
      }
    },
    [=](deploy_atom, task_deployment& d) -> deploy_promise {
      auto promise = self->make_response_promise<subtask_actor>();
      auto& job = self->state.jobs[d.job];
      if (!job.building && job.config != d.spec.config) {
        // A new graph (a reactive job rescaled): running subtasks keep theirs.
        job.graph = nullptr;
        job.error.clear();
        job.config = d.spec.config;
      }
      if (!job.graph && job.error.empty() && !job.building)
        job.graph = job_graph_cache::instance().get(d.job); // the jobmanager's, in-process
      if (job.graph) {
        start_subtask(self, job, std::move(d), promise);
        return promise;
      }
      if (!job.error.empty()) {
        promise.deliver(make_control_error(errc::unspecified, job.error));
        return promise;
      }
      auto id = d.job;
      auto spec = d.spec;
      auto job_master = d.job_master;
      job.waiting.emplace_back(std::move(d), promise);
      if (!job.building) {
        job.building = true;
        // An uploaded library not held in this process: fetched once (the
        // job's later deployments here find it kept).
        if (lacks_library(spec))
          fetch_library(self, id, job_master, std::move(spec), std::make_shared<std::string>());
        else
          build_graph(self, id, std::move(spec));
      }
      return promise;
    },
    [=](restore_read& read) {
      auto& s = self->state;
      auto i = s.restores.find(read.request);
      if (i == s.restores.end())
        return;
      auto pending = std::move(i->second);
      s.restores.erase(i);
      if (s.leaving) {
        pending.promise.deliver(make_control_error(errc::unavailable, leaving_error));
        return;
      }
      if (!*read.state) {
        pending.promise.deliver(make_control_error(errc::unspecified, read.state->error()));
        return;
      }
      auto& job = s.jobs[pending.deployment.job];
      pending.promise.deliver(
        spawn_monitored(self, job, std::move(pending.deployment), std::move(read.state->value())));
    },
    [=](built_graph& built) {
      auto& job = self->state.jobs[built.id];
      job.graph = std::move(built.graph);
      job.error = std::move(built.error);
      graph_ready(self, built.id);
    },
    [=](peers_atom, const std::vector<peer_address>& peers) -> caf::typed_response_promise<bool> {
      auto promise = self->make_response_promise<bool>();
      auto& s = self->state;
      std::vector<peer_address> missing;
      // Each pair connects once, from the lesser address to the greater: two
      // connections opened at once from both ends make CAF's BASP drop one as
      // redundant, and over TLS (CAF's OpenSSL module) that drop took the
      // process's other connections with it.
      peer_address own{s.settings.host, s.settings.data_port};
      for (const auto& p : peers)
        if (own < p && !s.peers.count(p))
          missing.push_back(p);
      if (missing.empty()) {
        promise.deliver(true);
        return promise;
      }
      auto left = std::make_shared<std::size_t>(missing.size());
      auto mm = rpc_middleman(self->system());
      for (const auto& p : missing) {
        self->request(mm, std::chrono::seconds{10}, caf::connect_atom::value, p.host, p.port)
          .then(
            [=](const caf::node_id&, caf::strong_actor_ptr&, const std::set<std::string>&) mutable {
              self->state.peers.insert(p);
              if (--*left == 0)
                promise.deliver(true);
            },
            [=](caf::error& e) mutable {
              if (*left == 0)
                return;
              *left = 0;
              promise.deliver(make_control_error(
                errc::unavailable, "cannot connect to taskmanager " + p.host + ":" +
                                     std::to_string(p.port) + ": " + connection_error(self, e)));
            });
      }
      return promise;
    },
    [=](logs_atom) { return list_log_files(self->state.settings.log_file); },
    [=](log_atom, const std::string& name) -> caf::typed_response_promise<std::string> {
      auto& s = self->state;
      auto request = s.next_log_read++;
      auto promise = self->make_response_promise<std::string>();
      s.log_reads.emplace(request, promise);
      auto me = task_executor_impl{self};
      s.io->execute([me, request, file = s.settings.log_file, name] {
        auto content = read_log_file(file, name);
        caf::anon_send(me, log_read{request, content ? std::move(*content) : std::string{},
                                    content ? std::string{} : content.error()});
      });
      return promise;
    },
    [=](log_read& read) {
      auto i = self->state.log_reads.find(read.request);
      if (i == self->state.log_reads.end())
        return;
      if (read.error.empty())
        i->second.deliver(std::move(read.content));
      else
        i->second.deliver(make_control_error(errc::not_found, std::move(read.error)));
      self->state.log_reads.erase(i);
    },
    [=](threads_atom) { return read_threads(); },
    [=](unregister_atom) -> caf::typed_response_promise<bool> {
      // Answers once the resource manager took note (or could not be
      // reached), so that the process does not exit with it unsent. Sent
      // also while a registration is in flight: it may already have landed.
      auto& s = self->state;
      auto promise = self->make_response_promise<bool>();
      s.leaving = true;
      cancel_all(self, true);
      s.heartbeats->target(resource_manager_actor{}, caf::actor_addr{});
      if (!s.resource_manager) {
        promise.deliver(true);
        self->quit();
        return promise;
      }
      self
        ->request(s.resource_manager, std::chrono::seconds{5}, unregister_atom::value,
                  s.settings.id)
        .then(
          [=](bool) mutable {
            promise.deliver(true);
            self->quit();
          },
          [=](caf::error&) mutable {
            promise.deliver(false);
            self->quit();
          });
      return promise;
    },
  };
}

} // namespace

task_executor_actor spawn_task_executor(caf::actor_system& system, task_executor_settings settings,
                                        spi::io_executor& io) {
  return system.spawn(task_executor, std::move(settings), &io);
}

} // namespace flinkcpp

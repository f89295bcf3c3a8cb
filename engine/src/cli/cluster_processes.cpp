#include "cli/cluster_processes.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <pthread.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "cluster/actor_gateway.hpp"
#include "cluster/actor_system_setup.hpp"
#include "cluster/dispatcher.hpp"
#include "cluster/jobmanager_metrics.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "cluster/rpc_middleman.hpp"
#include "cluster/task_executor.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"
#include "metrics/metric_registry.hpp"
#include "metrics/prometheus_reporter.hpp"
#include "rest/rest_server.hpp"
#include "runtime/io_thread_pool.hpp"
#include "security/internal_tls.hpp"
#include "util/local_address.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

/// Blocks the shutdown signals in this thread (and the threads it starts
/// later); wait() returns the first one that arrives.
class shutdown_signals {
public:
  shutdown_signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGUSR1); // a fatal error inside the process
    sigaddset(&set_, SIGUSR2); // the application's job ended
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }

  int wait() {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig;
  }

  /// The signal that arrives within `timeout`, else 0.
  int wait_for(std::chrono::milliseconds timeout) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    timespec limit{static_cast<time_t>(seconds.count()),
                   static_cast<long>((timeout - seconds).count() * 1000000)};
    int sig = sigtimedwait(&set_, nullptr, &limit);
    return sig > 0 ? sig : 0;
  }

private:
  sigset_t set_;
};

/// A fatal error inside the process: its message, and a SIGUSR1 that wakes
/// the main thread's shutdown_signals::wait().
class fatal_error {
public:
  void raise(const std::string& message) {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (message_.empty())
        message_ = message;
    }
    ::kill(::getpid(), SIGUSR1);
  }

  std::string message() {
    std::lock_guard<std::mutex> guard{mutex_};
    return message_;
  }

  /// Raises when `actor` (a handle of any type) stops for any reason but an
  /// orderly shutdown.
  template <class Handle>
  void watch(caf::actor_system& system, const Handle& actor, std::string what) {
    auto* raw = caf::actor_cast<caf::abstract_actor*>(actor);
    raw->attach_functor([this, &system, what = std::move(what)](const caf::error& reason) {
      if (reason == caf::exit_reason::user_shutdown || reason == caf::exit_reason::normal ||
          reason == caf::none)
        return;
      raise("the " + what + " stopped: " + system.render(reason));
    });
  }

private:
  std::mutex mutex_;
  std::string message_;
};

/// A taskmanager's scheduler threads: taskmanager.cpu.cores rounded up, or
/// one per slot. (Not one per hardware thread: taskmanagers share machines,
/// and idle threads beyond the work cost context switches.)
std::size_t scheduler_threads(const configuration& config) {
  if (options::taskmanager_cpu_cores.is_set(config))
    return static_cast<std::size_t>(std::ceil(options::taskmanager_cpu_cores.get(config)));
  return static_cast<std::size_t>(options::task_slots.get(config));
}

/// The address a taskmanager announces: taskmanager.host, else (as Flink's)
/// the address of the interface that routes to the jobmanager, so that
/// taskmanagers of a Kubernetes Deployment announce their pod IPs. While the
/// jobmanager's address does not resolve (a Service's DNS name may come
/// after the pod) it is asked again every 500 ms, up to
/// taskmanager.registration.timeout; then the host name, with a warning.
/// Empty when a shutdown signal came first.
std::string announced_host(const configuration& config, spdlog::logger& log,
                           shutdown_signals& signals) {
  auto host = options::taskmanager_host.get(config);
  if (!host.empty())
    return host;
  auto jobmanager = options::jobmanager_rpc_address.get(config);
  auto port = static_cast<std::uint16_t>(options::jobmanager_rpc_port.get(config));
  auto deadline = std::chrono::steady_clock::now() + options::registration_timeout.get(config);
  auto routed = local_address_towards(jobmanager, port);
  if (!routed)
    log.info("Waiting for the jobmanager's address to find this taskmanager's own: {}",
             routed.error());
  while (!routed && std::chrono::steady_clock::now() < deadline) {
    if (signals.wait_for(std::chrono::milliseconds{500}) != 0)
      return {};
    routed = local_address_towards(jobmanager, port);
  }
  if (routed)
    return *routed;
  auto name = local_host_name();
  log.warn("No address found towards the jobmanager ({}); announcing the host name {}: set "
           "taskmanager.host if other taskmanagers cannot resolve it.",
           routed.error(), name);
  return name;
}

/// A process's metrics: rates sampled every second, and the Prometheus
/// reporter on `bind_host` when metrics.reporters names it.
struct process_metrics {
  metric_updater updater;
  std::unique_ptr<prometheus_reporter> reporter;
};

result<std::unique_ptr<process_metrics>>
start_metrics(const configuration& config, process_scope scope, const std::string& bind_host) {
  metric_registry::instance().set_process(std::move(scope));
  auto m = std::make_unique<process_metrics>();
  auto reporters = options::metrics_reporters.get(config);
  auto names = list_items(reporters);
  if (std::find(names.begin(), names.end(), "prom") == names.end())
    return m;
  auto ports = parse_port_range(options::prometheus_port.get(config)); // validated
  auto reporter =
    prometheus_reporter::start(bind_host, *ports, options::prometheus_filter_labels.get(config));
  if (!reporter)
    return failure{reporter.error()};
  logger("metrics")->info("Prometheus reporter listening on {}:{}.", bind_host,
                          reporter.value()->port());
  m->reporter = std::move(reporter.value());
  return m;
}

} // namespace

int run_jobmanager(const configuration& config, std::optional<application_job> application) {
  shutdown_signals signals;
  fatal_error fatal;
  auto log = logger("jobmanager");
  auto tls = security::internal_tls::load(config);
  if (!tls) {
    std::fprintf(stderr, "error: %s\n", tls.error().c_str());
    return 1;
  }
  caf::actor_system_config cfg;
  configure_networked(cfg, 0, tls->get());
  io_thread_pool io{static_cast<std::size_t>(options::io_pool_size.get(config))};
  caf::actor_system system{cfg};
  peer_ports ports{system};

  resource_manager_settings rm_settings;
  rm_settings.heartbeat_interval = options::heartbeat_interval.get(config);
  rm_settings.heartbeat_timeout = options::heartbeat_timeout.get(config);
  rm_settings.slot_request_timeout = options::slot_request_timeout.get(config);
  rm_settings.spread_out = options::load_balance_mode.get(config) == "SLOTS";
  auto resource_manager = spawn_resource_manager(system, rm_settings);
  auto dispatcher = spawn_dispatcher(system, resource_manager, io);
  fatal.watch(system, resource_manager, "resource manager");
  fatal.watch(system, dispatcher, "dispatcher");
  auto stop_actors = [&] {
    caf::anon_send_exit(dispatcher, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(resource_manager, caf::exit_reason::user_shutdown);
  };

  auto bind_host = options::jobmanager_bind_host.get(config);
  auto rpc_port = static_cast<std::uint16_t>(options::jobmanager_rpc_port.get(config));
  auto rpc = ports.publish(caf::actor_cast<caf::strong_actor_ptr>(resource_manager),
                           system.message_types(resource_manager), rpc_port, bind_host);
  if (!rpc) {
    std::fprintf(stderr,
                 "error: cannot listen on %s:%u (jobmanager.bind-host, jobmanager.rpc.port): %s\n",
                 bind_host.c_str(), rpc_port, rpc.error().c_str());
    stop_actors();
    return 1;
  }
  auto gateway = make_cluster_gateway(system, dispatcher, resource_manager);
  auto metrics = start_metrics(config, {false, local_host_name(), {}}, bind_host);
  if (!metrics) {
    std::fprintf(stderr, "error: %s\n", metrics.error().c_str());
    stop_actors();
    return 1;
  }
  auto cluster_metrics =
    metric_registry::instance().add_source(jobmanager_metrics(*gateway, local_host_name()));
  // The application's job is known before the REST API answers. With
  // execution.shutdown-on-application-finish its end ends the process, as
  // Flink's application cluster shuts down (exit code: Flink's
  // ApplicationStatus, 1443 for a failed job).
  std::atomic<int> application_exit{0};
  application_runner::end_handler on_end;
  if (application && options::shutdown_on_application_finish.get(config))
    on_end = [&application_exit, log](const std::string& status) {
      application_exit = status == "FAILED" ? 1443 : 0;
      log->info("The application's job ended ({}): shutting down "
                "(execution.shutdown-on-application-finish).",
                status);
      ::kill(::getpid(), SIGUSR2);
    };
  std::unique_ptr<application_runner> runner;
  if (application) {
    runner = std::make_unique<application_runner>(*gateway, config, std::move(*application),
                                                  std::move(on_end));
    if (auto started = runner->start(); !started) {
      std::fprintf(stderr, "error: %s\n", started.error().c_str());
      runner.reset();
      stop_actors();
      return 1;
    }
  }
  // DELETE /cluster shuts down as SIGTERM does.
  rest_server rest{*gateway, config, [] { ::kill(::getpid(), SIGTERM); }};
  auto rest_address = options::rest_bind_address.get(config);
  auto rest_port =
    rest.start(rest_address, static_cast<std::uint16_t>(options::rest_port.get(config)));
  if (!rest_port) {
    std::fprintf(stderr, "error: %s\n", rest_port.error().c_str());
    stop_actors();
    return 1;
  }
  log->info("JobManager started: RPC on {}:{}, REST on {}:{}.", bind_host, *rpc, rest_address,
            *rest_port);
  int sig = signals.wait();
  if (runner)
    runner->shutting_down();
  if (sig == SIGUSR1) {
    std::fprintf(stderr, "error: %s\n", fatal.message().c_str());
    rest.stop();
    stop_actors();
    return 1;
  }
  if (sig == SIGUSR2) {
    rest.stop();
    stop_actors();
    return application_exit;
  }
  log->info("Received signal {}: shutting down.", sig);
  rest.stop();
  if (high_availability_enabled(config))
    log->info("High availability: running jobs are left to the next jobmanager.");
  else
    for (const auto& job : gateway->jobs())
      if (!is_globally_terminal(job.status))
        (void)gateway->cancel(job.id); // one that ended meanwhile needs nothing
  stop_actors();
  return 0;
}

int run_taskmanager(const configuration& config) {
  shutdown_signals signals;
  fatal_error fatal;
  auto log = logger("taskmanager");
  auto tls = security::internal_tls::load(config);
  if (!tls) {
    std::fprintf(stderr, "error: %s\n", tls.error().c_str());
    return 1;
  }
  caf::actor_system_config cfg;
  configure_networked(cfg, scheduler_threads(config), tls->get());
  io_thread_pool io{static_cast<std::size_t>(options::io_pool_size.get(config))};
  caf::actor_system system{cfg};
  peer_ports ports{system};

  auto bind_host = options::taskmanager_bind_host.get(config);
  auto wanted = static_cast<std::uint16_t>(options::taskmanager_data_port.get(config));
  auto data_port = ports.open(wanted, bind_host);
  if (!data_port) {
    std::fprintf(
      stderr, "error: cannot listen on %s:%u (taskmanager.bind-host, taskmanager.data.port): %s\n",
      bind_host.c_str(), wanted, data_port.error().c_str());
    return 1;
  }
  // Flink's taskmanager has an RPC port besides its data port (its
  // manifests probe it); flink-cpp serves both on one endpoint, so that port
  // is opened as well when it is set.
  auto rpc_port = static_cast<std::uint16_t>(options::taskmanager_rpc_port.get(config));
  if (rpc_port != 0 && rpc_port != *data_port) {
    if (auto opened = ports.open(rpc_port, bind_host); !opened) {
      std::fprintf(
        stderr, "error: cannot listen on %s:%u (taskmanager.bind-host, taskmanager.rpc.port): %s\n",
        bind_host.c_str(), rpc_port, opened.error().c_str());
      return 1;
    }
  }
  task_executor_settings settings;
  settings.host = announced_host(config, *log, signals);
  if (settings.host.empty())
    return 0; // stopped while waiting for the jobmanager's address
  settings.data_port = *data_port;
  settings.id = settings.host + ":" + std::to_string(*data_port) + "-" +
                job_id::random().to_string().substr(0, 6);
  settings.slots = static_cast<int>(options::task_slots.get(config));
  settings.heartbeat_interval = options::heartbeat_interval.get(config);
  settings.registration_timeout = options::registration_timeout.get(config);
  settings.log_file = options::log_file.get(config);
  settings.tls = tls->get();
  settings.resource_manager_host = options::jobmanager_rpc_address.get(config);
  settings.resource_manager_port =
    static_cast<std::uint16_t>(options::jobmanager_rpc_port.get(config));
  settings.on_fatal = [&fatal](const std::string& message) { fatal.raise(message); };
  auto metrics = start_metrics(config, {true, settings.host, settings.id}, bind_host);
  if (!metrics) {
    std::fprintf(stderr, "error: %s\n", metrics.error().c_str());
    return 1;
  }
  log->info("TaskManager {} starting: {} slots, data port {}, jobmanager at {}:{}.", settings.id,
            settings.slots, *data_port, settings.resource_manager_host,
            settings.resource_manager_port);
  auto executor = spawn_task_executor(system, std::move(settings), io);
  fatal.watch(system, executor, "task executor");
  int sig = signals.wait();
  if (sig == SIGUSR1) {
    std::fprintf(stderr, "error: %s\n", fatal.message().c_str());
    return 1;
  }
  log->info("Received signal {}: leaving the cluster.", sig);
  caf::scoped_actor leaving{system};
  leaving->request(executor, std::chrono::seconds{10}, unregister_atom::value)
    .receive([](bool) {}, [](caf::error&) {});
  return 0;
}

} // namespace flinkcpp

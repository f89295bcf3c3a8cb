#include "cli/local_runner.hpp"

#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include <pthread.h>

#include "checkpoint/restore_assignment.hpp"
#include "cluster/mini_cluster.hpp"
#include "config/core_options.hpp"
#include "runtime/task_settings.hpp"

namespace flinkcpp {

namespace {

/// Blocks SIGINT and SIGTERM (before the cluster starts its threads, which
/// inherit the mask) and waits for them on a thread of its own; a signal
/// cancels the job of the watched cluster.
class signal_canceller {
public:
  signal_canceller() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR2); // our own "stop waiting"
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this] {
      int sig = 0;
      sigwait(&signals_, &sig);
      if (sig == SIGUSR2)
        return;
      std::lock_guard<std::mutex> guard{mutex_};
      received_ = sig;
      if (cluster_ != nullptr)
        cluster_->cancel();
    });
  }

  ~signal_canceller() {
    if (received() == 0)
      pthread_kill(waiter_.native_handle(), SIGUSR2);
    waiter_.join();
  }

  /// The cluster whose job a signal cancels (nullptr: none).
  void watch(mini_cluster* cluster) {
    std::lock_guard<std::mutex> guard{mutex_};
    cluster_ = cluster;
  }

  int received() {
    std::lock_guard<std::mutex> guard{mutex_};
    return received_;
  }

private:
  sigset_t signals_;
  std::thread waiter_;
  std::mutex mutex_;
  mini_cluster* cluster_ = nullptr;
  int received_ = 0;
};

} // namespace

int run_local(const prepared_job& job) {
  const auto& config = job.config;
  auto savepoint = load_savepoint(config, *job.graph);
  if (!savepoint) {
    std::fprintf(stderr, "error: %s\n", savepoint.error().c_str());
    return 1;
  }
  if (auto checked = job.graph->validate_resources(*savepoint != nullptr); !checked) {
    std::fprintf(stderr, "error: %s\n", checked.error().c_str());
    return 1;
  }
  int needed = job.graph->slots_needed();
  mini_cluster::options opts;
  opts.task_managers = static_cast<int>(options::local_task_managers.get(config));
  if (options::task_slots.is_set(config)) {
    opts.slots_per_task_manager = static_cast<int>(options::task_slots.get(config));
  } else {
    // As Flink's local executor: size the cluster to the job.
    opts.slots_per_task_manager = (needed + opts.task_managers - 1) / opts.task_managers;
  }
  int available = opts.task_managers * opts.slots_per_task_manager;
  if (needed > available) {
    std::fprintf(
      stderr,
      "error: the job needs %d slots (its highest parallelism) but the local cluster "
      "has %d (minicluster.number-of-taskmanagers=%d x taskmanager.numberOfTaskSlots=%d): "
      "lower -p or add slots\n",
      needed, available, opts.task_managers, opts.slots_per_task_manager);
    return 1;
  }
  opts.io_threads = static_cast<std::size_t>(options::io_pool_size.get(config));
  opts.slot_request_timeout = options::slot_request_timeout.get(config);

  auto id = job_id::random();
  signal_canceller canceller;
  job_result result;
  {
    mini_cluster cluster{opts};
    canceller.watch(&cluster);
    std::fprintf(stderr, "Job has been submitted with JobID %s\n", id.to_string().c_str());
    result = cluster.execute(job.graph, task_settings_from(config, job.graph->mode()), id, job.spec,
                             *savepoint);
    canceller.watch(nullptr);
  }
  int signal = canceller.received();
  switch (result.status) {
    case job_status::finished:
      std::fprintf(stderr, "Job with JobID %s has finished.\nJob Runtime: %lld ms\n",
                   id.to_string().c_str(), static_cast<long long>(result.duration.count()));
      return 0;
    case job_status::canceled:
      std::fprintf(stderr, "error: job %s was cancelled%s\n", id.to_string().c_str(),
                   signal != 0 ? " by a signal" : "");
      return signal != 0 ? 128 + signal : 1;
    default:
      std::fprintf(stderr, "error: job '%s' failed: %s\n", job.graph->name().c_str(),
                   result.failure.c_str());
      return 1;
  }
}

} // namespace flinkcpp

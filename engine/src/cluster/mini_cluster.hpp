#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "cluster/job_status.hpp"
#include "config/core_options.hpp"
#include "graph/job_builder.hpp"
#include "graph/job_graph.hpp"
#include "runtime/task_settings.hpp"

namespace flinkcpp {

/// The embedded mini-cluster of `flink-cpp run -t local` (Flink's
/// MiniCluster): a resource manager, a dispatcher and task executors as actors
/// in this process, the same code paths as a real cluster without the network.
class mini_cluster {
public:
  struct options {
    int task_managers = 1;
    int slots_per_task_manager = 1;
    std::size_t io_threads = 4;
    std::chrono::milliseconds slot_request_timeout =
      flinkcpp::options::slot_request_timeout.default_value();
  };

  explicit mini_cluster(const options& opts);
  ~mini_cluster();

  mini_cluster(const mini_cluster&) = delete;
  mini_cluster& operator=(const mini_cluster&) = delete;

  /// Runs a job to its end and returns how it ended. Blocks the calling
  /// thread (not an actor thread). `spec` is what the job's restart strategy
  /// and configuration come from (empty for graphs built in code).
  /// `savepoint`: the snapshot the job starts from (null: a fresh start).
  job_result execute(std::shared_ptr<const job_graph> graph, const task_settings& settings,
                     job_id id, const job_spec& spec = {},
                     std::shared_ptr<const restore_point> savepoint = nullptr);

  /// Cancels the jobs execute() is running. Thread-safe; callable from a
  /// signal-handling thread.
  void cancel();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace flinkcpp

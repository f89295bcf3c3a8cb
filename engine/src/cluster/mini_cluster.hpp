#pragma once

#include <cstddef>
#include <memory>

#include "cluster/job_status.hpp"
#include "graph/job_graph.hpp"
#include "runtime/task.hpp"

namespace flinkcpp {

/// The embedded mini-cluster of `flink-cpp run -t local` (Flink's
/// MiniCluster): task executors and job masters as actors in this process,
/// the same code paths as a real cluster without the network.
class mini_cluster {
public:
  struct options {
    int task_managers = 1;
    int slots_per_task_manager = 1;
    std::size_t io_threads = 4;
  };

  explicit mini_cluster(const options& opts);
  ~mini_cluster();

  mini_cluster(const mini_cluster&) = delete;
  mini_cluster& operator=(const mini_cluster&) = delete;

  /// Runs a job to its end and returns how it ended. Blocks the calling
  /// thread (not an actor thread). One job at a time. Requires
  /// graph->slots_needed() <= total_slots().
  job_result execute(std::shared_ptr<const job_graph> graph, const task_settings& settings,
                     job_id id);

  /// Cancels the job execute() is running, if any. Thread-safe; callable from
  /// a signal-handling thread.
  void cancel();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace flinkcpp

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cluster/job_status.hpp"
#include "flinkcpp/configuration.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "graph/job_graph.hpp"
#include "runtime/task.hpp"
#include "util/result.hpp"

namespace flinkcpp {
class mini_cluster;
}

namespace flinkcpp::testing {

using job_builder = std::function<void(stream_environment&)>;

/// Settings of a job called `name` running with `parallelism` in `mode`.
job_settings job_settings_of(std::string name, int parallelism,
                             runtime_mode mode = runtime_mode::streaming);

/// Builds the job graph of `build` with `settings` (throws on failure).
std::shared_ptr<const job_graph> build_graph(const job_builder& build,
                                             const job_settings& settings = {});

/// Builds the job graph of `build`, or returns why it cannot be built.
result<job_graph> try_build_graph(const job_builder& build, const job_settings& settings = {});

/// Runs `build` in an embedded mini-cluster sized to the job and waits for
/// its end.
job_result run_job(const job_builder& build, const job_settings& settings = {},
                   const task_settings& tasks = {});

/// A job of a graph running in an embedded mini-cluster, on a thread of its
/// own, until cancel() (for unbounded jobs; the destructor cancels too).
class background_job {
public:
  explicit background_job(std::shared_ptr<const job_graph> graph);
  ~background_job();
  background_job(const background_job&) = delete;
  background_job& operator=(const background_job&) = delete;

  /// Cancels the job, waits for its end and returns how it ended.
  job_result cancel();

private:
  std::unique_ptr<mini_cluster> cluster_;
  job_result result_;
  std::thread runner_;
};

} // namespace flinkcpp::testing

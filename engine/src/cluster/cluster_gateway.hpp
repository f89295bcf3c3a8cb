#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <caf/fwd.hpp>

#include "cluster/job_info.hpp"
#include "metrics/metric_sample.hpp"
#include "metrics/process_usage.hpp"
#include "util/log_files.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Where a savepoint (or checkpoint) that was asked for stands.
struct savepoint_status {
  bool done = false;
  checkpoint_id checkpoint; ///< its id, when done without failure
  std::string location;     ///< its directory, when done without failure
  std::string failure;      ///< when done and failed
};

/// The jobmanager's actors as the REST API and the local client need them,
/// behind blocking calls: each waits for the actor's answer (bounded by a
/// timeout), so call them from threads that may block, never from actors.
/// Thread-safe.
class cluster_gateway {
public:
  virtual ~cluster_gateway() = default;

  /// Every job the dispatcher knows, in submission order.
  virtual std::vector<job_info> jobs() = 0;

  /// One job, if known.
  virtual std::optional<job_info> job(const job_id& id) = 0;

  /// The registered taskmanagers.
  virtual std::vector<task_manager_status> task_managers() = 0;

  /// Starts a job whose graph is built and checked.
  virtual result<void> submit(job_submission submission) = 0;

  /// Waits for a job's end.
  virtual job_result await(const job_id& id) = 0;

  /// Cancels a running job; fails with errc::not_found when there is no job
  /// of that id, errc::conflict when it is not running.
  virtual result<void> cancel(const job_id& id) = 0;

  /// Starts a savepoint of job `id` into `target` (empty: execution.checkpointing.savepoint-dir)
  /// and returns at once with a trigger id for savepoint(). `then`: what
  /// follows a successful savepoint: nothing, the sources end (stop; with
  /// drain, the final watermark goes out before the savepoint), or the job is
  /// cancelled (cancel-job).
  enum class after_savepoint { keep_running, stop, stop_and_drain, cancel };
  virtual std::string trigger_savepoint(const job_id& id, const std::string& target,
                                        after_savepoint then) = 0;

  /// Takes a checkpoint of job `id` now (`full`: complete, also when
  /// checkpoints are incremental); returns a trigger id for savepoint().
  virtual std::string trigger_checkpoint(const job_id& id, bool full) = 0;

  /// Lets an adaptive or reactive job use up to `upper` slots, rescaling it
  /// from its latest checkpoint when that changes its parallelism; fails for
  /// other jobs, saying why.
  virtual result<void> set_parallelism_bound(const job_id& id, std::int32_t upper) = 0;

  /// The log files of taskmanager `task_manager`, one's content, its
  /// threads; fail when it is not registered or cannot answer.
  virtual result<std::vector<log_file_info>> task_manager_logs(const std::string& task_manager) = 0;
  virtual result<std::string> task_manager_log(const std::string& task_manager,
                                               const std::string& name) = 0;
  virtual result<std::vector<thread_snapshot>>
  task_manager_threads(const std::string& task_manager) = 0;

  /// The jobmanager process's own metrics (jobmanager and job scopes), now.
  virtual std::vector<metric_sample> jobmanager_metrics() = 0;

  /// What the taskmanagers reported last with their heartbeats (their own
  /// and their subtasks' metrics): all of them, or one taskmanager's.
  virtual std::vector<metric_sample> reported_metrics() = 0;
  virtual std::vector<metric_sample> reported_metrics(const std::string& task_manager) = 0;

  /// The status of a savepoint or checkpoint trigger; nullopt for an unknown trigger.
  virtual std::optional<savepoint_status> savepoint(const std::string& trigger) = 0;
};

} // namespace flinkcpp

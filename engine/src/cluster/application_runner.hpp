#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/cluster_gateway.hpp"
#include "cluster/job_result_store.hpp"
#include "flinkcpp/configuration.hpp"
#include "graph/job_builder.hpp"

namespace flinkcpp {

/// Whether high-availability.type is filesystem: jobs outlive their
/// jobmanager (a jobmanager shutting down leaves them to the next one).
bool high_availability_enabled(const configuration& config);

/// The job a jobmanager in application mode runs (flink-cpp standalone-job).
struct application_job {
  job_spec spec;
  job_id id;
};

/// Runs an application's job in a jobmanager (Flink's
/// ApplicationDispatcherBootstrap). With high-availability.type filesystem
/// the job's id is what ties jobmanagers together: a job whose result is
/// recorded (job_result_store in high-availability.storageDir) is not run
/// again, else it resumes from its newest checkpoint or savepoint
/// (find_latest_snapshot), else it starts as configured
/// (execution.state-recovery.path or fresh); when it ends for good a thread of the
/// runner records its result, but not when it was stopped with a savepoint
/// (a suspended application resumes from that savepoint). The thread watches
/// the job's status once a second (nothing waits on the dispatcher, which
/// may go first), and shutting down looks once more. A job still running at
/// shutdown gets no result. `on_end`, if given, is called once with the
/// job's final status ("FINISHED", "CANCELED", "FAILED") when the job ended
/// for good, or was found ended by start(), from the runner's thread or from
/// start() (execution.shutdown-on-application-finish). `cluster` must outlive
/// the runner.
class application_runner {
public:
  using end_handler = std::function<void(const std::string& status)>;

  application_runner(cluster_gateway& cluster, const configuration& config, application_job job,
                     end_handler on_end = {});
  ~application_runner();

  application_runner(const application_runner&) = delete;
  application_runner& operator=(const application_runner&) = delete;

  /// Decides and submits, blocking: when it returns, the job is known to
  /// the dispatcher (or was found ended). Fails with one line when the job
  /// cannot run (the jobmanager should then exit).
  result<void> start();

  /// Stops watching and records the job's result if it ended meanwhile.
  /// Call before stopping the dispatcher: a job's end after that is the
  /// jobmanager's, not the job's. Blocking; called again, does nothing.
  void shutting_down();

private:
  void watch();
  /// Records the job's result (high availability) and tells on_end if it
  /// ended; whether it did.
  bool handle_if_ended();

  cluster_gateway& cluster_;
  configuration config_;
  application_job job_;
  job_result_store results_;
  bool available_;
  end_handler on_end_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false; ///< guarded by mutex_
  bool recorded_ = false; ///< by the watcher; read after joining it
  std::thread watcher_;
};

} // namespace flinkcpp

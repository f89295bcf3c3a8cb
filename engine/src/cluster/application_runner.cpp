#include "cluster/application_runner.hpp"

#include <algorithm>
#include <filesystem>

#include "checkpoint/latest_snapshot.hpp"
#include "cluster/job_result_store.hpp"
#include "cluster/job_submitter.hpp"
#include "config/core_options.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

/// Whether the job's newest completed snapshot is a stop-with-savepoint
/// (a checkpoint begun meanwhile may have been aborted after it).
bool stopped_with_savepoint(const job_info& info) {
  const auto& records = info.checkpoints.records; // newest first
  auto completed = std::find_if(records.begin(), records.end(),
                                [](const checkpoint_record& r) { return r.status == "COMPLETED"; });
  return completed != records.end() && completed->kind == snapshot_kind::stop_savepoint;
}

} // namespace

bool high_availability_enabled(const configuration& config) {
  return options::high_availability_type.get(config) == "filesystem";
}

application_runner::application_runner(cluster_gateway& cluster, const configuration& config,
                                       application_job job, end_handler on_end)
  : cluster_(cluster),
    config_(config),
    job_(std::move(job)),
    results_((std::filesystem::path{options::high_availability_storage_dir.is_set(config)
                                      ? options::high_availability_storage_dir.get(config)
                                      : checkpoint_storage::from(config).checkpoints_dir()} /
              "job-result-store")
               .string()),
    available_(high_availability_enabled(config)),
    on_end_(std::move(on_end)) {}

void application_runner::shutting_down() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopping_)
      return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (!watcher_.joinable())
    return;
  watcher_.join();
  // The job may have ended since the watcher last looked.
  if (!recorded_)
    handle_if_ended();
}

application_runner::~application_runner() {
  shutting_down();
}

result<void> application_runner::start() {
  auto log = logger("application");
  auto id = job_.id.to_string();
  std::shared_ptr<const restore_point> resume;
  if (available_) {
    auto ended = results_.find(job_.id);
    if (!ended)
      return failure{ended.error()};
    if (ended.value()) {
      log->info("Job {} already ended ({}); it is not run again.", id, **ended);
      recorded_ = true;
      if (on_end_)
        on_end_(**ended);
      return {};
    }
    std::vector<std::string> skipped;
    auto latest = find_latest_snapshot(checkpoint_storage::from(config_), job_.id, skipped);
    for (const auto& why : skipped)
      log->warn("Passing over a snapshot that cannot be restored: {}", why);
    if (latest) {
      log->info("Job {} resumes from {} {} ({}).", id,
                latest->metadata.savepoint ? "savepoint" : "checkpoint",
                latest->metadata.id.to_string(), latest->directory);
      resume = std::make_shared<const restore_point>(std::move(*latest));
    }
  }
  auto submission = prepare_submission(job_.spec, job_.id, std::move(resume));
  if (!submission)
    return failure{"the application's job cannot run: " + submission.error()};
  auto name = submission->graph->name();
  if (auto submitted = cluster_.submit(std::move(submission.value())); !submitted)
    return failure{"the application's job cannot run: " + submitted.error()};
  log->info("Application job {} ({}) submitted.", name, id);
  if (available_ || on_end_)
    watcher_ = std::thread([this] { watch(); });
  return {};
}

void application_runner::watch() {
  // Watched, not awaited: a jobmanager shutting down must not wait for the job.
  std::unique_lock<std::mutex> lock{mutex_};
  while (!stopping_) {
    lock.unlock();
    if (handle_if_ended()) {
      recorded_ = true;
      return;
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::seconds{1}, [this] { return stopping_; });
  }
}

bool application_runner::handle_if_ended() {
  auto info = cluster_.job(job_.id);
  if (!info || !is_globally_terminal(info->status))
    return false;
  auto log = logger("application");
  auto id = job_.id.to_string();
  std::string status{to_string(info->status)};
  if (available_ && stopped_with_savepoint(*info)) {
    log->info("Job {} was stopped with a savepoint; a jobmanager started again resumes from it.",
              id);
  } else if (available_) {
    if (auto recorded = results_.record(job_.id, status); !recorded)
      log->error("Cannot record the end of job {}: {}", id, recorded.error());
  }
  if (on_end_)
    on_end_(status);
  return true;
}

} // namespace flinkcpp

#include "cluster/jobmanager_metrics.hpp"

#include "cluster/job_info.hpp"

namespace flinkcpp {

namespace {

/// When the job last entered `status`; -1 if it never did.
std::int64_t entered(const job_info& job, std::string_view status) {
  std::int64_t last = -1;
  for (const auto& [name, at] : job.timestamps)
    if (name == status)
      last = std::max(last, at);
  return last;
}

void add_job(const job_info& job, const std::string& host, std::int64_t now,
             std::vector<metric_sample>& out) {
  std::vector<std::pair<std::string, std::string>> labels{
    {"host", host}, {"job_id", job.id.to_string()}, {"job_name", job.name}};
  auto add = [&](const char* name, double value) {
    out.push_back({static_cast<std::uint8_t>(metric_scope::jobmanager_job), name, labels, value});
  };
  // Flink: uptime while running, downtime while failing or restarting.
  auto since = [&](std::string_view status) {
    auto at = entered(job, status);
    return at >= 0 ? static_cast<double>(now - at) : 0.0;
  };
  add("uptime", job.status == job_status::running ? since("RUNNING") : 0.0);
  double down = 0;
  if (job.status == job_status::failing)
    down = since("FAILING");
  else if (job.status == job_status::restarting)
    down = std::max(since("FAILING"), since("RESTARTING"));
  add("downtime", down);
  add("numRestarts", job.restarts);
  add("fullRestarts", job.restarts); // Flink's older name of numRestarts
  // Flink's job status metrics: the time in the current state, 0 in the others.
  constexpr std::pair<const char*, std::string_view> states[] = {
    {"createdTime", "CREATED"}, {"initializingTime", "INITIALIZING"},
    {"runningTime", "RUNNING"}, {"restartingTime", "RESTARTING"},
    {"failingTime", "FAILING"}, {"cancellingTime", "CANCELLING"}};
  for (const auto& [metric, state] : states)
    add(metric, to_string(job.status) == state ? since(state) : 0.0);
  const auto& c = job.checkpoints;
  add("numberOfCompletedCheckpoints", c.completed);
  add("numberOfFailedCheckpoints", c.failed);
  add("numberOfInProgressCheckpoints", c.in_progress);
  add("totalNumberOfCheckpoints", c.completed + c.failed + c.in_progress);
  double duration = -1;
  double size = -1;
  double full = -1;
  for (const auto& r : c.records) { // newest first
    if (r.status != "COMPLETED")
      continue;
    duration = static_cast<double>(r.end_timestamp - r.trigger_timestamp);
    size = static_cast<double>(r.checkpointed_size);
    full = static_cast<double>(r.state_size);
    break;
  }
  add("lastCheckpointDuration", duration);
  add("lastCheckpointSize", size);
  add("lastCheckpointFullSize", full);
}

} // namespace

metric_registry::source jobmanager_metrics(cluster_gateway& gateway, std::string host) {
  return [&gateway, host = std::move(host)](std::vector<metric_sample>& out) {
    std::vector<std::pair<std::string, std::string>> labels{{"host", host}};
    auto add = [&](const char* name, double value) {
      out.push_back({static_cast<std::uint8_t>(metric_scope::jobmanager), name, labels, value});
    };
    auto tms = gateway.task_managers();
    double slots = 0;
    double free = 0;
    for (const auto& tm : tms) {
      slots += tm.slots;
      free += tm.free_slots;
    }
    add("numRegisteredTaskManagers", static_cast<double>(tms.size()));
    add("taskSlotsTotal", slots);
    add("taskSlotsAvailable", free);
    auto now = epoch_millis();
    int running = 0;
    for (const auto& job : gateway.jobs()) {
      if (is_globally_terminal(job.status))
        continue;
      ++running;
      add_job(job, host, now, out);
    }
    add("numRunningJobs", running);
  };
}

} // namespace flinkcpp

#include "rest/rest_views.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "graph/plan_json.hpp"

namespace flinkcpp::rest {

namespace {

constexpr const char* execution_states[] = {"CREATED",  "SCHEDULED", "DEPLOYING",
                                            "INITIALIZING", "RUNNING", "FINISHED",
                                            "CANCELING", "CANCELED", "FAILED",
                                            "RECONCILING"};

/// {"CREATED": n, ..., "RUNNING": n, ...} over every execution state.
json status_counts(const std::vector<subtask_info>& subtasks) {
  json counts = json::object();
  for (const char* name : execution_states)
    counts[name] = 0;
  for (const auto& s : subtasks)
    counts[std::string{to_string(s.state)}] = counts[std::string{to_string(s.state)}].get<int>() + 1;
  return counts;
}

std::vector<subtask_info> all_subtasks(const job_info& job) {
  std::vector<subtask_info> out;
  for (const auto& v : job.subtasks)
    out.insert(out.end(), v.begin(), v.end());
  return out;
}

/// The state a vertex shows: the "furthest behind" state of its subtasks, as
/// Flink aggregates them.
execution_state vertex_state(const std::vector<subtask_info>& subtasks) {
  if (subtasks.empty())
    return execution_state::created;
  static constexpr execution_state order[] = {
    execution_state::failed,   execution_state::canceling,    execution_state::canceled,
    execution_state::created,  execution_state::deploying,    execution_state::initializing,
    execution_state::running,  execution_state::finished};
  for (auto s : order)
    for (const auto& t : subtasks)
      if (t.state == s)
        return s;
  return subtasks.front().state;
}

json io_metrics() {
  // Per-task I/O counters reach the REST API with the metrics system; until
  // then they are reported as incomplete, as Flink does while collecting them.
  return {{"read-bytes", 0},       {"read-bytes-complete", false},
          {"write-bytes", 0},      {"write-bytes-complete", false},
          {"read-records", 0},     {"read-records-complete", false},
          {"write-records", 0},    {"write-records-complete", false},
          {"accumulated-backpressured-time", 0},
          {"accumulated-idle-time", 0},
          {"accumulated-busy-time", 0.0}};
}

std::int64_t duration_of(std::int64_t start, std::int64_t end, std::int64_t now) {
  if (start < 0)
    return -1;
  return (end >= 0 ? end : now) - start;
}

json job_summary(const job_info& job, std::int64_t now) {
  auto subtasks = all_subtasks(job);
  json tasks = {{"total", static_cast<int>(subtasks.size())}};
  for (const char* name : execution_states) {
    std::string key = name;
    for (auto& c : key)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int n = 0;
    for (const auto& s : subtasks)
      n += to_string(s.state) == name;
    tasks[key] = n;
  }
  std::int64_t last = job.start_time;
  for (const auto& [status, ts] : job.timestamps)
    last = std::max(last, ts);
  return {{"jid", job.id.to_string()},
          {"name", job.name},
          {"state", std::string{to_string(job.status)}},
          {"start-time", job.start_time},
          {"end-time", job.end_time},
          {"duration", duration_of(job.start_time, job.end_time, now)},
          {"last-modification", last},
          {"tasks", tasks}};
}

json vertex_identity(const job_vertex& v) {
  return {{"id", v.id.to_string()},
          {"name", v.name},
          {"parallelism", v.parallelism},
          {"maxParallelism", v.max_parallelism}};
}

json exception_entry(const exception_info& e) {
  json concurrent = json::array();
  for (const auto& c : e.concurrent)
    concurrent.push_back(exception_entry(c));
  return {{"exceptionName", "flinkcpp::task_failure"},
          {"stacktrace", e.exception},
          {"timestamp", e.timestamp},
          {"taskName", e.task_name.empty() ? json(nullptr) : json(e.task_name)},
          {"endpoint", e.location.empty() ? json(nullptr) : json(e.location)},
          {"taskManagerId", e.location.empty() ? json(nullptr) : json(e.location)},
          {"failureLabels", json::object()},
          {"concurrentExceptions", concurrent}};
}

} // namespace

json config_view(bool web_submit, bool web_cancel) {
  return {{"refresh-interval", 3000},
          {"timezone-name", "Coordinated Universal Time"},
          {"timezone-offset", 0},
          {"flink-version", FLINKCPP_VERSION},
          {"flink-revision", "flink-cpp"},
          {"features",
           {{"web-submit", web_submit}, {"web-cancel", web_cancel}, {"web-rescale", false},
            {"web-history", false}}}};
}

json overview_view(const std::vector<task_manager_status>& task_managers,
                   const std::vector<job_info>& jobs) {
  int slots = 0;
  int free = 0;
  for (const auto& tm : task_managers) {
    slots += tm.slots;
    free += tm.free_slots;
  }
  int running = 0, finished = 0, cancelled = 0, failed = 0;
  for (const auto& j : jobs) {
    switch (j.status) {
      case job_status::finished:
        ++finished;
        break;
      case job_status::canceled:
        ++cancelled;
        break;
      case job_status::failed:
        ++failed;
        break;
      default:
        ++running;
    }
  }
  return {{"taskmanagers", static_cast<int>(task_managers.size())},
          {"slots-total", slots},
          {"slots-available", free},
          {"jobs-running", running},
          {"jobs-finished", finished},
          {"jobs-cancelled", cancelled},
          {"jobs-failed", failed},
          {"flink-version", FLINKCPP_VERSION},
          {"flink-commit", "flink-cpp"}};
}

json jobs_view(const std::vector<job_info>& jobs) {
  json list = json::array();
  for (const auto& j : jobs)
    list.push_back({{"id", j.id.to_string()}, {"status", std::string{to_string(j.status)}}});
  return {{"jobs", list}};
}

json jobs_overview_view(const std::vector<job_info>& jobs, std::int64_t now) {
  json list = json::array();
  for (const auto& j : jobs)
    list.push_back(job_summary(j, now));
  return {{"jobs", list}};
}

json job_details_view(const job_info& job, std::int64_t now) {
  auto details = job_summary(job, now);
  details.erase("tasks");
  details.erase("last-modification");
  details["isStoppable"] = false;
  details["job-type"] = job.graph && job.graph->mode() == runtime_mode::batch ? "BATCH"
                                                                               : "STREAMING";
  details["now"] = now;
  int max_parallelism = 0;
  json vertices = json::array();
  for (std::size_t v = 0; v < job.subtasks.size() && job.graph; ++v) {
    const auto& jv = job.graph->vertices()[v];
    max_parallelism = std::max(max_parallelism, jv.max_parallelism);
    auto& entry = vertices.emplace_back(vertex_identity(jv));
    entry["status"] = std::string{to_string(vertex_state(job.subtasks[v]))};
    entry["tasks"] = status_counts(job.subtasks[v]);
    entry["metrics"] = io_metrics();
    std::int64_t start = -1, end = -1;
    for (const auto& s : job.subtasks[v]) {
      if (s.start_time >= 0 && (start < 0 || s.start_time < start))
        start = s.start_time;
      end = std::max(end, s.end_time);
    }
    entry["start-time"] = start;
    entry["end-time"] = end;
    entry["duration"] = duration_of(start, end, now);
  }
  details["maxParallelism"] = max_parallelism;
  json timestamps = json::object();
  for (const char* name : {"INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED",
                           "CANCELLING", "CANCELED", "FINISHED", "RESTARTING", "SUSPENDED",
                           "RECONCILING"})
    timestamps[name] = 0;
  for (const auto& [status, ts] : job.timestamps)
    timestamps[status] = ts;
  details["timestamps"] = timestamps;
  details["vertices"] = vertices;
  details["status-counts"] = status_counts(all_subtasks(job));
  details["plan"] = job.graph ? plan_json(*job.graph, job.id).at("plan") : json::object();
  return details;
}

json job_exceptions_view(const job_info& job) {
  json entries = json::array();
  for (auto i = job.exceptions.rbegin(); i != job.exceptions.rend(); ++i)
    entries.push_back(exception_entry(*i));
  json view = {{"exceptionHistory", {{"entries", entries}, {"truncated", false}}},
               {"truncated", false}};
  if (!job.exceptions.empty()) {
    const auto& root = job.exceptions.back();
    view["root-exception"] = root.exception;
    view["timestamp"] = root.timestamp;
    json all = json::array();
    for (auto i = job.exceptions.rbegin(); i != job.exceptions.rend(); ++i)
      all.push_back({{"exception", i->exception},
                     {"task", i->task_name},
                     {"location", i->location},
                     {"timestamp", i->timestamp}});
    view["all-exceptions"] = all;
  } else {
    view["root-exception"] = nullptr;
    view["timestamp"] = nullptr;
    view["all-exceptions"] = json::array();
  }
  return view;
}

json vertex_view(const job_info& job, std::size_t vertex, std::int64_t now) {
  const auto& jv = job.graph->vertices()[vertex];
  auto view = vertex_identity(jv);
  json subtasks = json::array();
  for (std::size_t i = 0; i < job.subtasks[vertex].size(); ++i) {
    const auto& s = job.subtasks[vertex][i];
    subtasks.push_back({{"subtask", static_cast<int>(i)},
                        {"status", std::string{to_string(s.state)}},
                        {"attempt", job.restarts},
                        {"endpoint", s.host},
                        {"start-time", s.start_time},
                        {"end-time", s.end_time},
                        {"duration", duration_of(s.start_time, s.end_time, now)},
                        {"metrics", io_metrics()},
                        {"taskmanager-id", s.task_manager}});
  }
  view["now"] = now;
  view["subtasks"] = subtasks;
  return view;
}

json task_manager_view(const task_manager_status& tm, std::int64_t now) {
  return {{"id", tm.id},
          {"path", "flink-cpp://" + tm.host + ":" + std::to_string(tm.data_port)},
          {"dataPort", tm.data_port},
          {"jmxPort", -1},
          {"timeSinceLastHeartbeat", now - tm.last_heartbeat},
          {"slotsNumber", tm.slots},
          {"freeSlots", tm.free_slots},
          {"blocked", false}};
}

json task_managers_view(const std::vector<task_manager_status>& task_managers, std::int64_t now) {
  json list = json::array();
  for (const auto& tm : task_managers)
    list.push_back(task_manager_view(tm, now));
  return {{"taskmanagers", list}};
}

json cluster_config_view(const configuration& config) {
  json list = json::array();
  for (const auto& [key, value] : config.entries())
    list.push_back({{"key", key}, {"value", value}});
  return list;
}

json error_view(const std::string& message) {
  return {{"errors", json::array({message})}};
}

} // namespace flinkcpp::rest

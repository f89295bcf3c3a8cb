#include "rest/job_views.hpp"

#include <algorithm>
#include <cctype>

#include "graph/plan_json.hpp"

namespace flinkcpp::rest {

namespace {

std::vector<subtask_info> all_subtasks(const job_info& job) {
  std::vector<subtask_info> out;
  for (const auto& v : job.subtasks)
    out.insert(out.end(), v.begin(), v.end());
  return out;
}

json job_summary(const job_info& job, std::int64_t now) {
  auto subtasks = all_subtasks(job);
  json tasks = {{"total", static_cast<int>(subtasks.size())}};
  auto counts = state_counts(subtasks);
  for (const auto& [state, count] : counts.items()) {
    std::string key = state;
    for (auto& c : key)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    tasks[key] = count;
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

json exception_entry(const exception_info& e) {
  json concurrent = json::array();
  for (const auto& c : e.concurrent)
    concurrent.push_back(exception_entry(c));
  return {{"exceptionName", "flinkcpp::task_failure"},
          {"stacktrace", e.exception},
          {"timestamp", e.timestamp},
          {"taskName", e.task_name.empty() ? json(nullptr) : json(e.task_name)},
          {"endpoint", e.location.empty() ? json(nullptr) : json(e.location)},
          {"location", e.location.empty() ? json(nullptr) : json(e.location)},
          {"taskManagerId", e.location.empty() ? json(nullptr) : json(e.location)},
          {"failureLabels", json::object()},
          {"concurrentExceptions", concurrent}};
}

/// Flink's ApplicationStatus of a job that ended with `status`.
const char* application_status(job_status status) {
  switch (status) {
    case job_status::finished:
      return "SUCCEEDED";
    case job_status::failed:
      return "FAILED";
    case job_status::canceled:
      return "CANCELED";
    default:
      return "UNKNOWN";
  }
}

} // namespace

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

json job_details_view(const job_info& job, const io_index& io, std::int64_t now) {
  auto details = job_summary(job, now);
  details.erase("tasks");
  details.erase("last-modification");
  details["isStoppable"] = false;
  details["job-type"] =
    job.graph && job.graph->mode() == runtime_mode::batch ? "BATCH" : "STREAMING";
  details["now"] = now;
  int max_parallelism = 0;
  json vertices = json::array();
  for (std::size_t v = 0; v < job.subtasks.size() && job.graph; ++v) {
    const auto& jv = job.graph->vertices()[v];
    max_parallelism = std::max(max_parallelism, jv.max_parallelism);
    std::int64_t start = -1, end = -1;
    for (const auto& s : job.subtasks[v]) {
      if (s.start_time >= 0 && (start < 0 || s.start_time < start))
        start = s.start_time;
      end = std::max(end, s.end_time);
    }
    vertices.push_back({{"id", jv.id.to_string()},
                        {"name", jv.name},
                        {"parallelism", jv.parallelism},
                        {"maxParallelism", jv.max_parallelism},
                        {"status", std::string{to_string(aggregate_state(job.subtasks[v]))}},
                        {"tasks", state_counts(job.subtasks[v])},
                        {"metrics", io_metrics_view(vertex_io(job, v, io))},
                        {"start-time", start},
                        {"end-time", end},
                        {"duration", duration_of(start, end, now)}});
  }
  details["maxParallelism"] = max_parallelism;
  json timestamps = json::object();
  for (const char* name : {"INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED", "CANCELLING",
                           "CANCELED", "FINISHED", "RESTARTING", "SUSPENDED", "RECONCILING"})
    timestamps[name] = 0;
  for (const auto& [status, ts] : job.timestamps)
    timestamps[status] = ts;
  details["timestamps"] = timestamps;
  details["vertices"] = vertices;
  details["status-counts"] = state_counts(all_subtasks(job));
  details["plan"] = job.graph ? plan_json(*job.graph, job.id).at("plan") : json::object();
  return details;
}

json job_status_view(const job_info& job) {
  return {{"status", std::string{to_string(job.status)}}};
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
                     {"taskManagerId", i->location},
                     {"timestamp", i->timestamp}});
    view["all-exceptions"] = all;
  } else {
    view["all-exceptions"] = json::array(); // no root exception, no timestamp (as Flink)
  }
  return view;
}

json job_config_view(const job_info& job) {
  json user = json::object();
  int parallelism = 1;
  if (job.spec)
    for (const auto& [key, value] : job.spec->config)
      user[key] = value;
  if (job.graph)
    parallelism = job.graph->slots_needed();
  return {{"jid", job.id.to_string()},
          {"name", job.name},
          {"execution-config",
           {{"execution-mode", "PIPELINED"},
            {"restart-strategy", job.restart_strategy},
            {"job-parallelism", parallelism},
            {"object-reuse-mode", false},
            {"user-config", user}}}};
}

json execution_result_view(const job_info& job) {
  if (!is_globally_terminal(job.status))
    return {{"status", {{"id", "IN_PROGRESS"}}}};
  json result = {{"id", job.id.to_string()},
                 {"application-status", application_status(job.status)},
                 {"accumulator-results", json::object()},
                 {"net-runtime", duration_of(job.start_time, job.end_time, job.end_time)}};
  if (job.status == job_status::failed && !job.exceptions.empty())
    result["failure-cause"] = {{"class", "flinkcpp::task_failure"},
                               {"stack-trace", job.exceptions.back().exception},
                               {"serialized-throwable", nullptr}};
  return {{"status", {{"id", "COMPLETED"}}}, {"job-execution-result", result}};
}

json job_accumulators_view() {
  return {{"job-accumulators", json::array()},
          {"user-task-accumulators", json::array()},
          {"serialized-user-task-accumulators", json::object()}};
}

json resource_requirements_view(const job_info& job) {
  json view = json::object();
  if (!job.graph)
    return view;
  for (const auto& v : job.graph->vertices()) {
    int lower = v.parallelism;
    int upper = v.parallelism;
    if (job.adaptive) {
      lower = 1;
      upper = job.parallelism_bound > 0 ? std::min(job.parallelism_bound, v.max_parallelism)
                                        : v.max_parallelism;
    }
    view[v.id.to_string()] = {{"parallelism", {{"lowerBound", lower}, {"upperBound", upper}}}};
  }
  return view;
}

result<std::int32_t> requested_parallelism(const job_info& job, const json& body) {
  if (!body.is_object())
    return failure{"the request body must map each vertex id to its requirements"};
  std::int32_t upper = INT32_MAX;
  for (const auto& [id, requirements] : body.items()) {
    auto vertex =
      std::find_if(job.graph->vertices().begin(), job.graph->vertices().end(),
                   [&wanted = id](const job_vertex& v) { return v.id.to_string() == wanted; });
    if (vertex == job.graph->vertices().end())
      return failure{"job " + job.id.to_string() + " has no vertex " + id};
    const auto* p = requirements.is_object() && requirements.contains("parallelism")
                      ? &requirements["parallelism"]
                      : nullptr;
    auto bound = [&](const char* name) -> std::int64_t {
      if (p == nullptr || !p->is_object() || !p->contains(name) || !(*p)[name].is_number_integer())
        return -1;
      return (*p)[name].get<std::int64_t>();
    };
    auto low = bound("lowerBound");
    auto high = bound("upperBound");
    if (low < 1 || high < low || high > vertex->max_parallelism)
      return failure{"vertex " + id +
                     " needs {\"parallelism\": {\"lowerBound\": L, "
                     "\"upperBound\": U}} with 1 <= L <= U <= its max parallelism " +
                     std::to_string(vertex->max_parallelism)};
    upper = std::min(upper, static_cast<std::int32_t>(high));
  }
  if (body.size() != job.graph->vertices().size())
    return failure{"the request must give the requirements of every vertex of job " +
                   job.id.to_string() + " (" + std::to_string(job.graph->vertices().size()) + ")"};
  return upper;
}

} // namespace flinkcpp::rest

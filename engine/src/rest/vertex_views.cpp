#include "rest/vertex_views.hpp"

#include <algorithm>

#include "rest/value_statistics.hpp"

namespace flinkcpp::rest {

namespace {

constexpr const char* execution_states[] = {"CREATED", "SCHEDULED",  "DEPLOYING", "INITIALIZING",
                                            "RUNNING", "FINISHED",   "CANCELING", "CANCELED",
                                            "FAILED",  "RECONCILING"};

/// Flink's status-duration of a subtask: time spent in each state up to
/// running (flink-cpp deploys and starts a subtask at once: that time is
/// all RUNNING's).
json status_duration(const subtask_info& s, std::int64_t now) {
  return {{"CREATED", 0},
          {"SCHEDULED", 0},
          {"DEPLOYING", 0},
          {"INITIALIZING", 0},
          {"RUNNING", std::max<std::int64_t>(0, duration_of(s.start_time, s.end_time, now))}};
}

/// Flink's summary of values (AggregatedTaskDetailsInfo): min, max, avg,
/// sum, median and percentiles, as integers.
json summary(std::vector<std::int64_t> values) {
  value_statistics stats{std::move(values)};
  return {{"min", stats.min()},    {"max", stats.max()},      {"avg", stats.avg()},
          {"sum", stats.sum()},    {"median", stats.at(0.5)}, {"p25", stats.at(0.25)},
          {"p75", stats.at(0.75)}, {"p95", stats.at(0.95)}};
}

json aggregated(const job_info& job, std::size_t vertex,
                const std::vector<std::optional<task_io_totals>>& ios, std::int64_t now) {
  std::map<std::string, std::vector<std::int64_t>> metrics;
  for (const auto& io : ios) {
    if (!io)
      continue;
    metrics["read-bytes"].push_back(io->bytes_in);
    metrics["write-bytes"].push_back(io->bytes_out);
    metrics["read-records"].push_back(io->records_in);
    metrics["write-records"].push_back(io->records_out);
    metrics["accumulated-backpressured-time"].push_back(io->back_pressured_ms);
    metrics["accumulated-idle-time"].push_back(io->idle_ms);
    metrics["accumulated-busy-time"].push_back(io->busy_ms);
  }
  json m = json::object();
  for (auto& [name, values] : metrics)
    m[name] = summary(std::move(values));
  std::map<std::string, std::vector<std::int64_t>> durations;
  for (const auto& s : job.subtasks[vertex]) {
    auto spent = status_duration(s, now);
    for (const auto& [state, ms] : spent.items())
      durations[state].push_back(ms.get<std::int64_t>());
  }
  json d = json::object();
  for (auto& [state, values] : durations)
    d[state] = summary(std::move(values));
  return {{"metrics", m}, {"status-duration", d}};
}

} // namespace

json subtask_view(const job_info& job, std::size_t vertex, std::size_t subtask, const io_index& io,
                  std::int64_t now) {
  const auto& s = job.subtasks[vertex][subtask];
  return {{"subtask", static_cast<int>(subtask)},
          {"status", std::string{to_string(s.state)}},
          {"attempt", job.attempt},
          {"host", s.host},
          {"endpoint", s.host},
          {"start-time", s.start_time},
          {"end-time", s.end_time},
          {"duration", duration_of(s.start_time, s.end_time, now)},
          {"metrics", io_metrics_view({subtask_io(job, vertex, subtask, io)})},
          {"taskmanager-id", s.task_manager.empty() ? "(unassigned)" : s.task_manager},
          {"status-duration", status_duration(s, now)},
          {"other-concurrent-attempts", json::array()}};
}

std::int64_t duration_of(std::int64_t start, std::int64_t end, std::int64_t now) {
  if (start < 0)
    return -1;
  return (end >= 0 ? end : now) - start;
}

execution_state aggregate_state(const std::vector<subtask_info>& subtasks) {
  if (subtasks.empty())
    return execution_state::created;
  static constexpr execution_state order[] = {
    execution_state::failed,  execution_state::canceling, execution_state::canceled,
    execution_state::created, execution_state::deploying, execution_state::initializing,
    execution_state::running, execution_state::finished};
  for (auto s : order)
    for (const auto& t : subtasks)
      if (t.state == s)
        return s;
  return subtasks.front().state;
}

json state_counts(const std::vector<subtask_info>& subtasks) {
  json counts = json::object();
  for (const char* name : execution_states)
    counts[name] = 0;
  for (const auto& s : subtasks) {
    auto& count = counts[std::string{to_string(s.state)}];
    count = count.get<int>() + 1;
  }
  return counts;
}

io_index reported_io(const std::vector<metric_sample>& samples, const job_id& job) {
  io_index out;
  auto id = job.to_string();
  for (const auto& s : samples) {
    if (s.scope_kind() != metric_scope::task || s.label("job_id") != id)
      continue;
    auto& t = out[{std::string{s.label("task_id")},
                   std::atoi(std::string{s.label("subtask_index")}.c_str())}];
    auto v = static_cast<std::int64_t>(s.value);
    if (s.name == "numRecordsIn")
      t.records_in = v;
    else if (s.name == "numRecordsOut")
      t.records_out = v;
    else if (s.name == "numBytesIn")
      t.bytes_in = v;
    else if (s.name == "numBytesOut")
      t.bytes_out = v;
    else if (s.name == "accumulatedBusyTime")
      t.busy_ms = v;
    else if (s.name == "accumulatedBackPressuredTime")
      t.back_pressured_ms = v;
    else if (s.name == "accumulatedIdleTime")
      t.idle_ms = v;
  }
  return out;
}

std::optional<task_io_totals> subtask_io(const job_info& job, std::size_t vertex,
                                         std::size_t subtask, const io_index& io) {
  const auto& s = job.subtasks[vertex][subtask];
  if (s.io_final)
    return s.io;
  auto i = io.find({job.graph->vertices()[vertex].id.to_string(), static_cast<int>(subtask)});
  if (i == io.end())
    return std::nullopt;
  return i->second;
}

std::vector<std::optional<task_io_totals>> vertex_io(const job_info& job, std::size_t vertex,
                                                     const io_index& io) {
  std::vector<std::optional<task_io_totals>> out;
  for (std::size_t i = 0; i < job.subtasks[vertex].size(); ++i)
    out.push_back(subtask_io(job, vertex, i, io));
  return out;
}

json io_metrics_view(const std::vector<std::optional<task_io_totals>>& ios) {
  task_io_totals sum;
  bool complete = !ios.empty();
  for (const auto& io : ios) {
    if (!io) {
      complete = false;
      continue;
    }
    sum.records_in += io->records_in;
    sum.records_out += io->records_out;
    sum.bytes_in += io->bytes_in;
    sum.bytes_out += io->bytes_out;
    sum.busy_ms += io->busy_ms;
    sum.back_pressured_ms += io->back_pressured_ms;
    sum.idle_ms += io->idle_ms;
  }
  return {{"read-bytes", sum.bytes_in},
          {"read-bytes-complete", complete},
          {"write-bytes", sum.bytes_out},
          {"write-bytes-complete", complete},
          {"read-records", sum.records_in},
          {"read-records-complete", complete},
          {"write-records", sum.records_out},
          {"write-records-complete", complete},
          {"accumulated-backpressured-time", sum.back_pressured_ms},
          {"accumulated-idle-time", sum.idle_ms},
          {"accumulated-busy-time", static_cast<double>(sum.busy_ms)}};
}

json vertex_view(const job_info& job, std::size_t vertex, const io_index& io, std::int64_t now) {
  const auto& v = job.graph->vertices()[vertex];
  json subtasks = json::array();
  for (std::size_t i = 0; i < job.subtasks[vertex].size(); ++i)
    subtasks.push_back(subtask_view(job, vertex, i, io, now));
  return {{"id", v.id.to_string()},
          {"name", v.name},
          {"parallelism", v.parallelism},
          {"maxParallelism", v.max_parallelism},
          {"now", now},
          {"subtasks", subtasks},
          {"aggregated", aggregated(job, vertex, vertex_io(job, vertex, io), now)}};
}

json vertex_taskmanagers_view(const job_info& job, std::size_t vertex, const io_index& io,
                              std::int64_t now) {
  const auto& v = job.graph->vertices()[vertex];
  std::map<std::string, std::vector<std::size_t>> by_taskmanager;
  for (std::size_t i = 0; i < job.subtasks[vertex].size(); ++i)
    by_taskmanager[job.subtasks[vertex][i].task_manager].push_back(i);
  json list = json::array();
  for (const auto& [tm, indexes] : by_taskmanager) {
    std::vector<subtask_info> subtasks;
    std::vector<std::optional<task_io_totals>> ios;
    std::int64_t start = -1, end = -1;
    for (auto i : indexes) {
      const auto& s = job.subtasks[vertex][i];
      subtasks.push_back(s);
      ios.push_back(subtask_io(job, vertex, i, io));
      if (s.start_time >= 0 && (start < 0 || s.start_time < start))
        start = s.start_time;
      end = std::max(end, s.end_time);
    }
    const auto& host = subtasks.front().host;
    list.push_back({{"host", host},
                    {"endpoint", host},
                    {"taskmanager-id", tm.empty() ? "(unassigned)" : tm},
                    {"status", std::string{to_string(aggregate_state(subtasks))}},
                    {"start-time", start},
                    {"end-time", end},
                    {"duration", duration_of(start, end, now)},
                    {"metrics", io_metrics_view(ios)},
                    {"status-counts", state_counts(subtasks)},
                    {"aggregated", aggregated(job, vertex, ios, now)}});
  }
  return {{"id", v.id.to_string()}, {"name", v.name}, {"now", now}, {"taskmanagers", list}};
}

json subtask_times_view(const job_info& job, std::size_t vertex, std::int64_t now) {
  const auto& v = job.graph->vertices()[vertex];
  json list = json::array();
  for (std::size_t i = 0; i < job.subtasks[vertex].size(); ++i) {
    const auto& s = job.subtasks[vertex][i];
    json timestamps = json::object();
    if (s.start_time >= 0)
      timestamps["RUNNING"] = s.start_time;
    if (s.end_time >= 0 && is_terminal(s.state))
      timestamps[std::string{to_string(s.state)}] = s.end_time;
    list.push_back({{"subtask", static_cast<int>(i)},
                    {"host", s.host},
                    {"endpoint", s.host},
                    {"duration", duration_of(s.start_time, s.end_time, now)},
                    {"timestamps", timestamps}});
  }
  return {{"id", v.id.to_string()}, {"name", v.name}, {"now", now}, {"subtasks", list}};
}

json vertex_accumulators_view(const job_info& job, std::size_t vertex) {
  return {{"id", job.graph->vertices()[vertex].id.to_string()},
          {"user-accumulators", json::array()}};
}

json subtasks_accumulators_view(const job_info& job, std::size_t vertex) {
  const auto& v = job.graph->vertices()[vertex];
  json list = json::array();
  for (std::size_t i = 0; i < job.subtasks[vertex].size(); ++i)
    list.push_back({{"subtask", static_cast<int>(i)},
                    {"attempt", job.attempt},
                    {"host", job.subtasks[vertex][i].host},
                    {"user-accumulators", json::array()}});
  return {{"id", v.id.to_string()}, {"parallelism", v.parallelism}, {"subtasks", list}};
}

json attempt_accumulators_view(const job_info& job, std::size_t vertex, std::size_t subtask) {
  return {{"subtask", static_cast<int>(subtask)},
          {"attempt", job.attempt},
          {"id", job.graph->vertices()[vertex].id.to_string()},
          {"user-accumulators", json::array()}};
}

} // namespace flinkcpp::rest

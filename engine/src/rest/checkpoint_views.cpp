#include "rest/checkpoint_views.hpp"

#include <algorithm>
#include <vector>

#include "rest/value_statistics.hpp"
#include "state/checkpoint_storage.hpp"

namespace flinkcpp::rest {

namespace {

const char* checkpoint_type(snapshot_kind kind) {
  switch (kind) {
    case snapshot_kind::checkpoint:
      return "CHECKPOINT";
    case snapshot_kind::savepoint:
      return "SAVEPOINT";
    case snapshot_kind::stop_savepoint:
      return "SYNC_SAVEPOINT";
  }
  return "CHECKPOINT";
}

/// Flink's TaskCheckpointStatistics of vertex `vertex` in `r`.
json task_view(const checkpoint_record& r, std::size_t vertex) {
  int acknowledged = 0;
  std::int64_t latest = 0;
  std::uint64_t state = 0, checkpointed = 0;
  for (const auto& a : r.acks)
    if (a.vertex == static_cast<int>(vertex)) {
      ++acknowledged;
      latest = std::max(latest, a.timestamp);
      state += a.state_size;
      checkpointed += a.checkpointed_size;
    }
  int subtasks = vertex < r.vertex_subtasks.size() ? r.vertex_subtasks[vertex] : 0;
  auto status =
    r.status == "IN_PROGRESS" || acknowledged == subtasks ? r.status : std::string{"FAILED"};
  return {{"id", r.id.value()},
          {"status", status},
          {"latest_ack_timestamp", latest},
          {"checkpointed_size", checkpointed},
          {"state_size", state},
          {"end_to_end_duration", latest > 0 ? latest - r.trigger_timestamp : 0},
          {"alignment_buffered", 0},
          {"processed_data", 0},
          {"persisted_data", 0},
          {"num_subtasks", subtasks},
          {"num_acknowledged_subtasks", acknowledged}};
}

json record_view(const checkpoint_record& r, const job_graph& graph) {
  bool savepoint = r.kind != snapshot_kind::checkpoint;
  auto end = r.end_timestamp > 0 ? r.end_timestamp : r.latest_ack_timestamp;
  json tasks = json::object();
  for (std::size_t v = 0; v < r.vertex_subtasks.size() && v < graph.vertices().size(); ++v)
    tasks[graph.vertices()[v].id.to_string()] = task_view(r, v);
  json j = {{"id", r.id.value()},
            {"status", r.status},
            {"is_savepoint", savepoint},
            {"savepointFormat", savepoint ? json("CANONICAL") : json(nullptr)},
            {"trigger_timestamp", r.trigger_timestamp},
            {"latest_ack_timestamp", r.latest_ack_timestamp},
            {"checkpointed_size", r.checkpointed_size},
            {"state_size", r.state_size},
            {"end_to_end_duration", end > 0 ? end - r.trigger_timestamp : 0},
            {"alignment_buffered", 0},
            {"processed_data", 0},
            {"persisted_data", 0},
            {"num_subtasks", r.subtasks},
            {"num_acknowledged_subtasks", r.acknowledged},
            {"checkpoint_type", checkpoint_type(r.kind)},
            {"tasks", tasks}};
  // className as Flink's REST API writes it: the discriminator's value.
  if (r.status == "COMPLETED") {
    j["className"] = "completed";
    j["external_path"] = r.external_path;
    j["discarded"] = false;
  } else if (r.status == "FAILED") {
    j["className"] = "failed";
    j["failure_timestamp"] = r.end_timestamp;
    j["failure_message"] = r.failure;
  } else {
    j["className"] = "in_progress";
  }
  return j;
}

/// Flink's StatsSummary: min, max, avg and percentiles of the values.
json summary_of(std::vector<std::int64_t> values) {
  value_statistics stats{std::move(values)};
  auto at = [&](double q) { return static_cast<double>(stats.at(q)); };
  return {{"min", stats.min()}, {"max", stats.max()}, {"avg", stats.avg()}, {"p50", at(0.5)},
          {"p90", at(0.9)},     {"p95", at(0.95)},    {"p99", at(0.99)},    {"p999", at(0.999)}};
}

} // namespace

json checkpoints_view(const job_info& job) {
  const auto& c = job.checkpoints;
  json history = json::array();
  json latest_completed = nullptr;
  json latest_savepoint = nullptr;
  json latest_failed = nullptr;
  std::vector<std::int64_t> sizes;
  std::vector<std::int64_t> checkpointed;
  std::vector<std::int64_t> durations;
  for (const auto& r : c.records) {
    auto view = record_view(r, *job.graph);
    history.push_back(view);
    if (r.status == "COMPLETED") {
      sizes.push_back(static_cast<std::int64_t>(r.state_size));
      checkpointed.push_back(static_cast<std::int64_t>(r.checkpointed_size));
      durations.push_back(r.end_timestamp - r.trigger_timestamp);
      if (r.kind == snapshot_kind::checkpoint && latest_completed.is_null())
        latest_completed = view;
      if (r.kind != snapshot_kind::checkpoint && latest_savepoint.is_null())
        latest_savepoint = view;
    } else if (r.status == "FAILED" && latest_failed.is_null()) {
      latest_failed = view;
    }
  }
  json restored = nullptr;
  if (!c.restored_id.is_none())
    restored = {{"id", c.restored_id.value()},
                {"restore_timestamp", c.restore_timestamp},
                {"is_savepoint", c.restored_savepoint},
                {"external_path", c.restored_path}};
  return {{"counts",
           {{"restored", c.restored},
            {"total", c.completed + c.failed + c.in_progress},
            {"in_progress", c.in_progress},
            {"completed", c.completed},
            {"failed", c.failed}}},
          {"summary",
           {{"checkpointed_size", summary_of(checkpointed)},
            {"state_size", summary_of(sizes)},
            {"end_to_end_duration", summary_of(durations)},
            {"alignment_buffered", summary_of({})},
            {"processed_data", summary_of({})},
            {"persisted_data", summary_of({})}}},
          {"latest",
           {{"completed", latest_completed},
            {"savepoint", latest_savepoint},
            {"failed", latest_failed},
            {"restored", restored}}},
          {"history", history}};
}

json checkpoint_details_view(const job_info& job, checkpoint_id id) {
  for (const auto& r : job.checkpoints.records)
    if (r.id == id)
      return record_view(r, *job.graph);
  return nullptr;
}

json checkpoint_subtasks_view(const job_info& job, checkpoint_id id, std::size_t vertex) {
  const checkpoint_record* record = nullptr;
  for (const auto& r : job.checkpoints.records)
    if (r.id == id)
      record = &r;
  if (record == nullptr || vertex >= record->vertex_subtasks.size())
    return nullptr;
  auto view = task_view(*record, vertex);
  std::vector<std::int64_t> sizes, checkpointed, durations;
  json subtasks = json::array();
  for (int i = 0; i < record->vertex_subtasks[vertex]; ++i) {
    auto ack = std::find_if(record->acks.begin(), record->acks.end(), [&](const subtask_ack& a) {
      return a.vertex == static_cast<int>(vertex) && a.subtask == i;
    });
    if (ack == record->acks.end()) {
      subtasks.push_back({{"index", i}, {"status", "pending_or_failed"}, {"className", "pending"}});
      continue;
    }
    auto duration = ack->timestamp - record->trigger_timestamp;
    sizes.push_back(static_cast<std::int64_t>(ack->state_size));
    checkpointed.push_back(static_cast<std::int64_t>(ack->checkpointed_size));
    durations.push_back(duration);
    subtasks.push_back(
      {{"index", i},
       {"status", "completed"},
       {"className", "completed"},
       {"ack_timestamp", ack->timestamp},
       {"end_to_end_duration", duration},
       {"checkpointed_size", ack->checkpointed_size},
       {"state_size", ack->state_size},
       {"checkpoint", {{"sync", 0}, {"async", 0}}},
       {"alignment", {{"buffered", 0}, {"processed", 0}, {"persisted", 0}, {"duration", 0}}},
       {"start_delay", 0},
       {"unaligned_checkpoint", false},
       {"aborted", false}});
  }
  view["summary"] = {{"checkpointed_size", summary_of(checkpointed)},
                     {"state_size", summary_of(sizes)},
                     {"end_to_end_duration", summary_of(durations)},
                     {"checkpoint_duration", {{"sync", summary_of({})}, {"async", summary_of({})}}},
                     {"alignment",
                      {{"buffered", summary_of({})},
                       {"processed", summary_of({})},
                       {"persisted", summary_of({})},
                       {"duration", summary_of({})}}},
                     {"start_delay", summary_of({})}};
  view["subtasks"] = subtasks;
  return view;
}

json checkpoint_config_view(const job_info& job) {
  const auto& s = job.checkpoints.settings;
  bool externalized = s.retention != checkpoint_retention::no_externalized;
  return {
    {"mode", s.exactly_once ? "exactly_once" : "at_least_once"},
    {"interval", s.periodic() ? s.interval.count() : INT64_MAX},
    {"timeout", s.timeout.count()},
    {"min_pause", s.min_pause.count()},
    {"max_concurrent", s.max_concurrent},
    {"externalization",
     {{"enabled", externalized},
      {"delete_on_cancellation", s.retention != checkpoint_retention::retain_on_cancellation}}},
    {"state_backend", s.state_backend},
    {"checkpoint_storage", checkpoint_storage::name()},
    {"unaligned_checkpoints", false},
    {"tolerable_failed_checkpoints", s.tolerable_failures},
    {"aligned_checkpoint_timeout", 0},
    {"checkpoints_after_tasks_finish", true},
    {"state_changelog_enabled", false},
    // No changelog state backend: Flink's defaults for it.
    {"changelog_periodic_materialization_interval", 600000},
    {"changelog_storage", "memory"}};
}

namespace {

/// Flink's AsynchronousOperationResult: IN_PROGRESS, or COMPLETED with the
/// operation's result or its failure cause.
json operation_view(bool done, const json& result, const std::string& failure) {
  if (!done)
    return {{"status", {{"id", "IN_PROGRESS"}}}, {"operation", nullptr}};
  if (!failure.empty())
    return {{"status", {{"id", "COMPLETED"}}},
            {"operation",
             {{"failure-cause",
               {{"class", "java.util.concurrent.CompletionException"},
                {"stack-trace", failure},
                {"serialized-throwable", nullptr}}}}}};
  return {{"status", {{"id", "COMPLETED"}}}, {"operation", result}};
}

} // namespace

json disposal_status_view(const std::string& failure) {
  return operation_view(true, json::object(), failure);
}

json checkpoint_status_view(bool done, std::int64_t checkpoint, const std::string& failure) {
  return operation_view(done, {{"checkpointId", checkpoint}}, failure);
}

json savepoint_status_view(bool done, const std::string& location, const std::string& failure) {
  return operation_view(done, {{"location", location}}, failure);
}

} // namespace flinkcpp::rest

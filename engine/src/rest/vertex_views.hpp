#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/job_info.hpp"
#include "metrics/metric_sample.hpp"

namespace flinkcpp::rest {

// A job vertex's resources (its subtasks, their taskmanagers, times and
// I/O) in the JSON shapes Flink's REST API returns. Pure functions; `now` is
// epoch milliseconds.

using json = nlohmann::json;

/// What taskmanagers reported of each running subtask's I/O, by (vertex id,
/// subtask index).
using io_index = std::map<std::pair<std::string, int>, task_io_totals>;

/// The I/O of `job`'s subtasks in `samples` (what taskmanagers reported).
io_index reported_io(const std::vector<metric_sample>& samples, const job_id& job);

/// A subtask's I/O: final once it ended, else what its taskmanager reported
/// last; nullopt when neither is known.
std::optional<task_io_totals> subtask_io(const job_info& job, std::size_t vertex,
                                         std::size_t subtask, const io_index& io);

/// Flink's IOMetricsInfo of subtasks: the sum of what is known, "complete"
/// when it is known of every one of them.
json io_metrics_view(const std::vector<std::optional<task_io_totals>>& ios);

/// The I/O of every subtask of vertex `vertex`.
std::vector<std::optional<task_io_totals>> vertex_io(const job_info& job, std::size_t vertex,
                                                     const io_index& io);

/// The state subtasks show together: the "furthest behind" of theirs, as
/// Flink aggregates them.
execution_state aggregate_state(const std::vector<subtask_info>& subtasks);

/// {"CREATED": n, ..., "RUNNING": n, ...} over every execution state.
json state_counts(const std::vector<subtask_info>& subtasks);

/// `end` - `start`, up to `now` while there is no end; -1 before a start.
std::int64_t duration_of(std::int64_t start, std::int64_t end, std::int64_t now);

/// GET /jobs/:jobid/vertices/:vertexid
json vertex_view(const job_info& job, std::size_t vertex, const io_index& io, std::int64_t now);

/// GET .../subtasks/:subtaskindex and .../attempts/:attempt (the current attempt).
json subtask_view(const job_info& job, std::size_t vertex, std::size_t subtask, const io_index& io,
                  std::int64_t now);

/// GET .../vertices/:vertexid/taskmanagers: the vertex's subtasks by taskmanager.
json vertex_taskmanagers_view(const job_info& job, std::size_t vertex, const io_index& io,
                              std::int64_t now);

/// GET .../vertices/:vertexid/subtasktimes: when each subtask entered its states.
json subtask_times_view(const job_info& job, std::size_t vertex, std::int64_t now);

/// GET .../vertices/:vertexid/accumulators, .../subtasks/accumulators and
/// .../attempts/:attempt/accumulators: flink-cpp has no accumulators (empty).
json vertex_accumulators_view(const job_info& job, std::size_t vertex);
json subtasks_accumulators_view(const job_info& job, std::size_t vertex);
json attempt_accumulators_view(const job_info& job, std::size_t vertex, std::size_t subtask);

} // namespace flinkcpp::rest

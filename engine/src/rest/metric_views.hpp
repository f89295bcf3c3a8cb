#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metric_sample.hpp"

namespace flinkcpp::rest {

// The metric paths of the REST API in Flink's shapes, from metric samples
// (the jobmanager's own, and what taskmanagers reported). Pure functions.

using json = nlohmann::json;

/// The metrics `samples` hold: without `get`, their ids ([{"id"}]); with
/// `get` ("a,b"), the values of those asked for ([{"id", "value"}], values as
/// strings, as Flink writes them). For /jobmanager/metrics and
/// /taskmanagers/:tmid/metrics.
json metric_list_view(const std::vector<metric_sample>& samples,
                      const std::optional<std::string>& get);

/// The task samples of vertex `vertex` of job `job`, named
/// "<subtask>.<metric>" as Flink names a vertex's metrics.
std::vector<metric_sample> vertex_samples(const std::vector<metric_sample>& samples,
                                          const std::string& job, const std::string& vertex);

/// /jobs/:jobid/vertices/:vertexid/watermarks: each subtask's input
/// watermark, from the vertex's task samples, as Flink lists them
/// ([{"id": "<subtask>.currentInputWatermark", "value"}]).
json watermarks_view(const std::vector<metric_sample>& task_samples);

/// /jobs/:jobid/vertices/:vertexid/subtasks/metrics: the metrics across the
/// subtasks of a vertex; with `get`, each as min, max, avg and sum.
json aggregated_metrics_view(const std::vector<metric_sample>& task_samples,
                             const std::optional<std::string>& get);

/// /jobs/:jobid/vertices/:vertexid/backpressure, from the task samples of
/// the vertex's subtasks (back-pressured, busy and idle time per second),
/// at `now` (epoch ms). Levels as Flink's: ratio up to 0.1 ok, up to 0.5
/// low, above high.
json backpressure_view(const std::vector<metric_sample>& task_samples, std::int64_t now);

} // namespace flinkcpp::rest

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/metric_sample.hpp"
#include "util/result.hpp"

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

/// The task and operator samples of vertex `vertex` of job `job`, named as
/// Flink names a vertex's metrics: "<subtask>.<metric>", and
/// "<subtask>.<operator name>.<metric>" (the name cut to 80 characters; a
/// histogram's quantiles as "<metric>_p50" ... "<metric>_p999").
std::vector<metric_sample> vertex_samples(const std::vector<metric_sample>& samples,
                                          const std::string& job, const std::string& vertex);

/// /jobs/:jobid/vertices/:vertexid/watermarks: each subtask's input
/// watermark, from the vertex's task samples, as Flink lists them
/// ([{"id": "<subtask>.currentInputWatermark", "value"}]).
json watermarks_view(const std::vector<metric_sample>& task_samples);

/// The values of each metric over what is aggregated (subtasks,
/// taskmanagers, jobs), by metric name.
using metric_series = std::map<std::string, std::vector<double>>;

/// The series of `samples`, by their names; with `strip_subtask`, of
/// vertex_samples() ("<subtask>.<metric>"), by the metric's name.
metric_series series_of(const std::vector<metric_sample>& samples, bool strip_subtask = false);

/// Flink's aggregated metrics (/jobs/:jobid/vertices/:vertexid/subtasks/metrics,
/// /taskmanagers/metrics, /jobs/metrics): without `get`, the metrics' ids;
/// with it, for each metric asked for, the aggregations `agg` names ("min,
/// max,avg,sum,skew"; all of them when not given). Skew is Flink's: how far
/// the max is above the average, in percent of the max. Fails naming an
/// unknown aggregation.
result<json> aggregated_metrics_view(const metric_series& series,
                                     const std::optional<std::string>& get,
                                     const std::optional<std::string>& agg = std::nullopt);

/// /jobs/:jobid/vertices/:vertexid/backpressure, from the task samples of
/// the vertex's subtasks (back-pressured, busy and idle time per second),
/// at `now` (epoch ms). Levels as Flink's: ratio up to 0.1 ok, up to 0.5
/// low, above high.
json backpressure_view(const std::vector<metric_sample>& task_samples, std::int64_t now);

} // namespace flinkcpp::rest

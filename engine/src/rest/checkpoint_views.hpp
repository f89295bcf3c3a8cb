#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "cluster/job_info.hpp"

namespace flinkcpp::rest {

// The checkpoint resources of a job, in Flink's shapes. Pure functions.

using json = nlohmann::json;

/// GET /jobs/:jobid/checkpoints: counts, summary, latest, history.
json checkpoints_view(const job_info& job);

/// GET /jobs/:jobid/checkpoints/details/:checkpointid: one checkpoint of the
/// history, with each vertex's statistics; null when the history has none
/// of that id.
json checkpoint_details_view(const job_info& job, checkpoint_id id);

/// GET .../details/:checkpointid/subtasks/:vertexid for vertex index
/// `vertex`: the vertex's statistics with each subtask's; null when unknown.
json checkpoint_subtasks_view(const job_info& job, checkpoint_id id, std::size_t vertex);

/// GET /jobs/:jobid/checkpoints/config.
json checkpoint_config_view(const job_info& job);

/// GET /jobs/:jobid/checkpoints/:triggerid for a checkpoint asked for over
/// REST: running, completed as `checkpoint`, or failed with `failure`.
json checkpoint_status_view(bool done, std::int64_t checkpoint, const std::string& failure);

/// GET /savepoint-disposal/:triggerid: completed (disposals finish before
/// their trigger id is returned), failed with `failure` if not empty.
json disposal_status_view(const std::string& failure);

/// GET /jobs/:jobid/savepoints/:triggerid for a savepoint still running,
/// completed at `location`, or failed with `failure`.
json savepoint_status_view(bool done, const std::string& location, const std::string& failure);

} // namespace flinkcpp::rest

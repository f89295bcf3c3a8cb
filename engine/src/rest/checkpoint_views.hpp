#pragma once

#include <cstdint>

#include "rest/rest_views.hpp"

namespace flinkcpp::rest {

// The checkpoint resources of a job, in Flink's shapes.

/// GET /jobs/:jobid/checkpoints: counts, summary, latest, history.
json checkpoints_view(const job_info& job);

/// GET /jobs/:jobid/checkpoints/config.
json checkpoint_config_view(const job_info& job);

/// GET /jobs/:jobid/checkpoints/:triggerid for a checkpoint asked for over
/// REST: running, completed as `checkpoint`, or failed with `failure`.
json checkpoint_status_view(bool done, std::int64_t checkpoint, const std::string& failure);

/// GET /jobs/:jobid/savepoints/:triggerid for a savepoint still running,
/// completed at `location`, or failed with `failure`.
json savepoint_status_view(bool done, const std::string& location, const std::string& failure);

} // namespace flinkcpp::rest

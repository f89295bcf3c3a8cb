#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rest/vertex_views.hpp"

namespace flinkcpp::rest {

// A job's resources in the JSON shapes Flink's REST API returns. Where
// Flink's own serializers write other field names than its generated
// OpenAPI document says (execution result, job config), these follow the
// serializers: they are what Flink's clients read. Pure functions; `now` is
// epoch milliseconds.

/// GET /jobs
json jobs_view(const std::vector<job_info>& jobs);

/// GET /jobs/overview
json jobs_overview_view(const std::vector<job_info>& jobs, std::int64_t now);

/// GET /jobs/:jobid, its vertices' I/O from `io`.
json job_details_view(const job_info& job, const io_index& io, std::int64_t now);

/// GET /jobs/:jobid/status: {"status": "<JobStatus>"}.
json job_status_view(const job_info& job);

/// GET /jobs/:jobid/exceptions
json job_exceptions_view(const job_info& job);

/// GET /jobs/:jobid/config: the job's name, id and execution config, the
/// job's configuration as its user config (Flink's JobConfigInfo serializer).
json job_config_view(const job_info& job);

/// GET /jobs/:jobid/execution-result: IN_PROGRESS, or COMPLETED with the
/// job's result (Flink's JobResult serializer: id, application-status,
/// accumulator-results, net-runtime, failure-cause when it failed).
json execution_result_view(const job_info& job);

/// GET /jobs/:jobid/accumulators: flink-cpp has no accumulators (empty).
json job_accumulators_view();

/// GET /jobs/:jobid/resource-requirements: each vertex's parallelism bounds.
/// An adaptive job: 1 to its bound (or its max parallelism); else its
/// parallelism as both.
json resource_requirements_view(const job_info& job);

/// The most slots PUT /jobs/:jobid/resource-requirements asks `job` to use:
/// the smallest upper bound over its vertices (every operator of an adaptive
/// job runs at one parallelism). Fails naming the field when `body` does not
/// give every vertex of the job valid bounds, or gives one it lacks.
result<std::int32_t> requested_parallelism(const job_info& job, const json& body);

} // namespace flinkcpp::rest

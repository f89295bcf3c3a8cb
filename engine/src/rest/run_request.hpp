#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/job_builder.hpp"
#include "rest/rest_router.hpp"

namespace flinkcpp::rest {

/// What a request to run a job asks for: the job spec on top of the
/// cluster's configuration, and the job id it wants (Flink's jobId).
struct run_request {
  job_spec spec;
  std::optional<job_id> id;
};

/// Reads Flink's JarRunRequestBody (programArgs or programArgsList,
/// parallelism, entryClass, jobId, savepointPath, allowNonRestoredState,
/// restoreMode, flinkConfiguration) from `body`, and its deprecated query
/// parameters from `req` (program-args, programArg, entry-class,
/// parallelism, savepointPath, allowNonRestoredState); a query parameter and
/// a body field that disagree are refused, as every field outside `allowed`.
/// The spec's configuration is `cluster_config` with the request's layer on
/// top. 400 naming the field for anything malformed.
run_request read_run_request(const httplib::Request& req, const json& body,
                             const std::vector<std::string>& allowed,
                             const configuration& cluster_config);

/// Checks and submits `request` (see prepare_submission): 400 naming what is
/// wrong, 409 when a job of the id it asks for exists. Returns the job's id.
job_id submit(rest_context& c, run_request request);

} // namespace flinkcpp::rest

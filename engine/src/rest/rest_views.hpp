#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/job_info.hpp"
#include "flinkcpp/configuration.hpp"

namespace flinkcpp::rest {

// The JSON bodies of the REST API, in the shapes Flink's REST API returns
// (field names, nesting, status names, epoch-millisecond timestamps). Pure
// functions of their inputs; `now` is epoch milliseconds.

using json = nlohmann::json;

/// GET /config
json config_view(bool web_submit, bool web_cancel);

/// GET /overview
json overview_view(const std::vector<task_manager_status>& task_managers,
                   const std::vector<job_info>& jobs);

/// GET /jobs
json jobs_view(const std::vector<job_info>& jobs);

/// GET /jobs/overview
json jobs_overview_view(const std::vector<job_info>& jobs, std::int64_t now);

/// GET /jobs/:jobid
json job_details_view(const job_info& job, std::int64_t now);

/// GET /jobs/:jobid/exceptions
json job_exceptions_view(const job_info& job);

/// GET /jobs/:jobid/vertices/:vertexid, for vertex index `vertex`.
json vertex_view(const job_info& job, std::size_t vertex, std::int64_t now);

/// GET /taskmanagers
json task_managers_view(const std::vector<task_manager_status>& task_managers, std::int64_t now);

/// GET /taskmanagers/:taskmanagerid
json task_manager_view(const task_manager_status& task_manager, std::int64_t now);

/// GET /jobmanager/config
json cluster_config_view(const configuration& config);

/// An error body: {"errors": [message]}.
json error_view(const std::string& message);

} // namespace flinkcpp::rest

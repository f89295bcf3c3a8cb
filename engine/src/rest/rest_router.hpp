#pragma once

// What the REST API's route files share (internal to rest/): a request's
// answer, the expected failures of a request, the routing table, and the
// readers of path, query and body parameters. Every failure names the
// parameter, the value and what was expected.

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/job_library_store.hpp"
#include "cluster/cluster_gateway.hpp"
#include "flinkcpp/configuration.hpp"
#include "util/id.hpp"

namespace flinkcpp::rest {

using json = nlohmann::json;

/// The answer to a request: JSON, or text (logs) when `text` is set.
struct reply {
  int status = 200;
  json body;
  std::optional<std::string> text;
};

/// An expected failure of a request: its HTTP status and message. Handlers
/// throw it; the server answers {"errors": [message]}.
struct request_error {
  int status;
  std::string message;
};

/// The HTTP status of a failure of kind `code`: not_found 404, conflict 409,
/// invalid_argument 400, unavailable 503, else 500.
int status_of(errc code);

/// What a route's handler gets: the request and the path's captures (m[1]
/// is the first parameter).
using handler = std::function<reply(const httplib::Request&, const std::smatch&)>;

/// The table of routes: a method and a path pattern each (regular
/// expression, anchored). Not thread-safe to build; routing is const.
class router {
public:
  void add(std::string method, const std::string& pattern, handler h);

  /// Answers `req` for `path` (its /v1 prefix removed): 404 when no pattern
  /// matches, 405 (with `allowed`) when only other methods do.
  reply route(const httplib::Request& req, const std::string& path, std::string& allowed) const;

private:
  struct route_entry {
    std::string method;
    std::regex pattern;
    handler run;
  };
  std::vector<route_entry> routes_;
};

/// What the routes act on: the cluster, the jobmanager's configuration and
/// what it enables. Outlives the server.
struct rest_context {
  cluster_gateway& cluster;
  configuration config;
  bool web_submit = true;
  bool web_cancel = true;
  job_library_store libraries; ///< uploads under web.upload.dir
  std::string log_file;        ///< the jobmanager's log.file; may be empty
  /// Shuts the jobmanager down (DELETE /cluster).
  std::function<void()> shutdown;
};

// -- parameters ---------------------------------------------------------------

/// A job id in a path; 400 when it is none.
job_id job_id_param(const std::string& text);

/// A non-negative integer in a path (subtask index, attempt, checkpoint id).
std::int64_t index_param(const std::string& name, const std::string& text);

/// A path given in a request (/abs, file:/abs, file:///abs) as a local path.
std::string local_path_param(const std::string& field, const std::string& text);

/// The query parameter `name`, if given.
std::optional<std::string> query_param(const httplib::Request& req, const std::string& name);

/// The request's JSON object body ({} when empty); 400 when it is not one.
json parse_body(const httplib::Request& req);

/// Refuses fields of `body` not in `allowed`.
void allow_fields(const json& body, const std::vector<std::string>& allowed);

/// A string field (empty when absent or null); 400 for another type.
std::string string_field(const json& body, const std::string& name);

/// A boolean field (false when absent or null); 400 for another type.
bool boolean_field(const json& body, const std::string& name);

// -- lookups ------------------------------------------------------------------

/// The job of id `text`; 404 when the cluster does not know it.
job_info job_or_404(cluster_gateway& cluster, const std::string& text);

/// The index of vertex `id` in `job`'s graph; 404 when it has none.
std::size_t vertex_or_404(const job_info& job, const std::string& id);

/// The taskmanager of id `id`; 404 when none is registered.
task_manager_status task_manager_or_404(cluster_gateway& cluster, const std::string& id);

/// 409 unless `job` runs.
void require_running(const job_info& job);

// -- the routes of each resource (one file each) -----------------------------

void add_cluster_routes(router& r,
                        rest_context& c); ///< /config, /overview, /cluster, /jobmanager/*
void add_taskmanager_routes(router& r, rest_context& c); ///< /taskmanagers/*
void add_job_routes(router& r, rest_context& c);         ///< /jobs, /jobs/:jobid/*, vertices
void add_checkpoint_routes(router& r, rest_context& c); ///< checkpoints, savepoints, stop, disposal
void add_jar_routes(router& r, rest_context& c);        ///< /jars/*
void add_metric_routes(router& r, rest_context& c);     ///< every .../metrics path

} // namespace flinkcpp::rest

// Checkpoints and savepoints: a job's checkpoint statistics and
// configuration, checkpoints and savepoints on request (and their status),
// stop with a savepoint, and the disposal of a savepoint.

#include <filesystem>
#include <map>
#include <mutex>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "config/core_options.hpp"
#include "rest/checkpoint_views.hpp"
#include "rest/rest_router.hpp"
#include "util/durable_file.hpp"

namespace flinkcpp::rest {

namespace {

/// Starts a savepoint of a running job into the directory the body's
/// `target_field` names (else the default); 202 with Flink's request id.
reply trigger_savepoint(rest_context& c, const std::string& job_text, const json& body,
                        const std::string& target_field, cluster_gateway::after_savepoint then) {
  auto target = string_field(body, target_field);
  if (!target.empty())
    target = local_path_param(target_field, target);
  auto job = job_or_404(c.cluster, job_text);
  require_running(job);
  if (target.empty() && options::savepoints_dir.get(c.config).empty() &&
      job.checkpoints.settings.storage.savepoints_dir().empty())
    throw request_error{400, "no savepoint directory: give one in the request, or set "
                             "execution.checkpointing.savepoint-dir"};
  if (auto format = string_field(body, "formatType"); !format.empty() && format != "CANONICAL")
    throw request_error{400, "formatType '" + format + "': flink-cpp writes CANONICAL savepoints"};
  return {202, {{"request-id", c.cluster.trigger_savepoint(job.id, target, then)}}, {}};
}

/// The status of operation `m[2]` (a `what`: checkpoint or savepoint) of
/// job `m[1]`; 404 when there is no such job or operation.
savepoint_status operation_or_404(rest_context& c, const std::smatch& m, const char* what) {
  job_or_404(c.cluster, m[1]);
  auto status = c.cluster.savepoint(m[2]);
  if (!status)
    throw request_error{404, std::string{"there is no "} + what + " operation " + m[2].str() +
                               " for job " + m[1].str()};
  return *status;
}

/// Why `directory` must not be disposed of: a job that has not ended
/// restored from it (and may again), or it is a running job's own
/// checkpoint. Empty when it may go.
std::string in_use(cluster_gateway& cluster, const std::string& directory) {
  for (const auto& job : cluster.jobs()) {
    if (is_globally_terminal(job.status))
      continue;
    const auto& c = job.checkpoints;
    auto own = c.settings.storage.for_job(job.id).job;
    if (c.restored_path == directory || directory.rfind(own + "/", 0) == 0)
      return "job " + job.id.to_string() + " still needs it";
  }
  return {};
}

/// Outcomes of disposals, by request id (each finishes before its id is given).
struct disposal_table {
  std::mutex mutex;
  std::map<std::string, std::string> failures; ///< empty: disposed of
};

} // namespace

void add_checkpoint_routes(router& r, rest_context& c) {
  r.add("GET", "/jobs/([^/]+)/checkpoints", [&c](auto&, const std::smatch& m) {
    return reply{200, checkpoints_view(job_or_404(c.cluster, m[1])), {}};
  });
  r.add("GET", "/jobs/([^/]+)/checkpoints/config", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    if (!job.checkpoints.settings.periodic())
      throw request_error{404, "checkpointing is not enabled for job " + job.id.to_string() +
                                 " (execution.checkpointing.interval)"};
    return reply{200, checkpoint_config_view(job), {}};
  });
  r.add("GET", "/jobs/([^/]+)/checkpoints/details/([^/]+)", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    auto id = checkpoint_id{index_param("checkpoint id", m[2])};
    auto view = checkpoint_details_view(job, id);
    if (view.is_null())
      throw request_error{404, "job " + job.id.to_string() + " has no checkpoint " + m[2].str() +
                                 " in its history"};
    return reply{200, std::move(view), {}};
  });
  r.add("GET", "/jobs/([^/]+)/checkpoints/details/([^/]+)/subtasks/([^/]+)",
        [&c](auto&, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          auto id = checkpoint_id{index_param("checkpoint id", m[2])};
          auto view = checkpoint_subtasks_view(job, id, vertex_or_404(job, m[3]));
          if (view.is_null())
            throw request_error{404, "job " + job.id.to_string() + " has no checkpoint " +
                                       m[2].str() + " of vertex " + m[3].str() + " in its history"};
          return reply{200, std::move(view), {}};
        });
  r.add(
    "POST", "/jobs/([^/]+)/checkpoints", [&c](const httplib::Request& req, const std::smatch& m) {
      auto body = parse_body(req);
      allow_fields(body, {"checkpointType", "triggerId"});
      auto type = string_field(body, "checkpointType");
      if (!type.empty() && type != "CONFIGURED" && type != "FULL" && type != "INCREMENTAL")
        throw request_error{400, "checkpointType '" + type +
                                   "': expected CONFIGURED, FULL or INCREMENTAL"};
      auto job = job_or_404(c.cluster, m[1]);
      require_running(job);
      return reply{202, {{"request-id", c.cluster.trigger_checkpoint(job.id, type == "FULL")}}, {}};
    });
  r.add("GET", "/jobs/([^/]+)/checkpoints/([^/]+)", [&c](auto&, const std::smatch& m) {
    auto status = operation_or_404(c, m, "checkpoint");
    return reply{
      200, checkpoint_status_view(status.done, status.checkpoint.value(), status.failure), {}};
  });
  r.add("POST", "/jobs/([^/]+)/savepoints",
        [&c](const httplib::Request& req, const std::smatch& m) {
          auto body = parse_body(req);
          allow_fields(body, {"target-directory", "cancel-job", "formatType", "triggerId"});
          return trigger_savepoint(c, m[1], body, "target-directory",
                                   boolean_field(body, "cancel-job")
                                     ? cluster_gateway::after_savepoint::cancel
                                     : cluster_gateway::after_savepoint::keep_running);
        });
  r.add("POST", "/jobs/([^/]+)/stop", [&c](const httplib::Request& req, const std::smatch& m) {
    auto body = parse_body(req);
    allow_fields(body, {"targetDirectory", "drain", "formatType", "triggerId"});
    return trigger_savepoint(c, m[1], body, "targetDirectory",
                             boolean_field(body, "drain")
                               ? cluster_gateway::after_savepoint::stop_and_drain
                               : cluster_gateway::after_savepoint::stop);
  });
  r.add("GET", "/jobs/([^/]+)/savepoints/([^/]+)", [&c](auto&, const std::smatch& m) {
    auto status = operation_or_404(c, m, "savepoint");
    return reply{200, savepoint_status_view(status.done, status.location, status.failure), {}};
  });
  auto disposals = std::make_shared<disposal_table>();
  r.add("POST", "/savepoint-disposal", [&c, disposals](const httplib::Request& req, auto&) {
    auto body = parse_body(req);
    allow_fields(body, {"savepoint-path"});
    auto given = string_field(body, "savepoint-path");
    if (given.empty())
      throw request_error{400, "the request needs 'savepoint-path': the savepoint to dispose of"};
    auto directory = checkpoint_directory_of(local_path_param("savepoint-path", given));
    std::string failure;
    if (auto metadata = read_checkpoint_metadata(directory); !metadata)
      failure = "'" + directory + "' is no savepoint or checkpoint: " + metadata.error();
    else if (auto why = in_use(c.cluster, directory); !why.empty())
      failure = "savepoint '" + directory + "' is in use: " + why;
    if (failure.empty() && !remove_tree(directory))
      failure = "cannot delete all of '" + directory + "'";
    auto trigger = job_id::random().to_string();
    std::lock_guard<std::mutex> guard{disposals->mutex};
    disposals->failures[trigger] = failure;
    return reply{200, {{"request-id", trigger}}, {}};
  });
  r.add("GET", "/savepoint-disposal/([^/]+)", [disposals](auto&, const std::smatch& m) {
    std::lock_guard<std::mutex> guard{disposals->mutex};
    auto i = disposals->failures.find(m[1]);
    if (i == disposals->failures.end())
      throw request_error{404, "there is no savepoint disposal " + m[1].str()};
    return reply{200, disposal_status_view(i->second), {}};
  });
}

} // namespace flinkcpp::rest

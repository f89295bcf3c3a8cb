// Jobs: the list, submission (flink-cpp's POST /jobs), each job's details,
// status, configuration, result, exceptions, plan, resource requirements,
// cancellation, and its vertices and subtasks.

#include "config/core_options.hpp"
#include "graph/plan_json.hpp"
#include "metrics/process_usage.hpp"
#include "rest/cluster_views.hpp"
#include "rest/job_views.hpp"
#include "rest/run_request.hpp"

namespace flinkcpp::rest {

namespace {

/// What taskmanagers reported of `job`'s subtasks' I/O.
io_index io_of(rest_context& c, const job_info& job) {
  return reported_io(c.cluster.reported_metrics(), job.id);
}

/// Subtask `text` of vertex `vertex`; 404 when the vertex has none such.
std::size_t subtask_or_404(const job_info& job, std::size_t vertex, const std::string& text) {
  auto subtask = index_param("subtask index", text);
  if (subtask >= static_cast<std::int64_t>(job.subtasks[vertex].size()))
    throw request_error{404, "vertex " + job.graph->vertices()[vertex].id.to_string() +
                               " has no subtask " + text};
  return static_cast<std::size_t>(subtask);
}

/// 404 unless `text` is the current attempt of `job`'s subtasks.
void attempt_or_404(const job_info& job, const std::string& text) {
  if (index_param("attempt", text) != job.attempt)
    throw request_error{404, "attempt " + text + " is not the current attempt (" +
                               std::to_string(job.attempt) + ") of job " + job.id.to_string()};
}

} // namespace

void add_job_routes(router& r, rest_context& c) {
  r.add("GET", "/jobs", [&c](auto&, auto&) { return reply{200, jobs_view(c.cluster.jobs()), {}}; });
  r.add("POST", "/jobs", [&c](const httplib::Request& req, auto&) {
    auto body = parse_body(req);
    auto job = body.find("job");
    if (job == body.end() || !job->is_string() || job->get<std::string>().empty())
      throw request_error{400, "the request needs 'job': a built-in job's name or the "
                               "local:// path of a job library"};
    auto request = read_run_request(req, body,
                                    {"job", "programArgs", "programArgsList", "parallelism",
                                     "entryClass", "jobId", "flinkConfiguration", "savepointPath",
                                     "allowNonRestoredState", "restoreMode"},
                                    c.config);
    request.spec.job = job->get<std::string>();
    auto id = submit(c, std::move(request));
    return reply{202, {{"jobUrl", "/jobs/" + id.to_string()}}, {}};
  });
  r.add("GET", "/jobs/overview", [&c](auto&, auto&) {
    return reply{200, jobs_overview_view(c.cluster.jobs(), epoch_millis()), {}};
  });
  r.add("GET", "/jobs/([^/]+)", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{200, job_details_view(job, io_of(c, job), epoch_millis()), {}};
  });
  r.add("PATCH", "/jobs/([^/]+)", [&c](const httplib::Request& req, const std::smatch& m) {
    auto id = job_id_param(m[1]);
    auto mode = query_param(req, "mode").value_or("cancel");
    if (mode != "cancel")
      throw request_error{400, "unsupported mode '" + mode + "': expected mode=cancel"};
    if (!c.web_cancel)
      throw request_error{403, "jobs cannot be cancelled here: web.cancel.enable is false"};
    if (auto cancelled = c.cluster.cancel(id); !cancelled)
      throw request_error{status_of(cancelled.code()), cancelled.error()};
    return reply{202, json::object(), {}};
  });
  r.add("GET", "/jobs/([^/]+)/status", [&c](auto&, const std::smatch& m) {
    return reply{200, job_status_view(job_or_404(c.cluster, m[1])), {}};
  });
  r.add("GET", "/jobs/([^/]+)/config", [&c](auto&, const std::smatch& m) {
    return reply{200, job_config_view(job_or_404(c.cluster, m[1])), {}};
  });
  r.add("GET", "/jobs/([^/]+)/execution-result", [&c](auto&, const std::smatch& m) {
    return reply{200, execution_result_view(job_or_404(c.cluster, m[1])), {}};
  });
  r.add("GET", "/jobs/([^/]+)/accumulators", [&c](auto&, const std::smatch& m) {
    job_or_404(c.cluster, m[1]);
    return reply{200, job_accumulators_view(), {}};
  });
  r.add("GET", "/jobs/([^/]+)/exceptions", [&c](auto&, const std::smatch& m) {
    return reply{200, job_exceptions_view(job_or_404(c.cluster, m[1])), {}};
  });
  r.add("GET", "/jobs/([^/]+)/plan", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{200, plan_json(*job.graph, job.id), {}};
  });
  r.add("GET", "/jobs/([^/]+)/jobmanager/config", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{200, config_entries_view(job.spec ? configuration_of(*job.spec) : c.config), {}};
  });
  r.add("GET", "/jobs/([^/]+)/jobmanager/environment", [&c](auto&, const std::smatch& m) {
    job_or_404(c.cluster, m[1]);
    return reply{200, environment_view(read_process_arguments()), {}};
  });
  r.add("PATCH", "/jobs/([^/]+)/clientHeartbeat",
        [&c](const httplib::Request& req, const std::smatch& m) {
          allow_fields(parse_body(req), {"expiredTimestamp"});
          job_or_404(c.cluster, m[1]);
          return reply{202, json::object(), {}};
        });
  r.add("GET", "/jobs/([^/]+)/resource-requirements", [&c](auto&, const std::smatch& m) {
    return reply{200, resource_requirements_view(job_or_404(c.cluster, m[1])), {}};
  });
  r.add("PUT", "/jobs/([^/]+)/resource-requirements",
        [&c](const httplib::Request& req, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          if (!job.adaptive)
            throw request_error{409, "job " + job.id.to_string() +
                                       " runs with the default scheduler: its resource "
                                       "requirements change only with jobmanager.scheduler: "
                                       "adaptive or scheduler-mode: reactive"};
          auto upper = requested_parallelism(job, parse_body(req));
          if (!upper)
            throw request_error{400, upper.error()};
          if (auto set = c.cluster.set_parallelism_bound(job.id, *upper); !set)
            throw request_error{status_of(set.code()), set.error()};
          return reply{200, json::object(), {}};
        });
  // Vertices, subtasks and their attempts (flink-cpp keeps the current one).
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{
      200, vertex_view(job, vertex_or_404(job, m[2]), io_of(c, job), epoch_millis()), {}};
  });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/taskmanagers", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{
      200,
      vertex_taskmanagers_view(job, vertex_or_404(job, m[2]), io_of(c, job), epoch_millis()),
      {}};
  });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasktimes", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{200, subtask_times_view(job, vertex_or_404(job, m[2]), epoch_millis()), {}};
  });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/accumulators", [&c](auto&, const std::smatch& m) {
    auto job = job_or_404(c.cluster, m[1]);
    return reply{200, vertex_accumulators_view(job, vertex_or_404(job, m[2])), {}};
  });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/accumulators",
        [&c](auto&, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          return reply{200, subtasks_accumulators_view(job, vertex_or_404(job, m[2])), {}};
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/([^/]+)",
        [&c](auto&, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          auto vertex = vertex_or_404(job, m[2]);
          return reply{200,
                       subtask_view(job, vertex, subtask_or_404(job, vertex, m[3]), io_of(c, job),
                                    epoch_millis()),
                       {}};
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/([^/]+)/attempts/([^/]+)",
        [&c](auto&, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          auto vertex = vertex_or_404(job, m[2]);
          auto subtask = subtask_or_404(job, vertex, m[3]);
          attempt_or_404(job, m[4]);
          return reply{200, subtask_view(job, vertex, subtask, io_of(c, job), epoch_millis()), {}};
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/([^/]+)/attempts/([^/]+)/accumulators",
        [&c](auto&, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          auto vertex = vertex_or_404(job, m[2]);
          auto subtask = subtask_or_404(job, vertex, m[3]);
          attempt_or_404(job, m[4]);
          return reply{200, attempt_accumulators_view(job, vertex, subtask), {}};
        });
}

} // namespace flinkcpp::rest

// Every metric path of Flink's REST API: the jobmanager's, the
// taskmanagers' (one, or aggregated), the jobs' (one, or aggregated), a
// vertex's, its subtasks' (one, or aggregated), watermarks and back pressure.
// Taskmanager and task metrics are what taskmanagers reported with their
// heartbeats; the jobmanager's and jobs' come from its own registry. Both
// through the cluster gateway.

#include <algorithm>

#include "rest/metric_views.hpp"
#include "rest/rest_router.hpp"

namespace flinkcpp::rest {

namespace {

/// Samples of `scope` only.
std::vector<metric_sample> of_scope(std::vector<metric_sample> samples, metric_scope scope) {
  samples.erase(std::remove_if(samples.begin(), samples.end(),
                               [scope](const auto& s) { return s.scope_kind() != scope; }),
                samples.end());
  return samples;
}

/// Whether `value` is one of the comma-separated `list` (or there is none).
bool selected(const std::optional<std::string>& list, std::string_view value) {
  if (!list)
    return true;
  std::string_view rest = *list;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    if (rest.substr(0, comma) == value)
      return true;
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return false;
}

reply aggregated(const metric_series& series, const httplib::Request& req) {
  auto view = aggregated_metrics_view(series, query_param(req, "get"), query_param(req, "agg"));
  if (!view)
    throw request_error{400, view.error()};
  return {200, std::move(*view), {}};
}

/// What the subtasks of the vertex in the path reported last.
std::vector<metric_sample> vertex_metrics(rest_context& c, const std::smatch& m) {
  auto job = job_or_404(c.cluster, m[1]);
  vertex_or_404(job, m[2]);
  return vertex_samples(c.cluster.reported_metrics(), job.id.to_string(), m[2]);
}

} // namespace

void add_metric_routes(router& r, rest_context& c) {
  r.add("GET", "/jobmanager/metrics", [&c](const httplib::Request& req, auto&) {
    auto samples = c.cluster.jobmanager_metrics();
    return reply{200,
                 metric_list_view(of_scope(std::move(samples), metric_scope::jobmanager),
                                  query_param(req, "get")),
                 {}};
  });
  r.add("GET", "/taskmanagers/metrics", [&c](const httplib::Request& req, auto&) {
    auto wanted = query_param(req, "taskmanagers");
    std::vector<metric_sample> samples;
    for (const auto& tm : c.cluster.task_managers())
      if (selected(wanted, tm.id))
        for (auto& s : of_scope(c.cluster.reported_metrics(tm.id), metric_scope::taskmanager))
          samples.push_back(std::move(s));
    return aggregated(series_of(samples), req);
  });
  r.add("GET", "/taskmanagers/([^/]+)/metrics",
        [&c](const httplib::Request& req, const std::smatch& m) {
          auto tm = task_manager_or_404(c.cluster, m[1]);
          return reply{
            200,
            metric_list_view(of_scope(c.cluster.reported_metrics(tm.id), metric_scope::taskmanager),
                             query_param(req, "get")),
            {}};
        });
  auto job_samples = [&c](const std::optional<std::string>& jobs) {
    auto all = of_scope(c.cluster.jobmanager_metrics(), metric_scope::jobmanager_job);
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const auto& s) { return !selected(jobs, s.label("job_id")); }),
              all.end());
    return all;
  };
  r.add("GET", "/jobs/metrics", [job_samples](const httplib::Request& req, auto&) {
    return aggregated(series_of(job_samples(query_param(req, "jobs"))), req);
  });
  r.add("GET", "/jobs/([^/]+)/metrics",
        [&c, job_samples](const httplib::Request& req, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          return reply{
            200, metric_list_view(job_samples(job.id.to_string()), query_param(req, "get")), {}};
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/metrics",
        [&c](const httplib::Request& req, const std::smatch& m) {
          return reply{200, metric_list_view(vertex_metrics(c, m), query_param(req, "get")), {}};
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/metrics",
        [&c](const httplib::Request& req, const std::smatch& m) {
          auto wanted = query_param(req, "subtasks");
          auto samples = vertex_metrics(c, m);
          samples.erase(std::remove_if(samples.begin(), samples.end(),
                                       [&](const auto& s) {
                                         return !selected(wanted, s.label("subtask_index"));
                                       }),
                        samples.end());
          return aggregated(series_of(samples, true), req);
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/([^/]+)/metrics",
        [&c](const httplib::Request& req, const std::smatch& m) {
          auto job = job_or_404(c.cluster, m[1]);
          auto vertex = vertex_or_404(job, m[2]);
          auto subtask = index_param("subtask index", m[3]);
          if (subtask >= static_cast<std::int64_t>(job.subtasks[vertex].size()))
            throw request_error{404, "vertex " + m[2].str() + " has no subtask " + m[3].str()};
          std::vector<metric_sample> samples;
          for (auto& s : vertex_samples(c.cluster.reported_metrics(), job.id.to_string(), m[2]))
            if (s.label("subtask_index") == m[3].str()) {
              s.name = s.name.substr(s.name.find('.') + 1);
              samples.push_back(std::move(s));
            }
          return reply{200, metric_list_view(samples, query_param(req, "get")), {}};
        });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/watermarks", [&c](auto&, const std::smatch& m) {
    return reply{200, watermarks_view(vertex_metrics(c, m)), {}};
  });
  r.add("GET", "/jobs/([^/]+)/vertices/([^/]+)/backpressure", [&c](auto&, const std::smatch& m) {
    return reply{200, backpressure_view(vertex_metrics(c, m), epoch_millis()), {}};
  });
}

} // namespace flinkcpp::rest

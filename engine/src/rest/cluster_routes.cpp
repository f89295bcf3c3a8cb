// The cluster's own resources: /config, /overview, /cluster and the
// jobmanager's configuration, environment, logs and threads.

#include <filesystem>

#include "cluster/job_info.hpp"
#include "metrics/process_usage.hpp"
#include "rest/cluster_views.hpp"
#include "rest/rest_router.hpp"

namespace flinkcpp::rest {

namespace {

/// A file of the jobmanager's log as text; 404 when there is none of that name.
reply log_text(const rest_context& c, const std::string& name) {
  if (c.log_file.empty())
    throw request_error{404, "the jobmanager writes no log file (set log.file)"};
  auto content = read_log_file(c.log_file, name);
  if (!content)
    throw request_error{404, content.error() + " in the jobmanager's log directory"};
  return {200, nullptr, std::move(*content)};
}

} // namespace

void add_cluster_routes(router& r, rest_context& c) {
  r.add("GET", "/config", [&c](auto&, auto&) {
    return reply{200, config_view(c.web_submit, c.web_cancel), {}};
  });
  r.add("GET", "/overview", [&c](auto&, auto&) {
    return reply{200, overview_view(c.cluster.task_managers(), c.cluster.jobs()), {}};
  });
  r.add("DELETE", "/cluster", [&c](auto&, auto&) {
    c.shutdown();
    return reply{200, json::object(), {}};
  });
  r.add("GET", "/jobmanager/config", [&c](auto&, auto&) {
    return reply{200, config_entries_view(c.config), {}};
  });
  r.add("GET", "/jobmanager/environment", [](auto&, auto&) {
    return reply{200, environment_view(read_process_arguments()), {}};
  });
  r.add("GET", "/jobmanager/logs", [&c](auto&, auto&) {
    return reply{200, log_list_view(list_log_files(c.log_file)), {}};
  });
  r.add("GET", "/jobmanager/logs/([^/]+)",
        [&c](auto&, const std::smatch& m) { return log_text(c, m[1]); });
  r.add("GET", "/jobmanager/log", [&c](auto&, auto&) {
    return log_text(c, std::filesystem::path{c.log_file}.filename().string());
  });
  r.add("GET", "/jobmanager/stdout", [&c](auto&, auto&) {
    if (c.log_file.empty())
      throw request_error{404, "the jobmanager writes no stdout file: it logs to the console"};
    return log_text(c, stdout_file_name(c.log_file));
  });
  r.add("GET", "/jobmanager/thread-dump", [](auto&, auto&) {
    return reply{200, thread_dump_view(read_threads()), {}};
  });
}

} // namespace flinkcpp::rest

// The taskmanagers: /taskmanagers, each one's details, logs and threads
// (fetched from the taskmanager itself).

#include "rest/cluster_views.hpp"
#include "rest/rest_router.hpp"

namespace flinkcpp::rest {

namespace {

/// A failure asking a taskmanager: 404 when it left, 503 when it did not answer.
template <class T>
[[noreturn]] void refuse(const result<T>& failed) {
  throw request_error{status_of(failed.code()), failed.error()};
}

} // namespace

void add_taskmanager_routes(router& r, rest_context& c) {
  r.add("GET", "/taskmanagers", [&c](auto&, auto&) {
    return reply{200, task_managers_view(c.cluster.task_managers(), epoch_millis()), {}};
  });
  r.add("GET", "/taskmanagers/([^/]+)", [&c](auto&, const std::smatch& m) {
    auto tm = task_manager_or_404(c.cluster, m[1]);
    return reply{
      200, task_manager_details_view(tm, c.cluster.reported_metrics(tm.id), epoch_millis()), {}};
  });
  r.add("GET", "/taskmanagers/([^/]+)/logs", [&c](auto&, const std::smatch& m) {
    auto tm = task_manager_or_404(c.cluster, m[1]);
    auto files = c.cluster.task_manager_logs(tm.id);
    if (!files)
      refuse(files);
    return reply{200, log_list_view(*files), {}};
  });
  auto log = [&c](const std::string& id, const std::string& name) {
    auto tm = task_manager_or_404(c.cluster, id);
    auto content = c.cluster.task_manager_log(tm.id, name);
    if (!content)
      throw request_error{404, "taskmanager " + tm.id + ": " + content.error()};
    return reply{200, nullptr, std::move(*content)};
  };
  r.add("GET", "/taskmanagers/([^/]+)/logs/([^/]+)",
        [log](auto&, const std::smatch& m) { return log(m[1], m[2]); });
  r.add("GET", "/taskmanagers/([^/]+)/log",
        [log](auto&, const std::smatch& m) { return log(m[1], {}); });
  r.add("GET", "/taskmanagers/([^/]+)/thread-dump", [&c](auto&, const std::smatch& m) {
    auto tm = task_manager_or_404(c.cluster, m[1]);
    auto threads = c.cluster.task_manager_threads(tm.id);
    if (!threads)
      refuse(threads);
    return reply{200, thread_dump_view(*threads), {}};
  });
}

} // namespace flinkcpp::rest

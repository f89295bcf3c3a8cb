#include "rest/request_handler.hpp"

#include <filesystem>
#include <regex>

#include "config/core_options.hpp"
#include "rest/cluster_views.hpp"
#include "rest/request_authorizer.hpp"
#include "rest/rest_router.hpp"
#include "rest/web_assets.hpp"
#include "util/logging.hpp"

namespace flinkcpp::rest {

namespace {

rest_context context_of(cluster_gateway& gateway, const configuration& config,
                        std::function<void()> shutdown) {
  auto upload_dir = options::web_upload_dir.get(config);
  if (upload_dir.empty())
    upload_dir = (std::filesystem::temp_directory_path() / "flink-cpp-web-upload").string();
  return {gateway,
          config,
          options::web_submit_enable.get(config),
          options::web_cancel_enable.get(config),
          job_library_store{upload_dir},
          options::log_file.get(config),
          std::move(shutdown)};
}

} // namespace

struct request_handler::impl {
  impl(cluster_gateway& gateway, const configuration& config, std::function<void()> shutdown,
       request_authorizer a)
    : context(context_of(gateway, config, std::move(shutdown))),
      authorizer(std::move(a)) {
    // Fixed paths before the patterns that would take them for ids
    // (/jobs/metrics before /jobs/:jobid).
    add_metric_routes(routes, context);
    add_cluster_routes(routes, context);
    add_taskmanager_routes(routes, context);
    add_checkpoint_routes(routes, context);
    add_jar_routes(routes, context);
    add_job_routes(routes, context);
  }

  /// The answer to a request for the API (not a web UI file) at `path`.
  reply answer(const httplib::Request& req, const std::string& path, httplib::Response& res) const;

  rest_context context;
  request_authorizer authorizer;
  router routes;
  std::shared_ptr<spdlog::logger> log = logger("rest");
};

result<std::unique_ptr<request_handler>> request_handler::make(cluster_gateway& cluster,
                                                               const configuration& config,
                                                               std::function<void()> shutdown) {
  auto authorizer = request_authorizer::from(config);
  if (!authorizer)
    return failure{authorizer.error()};
  return std::unique_ptr<request_handler>{new request_handler{
    std::make_unique<impl>(cluster, config, std::move(shutdown), std::move(*authorizer))}};
}

request_handler::request_handler(std::unique_ptr<impl> state) : impl_(std::move(state)) {}

request_handler::~request_handler() = default;

reply request_handler::impl::answer(const httplib::Request& req, const std::string& path,
                                    httplib::Response& res) const {
  try {
    auto access = authorizer.check(req.method, req.get_header_value("Authorization"));
    if (access.outcome == request_authorizer::verdict::unauthenticated) {
      res.set_header("WWW-Authenticate", R"(Bearer realm="flink-cpp")");
      throw request_error{401, access.message};
    }
    if (access.outcome == request_authorizer::verdict::forbidden)
      throw request_error{403, access.message};
    static const std::regex dot_segment{R"((^|/)\.\.?(/|$))"};
    if (std::regex_search(path, dot_segment))
      throw request_error{400, "the path " + path + " must not contain '.' or '..' segments"};
    std::string allowed;
    try {
      return routes.route(req, path, allowed);
    } catch (const request_error& e) {
      if (e.status == 405)
        res.set_header("Allow", allowed);
      throw;
    }
  } catch (const request_error& e) {
    return {e.status, error_view(e.message), std::nullopt};
  } catch (const std::exception& e) {
    log->error("REST request {} {} failed: {}", req.method, req.path, e.what());
    return {500, error_view(std::string{"internal server error: "} + e.what()), std::nullopt};
  }
}

void request_handler::handle(const httplib::Request& req, httplib::Response& res) const {
  if (req.method == "GET") {
    if (const auto* asset = find_web_asset(req.path)) { // the web UI
      res.status = 200;
      res.set_content(asset->bytes.data(), asset->bytes.size(), std::string{asset->content_type});
      return;
    }
  }
  std::string path = req.path;
  if (path.rfind("/v1/", 0) == 0)
    path.erase(0, 3);
  auto r = impl_->answer(req, path, res);
  res.status = r.status;
  if (r.text)
    res.set_content(*r.text, "text/plain; charset=utf-8");
  else
    res.set_content(response_text(r.body), "application/json");
}

} // namespace flinkcpp::rest

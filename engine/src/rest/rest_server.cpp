#include "rest/rest_server.hpp"

#include <filesystem>
#include <thread>

#include "config/core_options.hpp"
#include "rest/cluster_views.hpp"
#include "rest/request_authorizer.hpp"
#include "rest/rest_router.hpp"
#include "rest/web_assets.hpp"
#include "security/tls_context.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

rest::rest_context context_of(cluster_gateway& gateway, const configuration& config,
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

struct rest_server::impl {
  impl(cluster_gateway& gateway, const configuration& config, std::function<void()> shutdown)
    : context(context_of(gateway, config, std::move(shutdown))) {
    // Fixed paths before the patterns that would take them for ids
    // (/jobs/metrics before /jobs/:jobid).
    rest::add_metric_routes(routes, context);
    rest::add_cluster_routes(routes, context);
    rest::add_taskmanager_routes(routes, context);
    rest::add_checkpoint_routes(routes, context);
    rest::add_jar_routes(routes, context);
    rest::add_job_routes(routes, context);
  }

  /// An HTTP server, or an HTTPS one with security.ssl.rest.enabled; fails
  /// naming the key of bad key material.
  result<void> make_server() {
    auto tls = security::rest_tls_settings(context.config);
    if (!tls.enabled) {
      server = std::make_unique<httplib::Server>();
      return {};
    }
    auto loaded = security::tls_credentials::load(tls, security::tls_side::server);
    if (!loaded)
      return failure{loaded.error()};
    credentials = std::move(*loaded);
    result<void> configured;
    auto https = std::make_unique<httplib::SSLServer>([this, &configured](SSL_CTX& ctx) {
      configured = credentials->configure(ctx, security::tls_side::server);
      return configured.ok();
    });
    if (!https->is_valid())
      return failure{configured ? "OpenSSL cannot make a TLS context" : configured.error()};
    server = std::move(https);
    return {};
  }

  /// Routes every request of `server` to serve().
  void install() {
    const auto& c = context.config;
    server->set_payload_max_length(
      static_cast<std::size_t>(options::rest_max_content_length.get(c)));
    for (auto method : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
                        &httplib::Server::Patch, &httplib::Server::Delete})
      ((*server).*method)(
        ".*", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
    // cpp-httplib 0.11 reads the body of a POST, PUT, PATCH or DELETE that has
    // neither Content-Length nor Transfer-Encoding until the peer closes (curl
    // -X PATCH sends such requests). HTTP/1.1 says such a request has no body
    // (RFC 9112, 6.3), so it is answered before httplib starts reading one.
    server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.method == "GET" || req.has_header("Content-Length") ||
          req.has_header("Transfer-Encoding"))
        return httplib::Server::HandlerResponse::Unhandled;
      serve(req, res);
      return httplib::Server::HandlerResponse::Handled;
    });
    server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty())
        return;
      std::string message;
      switch (res.status) {
        case 400:
          message = "malformed HTTP request for " + req.path;
          break;
        case 413:
          message = "the request body is too large (rest.server.max-content-length)";
          break;
        default:
          message = "request to " + req.path + " failed with HTTP " + std::to_string(res.status);
      }
      res.set_content(rest::error_view(message).dump(), "application/json");
    });
  }

  void serve(const httplib::Request& req, httplib::Response& res);

  rest::rest_context context;
  rest::request_authorizer authorizer; ///< loaded by start()
  rest::router routes;
  std::shared_ptr<const security::tls_credentials> credentials; ///< with HTTPS only
  std::unique_ptr<httplib::Server> server;                      ///< made by start()
  std::thread thread;
  std::shared_ptr<spdlog::logger> log = logger("rest");
};

void rest_server::impl::serve(const httplib::Request& req, httplib::Response& res) {
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
  rest::reply r;
  try {
    auto access = authorizer.check(req.method, req.get_header_value("Authorization"));
    if (access.outcome == rest::request_authorizer::verdict::unauthenticated) {
      res.set_header("WWW-Authenticate", R"(Bearer realm="flink-cpp")");
      throw rest::request_error{401, access.message};
    }
    if (access.outcome == rest::request_authorizer::verdict::forbidden)
      throw rest::request_error{403, access.message};
    static const std::regex dot_segment{R"((^|/)\.\.?(/|$))"};
    if (std::regex_search(path, dot_segment))
      throw rest::request_error{400, "the path " + path + " must not contain '.' or '..' segments"};
    std::string allowed;
    try {
      r = routes.route(req, path, allowed);
    } catch (const rest::request_error& e) {
      if (e.status == 405)
        res.set_header("Allow", allowed);
      throw;
    }
  } catch (const rest::request_error& e) {
    r = {e.status, rest::error_view(e.message), std::nullopt};
  } catch (const std::exception& e) {
    log->error("REST request {} {} failed: {}", req.method, req.path, e.what());
    r = {500, rest::error_view(std::string{"internal server error: "} + e.what()), std::nullopt};
  }
  res.status = r.status;
  if (r.text)
    res.set_content(*r.text, "text/plain; charset=utf-8");
  else
    res.set_content(r.body.dump(), "application/json");
}

rest_server::rest_server(cluster_gateway& cluster, const configuration& config,
                         std::function<void()> shutdown)
  : impl_(std::make_unique<impl>(cluster, config, std::move(shutdown))) {}

rest_server::~rest_server() {
  stop();
}

result<std::uint16_t> rest_server::start(const std::string& address, std::uint16_t port) {
  auto authorizer = rest::request_authorizer::from(impl_->context.config);
  if (!authorizer)
    return failure{"cannot serve the REST API: " + authorizer.error()};
  impl_->authorizer = std::move(*authorizer);
  if (auto made = impl_->make_server(); !made)
    return failure{"cannot serve the REST API over HTTPS: " + made.error()};
  impl_->install();
  int bound = port;
  if (port == 0)
    bound = impl_->server->bind_to_any_port(address);
  else if (!impl_->server->bind_to_port(address, port))
    bound = -1;
  if (bound <= 0)
    return failure{"cannot serve the REST API on " + address + ":" + std::to_string(port) +
                   " (rest.bind-address, rest.port): the address is in use or not available"};
  impl_->thread = std::thread([this] { impl_->server->listen_after_bind(); });
  return static_cast<std::uint16_t>(bound);
}

void rest_server::stop() {
  if (!impl_->thread.joinable())
    return;
  impl_->server->stop();
  impl_->thread.join();
}

} // namespace flinkcpp

#include "rest/rest_server.hpp"

#include <sys/socket.h>

#include <charconv>
#include <optional>
#include <thread>

#include <httplib.h>

#include "config/core_options.hpp"
#include "rest/cluster_views.hpp"
#include "rest/elastic_task_queue.hpp"
#include "rest/request_handler.hpp"
#include "security/tls_context.hpp"

namespace flinkcpp {

namespace {

// Every open connection holds a thread (see elastic_task_queue): a few for
// the usual clients, as many as idle or slow clients take up to the most,
// handed back after a minute without work.
constexpr std::size_t core_threads = 4;
constexpr std::size_t max_threads = 4096;
constexpr std::chrono::seconds idle_thread_timeout{60};

} // namespace

struct rest_server::impl {
  impl(cluster_gateway& gateway, const configuration& c, std::function<void()> shutdown)
    : cluster(gateway),
      config(c),
      on_shutdown(std::move(shutdown)) {}

  /// An HTTP server, or an HTTPS one with security.ssl.rest.enabled; fails
  /// naming the key of bad key material.
  result<void> make_server() {
    auto tls = security::rest_tls_settings(config);
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

  /// Routes every request of `server` to the handler.
  void install() {
    auto max_length = static_cast<std::size_t>(options::rest_max_content_length.get(config));
    server->new_task_queue = [] {
      return new rest::elastic_task_queue(core_threads, max_threads, idle_thread_timeout);
    };
    server->set_payload_max_length(max_length);
    server->set_socket_options([this](int sock) {
      httplib::default_socket_options(sock);
      listening_socket = sock;
    });
    for (auto method : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
                        &httplib::Server::Patch, &httplib::Server::Delete})
      ((*server).*method)(".*", [this](const httplib::Request& req, httplib::Response& res) {
        handler->handle(req, res);
      });
    // cpp-httplib 0.11 reads the body of a POST, PUT, PATCH or DELETE that has
    // neither Content-Length nor Transfer-Encoding until the peer closes (curl
    // -X PATCH sends such requests). HTTP/1.1 says such a request has no body
    // (RFC 9112, 6.3), so it is answered before httplib starts reading one.
    //
    // A body longer than rest.server.max-content-length is refused as soon
    // as its Content-Length says so, and a chunked one at once (httplib 0.11
    // would read either to its end, however long, before refusing it); the
    // connection is closed unread.
    server->set_pre_routing_handler(
      [this, max_length](const httplib::Request& req, httplib::Response& res) {
        auto refuse = [&res](int status, const std::string& message) {
          res.status = status;
          res.set_header("Connection", "close");
          res.set_content(rest::response_text(rest::error_view(message)), "application/json");
          return httplib::Server::HandlerResponse::Handled;
        };
        if (auto length = declared_length(req); length && *length > max_length)
          return refuse(413, "the request body of " + std::to_string(*length) +
                               " bytes is too large: rest.server.max-content-length is " +
                               std::to_string(max_length) + " bytes");
        if (req.has_header("Transfer-Encoding"))
          return refuse(411, "send the request body with a Content-Length: chunked bodies are "
                             "not accepted");
        if (req.method == "GET" || req.has_header("Content-Length"))
          return httplib::Server::HandlerResponse::Unhandled;
        handler->handle(req, res);
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
      res.set_content(rest::response_text(rest::error_view(message)), "application/json");
    });
  }

  /// The request's Content-Length, if it has one that is a number (any
  /// other is httplib's to refuse).
  static std::optional<std::uint64_t> declared_length(const httplib::Request& req) {
    if (!req.has_header("Content-Length"))
      return std::nullopt;
    auto text = req.get_header_value("Content-Length");
    std::uint64_t length = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (ec != std::errc{} || end != text.data() + text.size())
      return ec == std::errc::result_out_of_range ? std::optional{UINT64_MAX} : std::nullopt;
    return length;
  }

  cluster_gateway& cluster;
  configuration config;
  std::function<void()> on_shutdown;
  std::unique_ptr<rest::request_handler> handler;               ///< made by start()
  std::shared_ptr<const security::tls_credentials> credentials; ///< with HTTPS only
  std::unique_ptr<httplib::Server> server;                      ///< made by start()
  std::thread thread;
  int listening_socket = -1; ///< the REST port's, once bound
};

rest_server::rest_server(cluster_gateway& cluster, const configuration& config,
                         std::function<void()> shutdown)
  : impl_(std::make_unique<impl>(cluster, config, std::move(shutdown))) {}

rest_server::~rest_server() {
  stop();
}

result<std::uint16_t> rest_server::start(const std::string& address, std::uint16_t port) {
  auto handler = rest::request_handler::make(impl_->cluster, impl_->config, impl_->on_shutdown);
  if (!handler)
    return failure{"cannot serve the REST API: " + handler.error()};
  impl_->handler = std::move(*handler);
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
  // Debian's httplib listens with a backlog of 5: a burst of a few hundred
  // clients would have its connections dropped and retried for minutes.
  // listen() again on the bound socket widens the queue (the kernel caps it
  // at net.core.somaxconn).
  ::listen(impl_->listening_socket, SOMAXCONN);
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

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cluster/cluster_gateway.hpp"
#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// The jobmanager's REST API (Flink's paths and JSON shapes) on its own
/// threads; handlers reach the cluster through a cluster_gateway. Errors are
/// {"errors": [...]} with a 4xx or 5xx status: unknown paths and ids 404, wrong
/// methods 405, malformed bodies 400, oversized bodies 413 (from their
/// Content-Length, unread) and chunked ones 411, a missing or wrong
/// bearer token 401 and a read-only token's change 403 (rest.authentication.*,
/// see rest::request_authorizer; the web UI's own files need no token).
/// Every open connection is served on a thread of its own, up to 4096 at once
/// (rest::elastic_task_queue), so idle or slow clients do not keep others
/// waiting. Thread-safe.
class rest_server {
public:
  /// `config` is the jobmanager's configuration: it is shown at
  /// /jobmanager/config, and jobs submitted over REST start from it.
  /// `shutdown` shuts the jobmanager down (DELETE /cluster), from a REST thread.
  rest_server(cluster_gateway& cluster, const configuration& config,
              std::function<void()> shutdown);
  ~rest_server();

  rest_server(const rest_server&) = delete;
  rest_server& operator=(const rest_server&) = delete;

  /// Reads the token files and, with security.ssl.rest.enabled, the TLS key
  /// material (HTTPS; client certificates required with
  /// security.ssl.rest.authentication-enabled), binds to `address`:`port`
  /// (0: any free port) and serves on a background thread. Fails naming the
  /// key when a token file or key material cannot be read, or the address
  /// when the port cannot be bound.
  result<std::uint16_t> start(const std::string& address, std::uint16_t port);

  /// Stops serving and joins the thread. Idempotent.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace flinkcpp

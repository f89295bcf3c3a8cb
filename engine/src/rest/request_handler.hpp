#pragma once

#include <functional>
#include <memory>

#include "cluster/cluster_gateway.hpp"
#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace httplib {
struct Request;
struct Response;
} // namespace httplib

namespace flinkcpp::rest {

/// What the REST API answers to one parsed request, apart from the
/// transport (rest_server serves it over HTTP or HTTPS): the web UI's files,
/// the bearer token check (rest.authentication.*), the path checks and the
/// routes (Flink's paths and JSON shapes). Every failure becomes a 4xx or 5xx
/// answer of {"errors": [...]}; nothing escapes handle().
/// Thread-safe once made; outlives no request it handles.
class request_handler {
public:
  /// `config` is the jobmanager's configuration: it is shown at
  /// /jobmanager/config, and jobs submitted over REST start from it.
  /// `shutdown` shuts the jobmanager down (DELETE /cluster). Fails naming
  /// the option when a token file cannot be read.
  static result<std::unique_ptr<request_handler>>
  make(cluster_gateway& cluster, const configuration& config, std::function<void()> shutdown);

  ~request_handler();
  request_handler(const request_handler&) = delete;
  request_handler& operator=(const request_handler&) = delete;

  /// Answers `req` into `res` (status, headers, body).
  void handle(const httplib::Request& req, httplib::Response& res) const;

private:
  struct impl;
  explicit request_handler(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

} // namespace flinkcpp::rest

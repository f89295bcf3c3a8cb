#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "security/tls_settings.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Where and how the CLI reaches a jobmanager's REST API.
struct rest_endpoint {
  std::string address;    ///< "host:port", "http://host:port" or "https://host:port" (as `-m`)
  std::string token_file; ///< rest.authentication.token-file: sent as a bearer token; may be empty
  /// security.ssl.rest.*: HTTPS when enabled (or asked for by https://), with
  /// its truststore (else the system's) and, when clients authenticate, its
  /// keystore.
  security::tls_settings tls;
};

/// A client of the jobmanager's REST API. Failures are one line: an
/// unreachable address names the address; an error response carries the
/// server's {"errors": [...]} message. Not thread-safe.
class rest_client {
public:
  /// A client of `jobmanager`; fails naming the address when it is
  /// malformed, the file when its token file cannot be read, or the key of
  /// bad TLS key material. A TLS handshake that fails is explained by a
  /// probe (tls_probe) in the request's error.
  static result<rest_client> connect_to(const rest_endpoint& jobmanager);

  rest_client(rest_client&&) noexcept;
  rest_client& operator=(rest_client&&) noexcept;
  ~rest_client();

  result<nlohmann::json> get(const std::string& path);
  result<nlohmann::json> post(const std::string& path, const nlohmann::json& body);
  result<nlohmann::json> patch(const std::string& path);

  /// Uploads a file as multipart field `field` (POST /jars/upload).
  result<nlohmann::json> upload(const std::string& path, const std::string& field,
                                const std::string& file_name, std::string content);

  /// "http://host:port" or "https://host:port", for messages.
  const std::string& url() const { return url_; }

private:
  struct impl;
  rest_client(std::unique_ptr<impl> impl, std::string url);
  std::unique_ptr<impl> impl_;
  std::string url_;
};

} // namespace flinkcpp

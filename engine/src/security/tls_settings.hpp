#pragma once

#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "security/key_material.hpp"

namespace flinkcpp::security {

/// What one kind of connection asks of TLS, from Flink's security.ssl.* keys:
/// internal (RPC and data between flink-cpp processes) or REST. A plain
/// value; `config` must have passed validation.
struct tls_settings {
  bool enabled = false;
  std::string name; ///< "internal" or "REST", for messages
  store_location keystore;
  store_location truststore;
  /// Servers require a client certificate: always for internal TLS,
  /// security.ssl.rest.authentication-enabled for REST.
  bool mutual = false;
  /// A client must be given a truststore (internal TLS); else it trusts the
  /// system's authorities when none is named (REST).
  bool client_needs_truststore = false;
  bool verify_hostname = true;
  bool allow_tls12 = true;
  bool allow_tls13 = true;
  std::vector<std::string> algorithms; ///< IANA names; empty: OpenSSL's defaults
};

tls_settings internal_tls_settings(const configuration& config);
tls_settings rest_tls_settings(const configuration& config);

} // namespace flinkcpp::security

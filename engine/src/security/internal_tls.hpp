#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "flinkcpp/configuration.hpp"
#include "security/memory_file.hpp"
#include "security/tls_context.hpp"
#include "util/result.hpp"

namespace flinkcpp::security {

/// Internal TLS (security.ssl.internal.*) as CAF's OpenSSL module takes it:
/// this process's key material, loaded and checked, in memory files whose
/// paths go to CAF's openssl.certificate, .key and .cafile; and OpenSSL's
/// process-wide defaults set to security.ssl.protocol and the TLS 1.3 suites
/// of security.ssl.algorithms (CAF sets no versions and fixes its TLS 1.2
/// suites to OpenSSL's HIGH list, so TLS 1.2 suites cannot be chosen for
/// internal connections: asking for them is an error). Keep the object alive
/// as long as the actor system. Not copyable.
class internal_tls {
public:
  /// Null when security.ssl.internal.enabled is false. Fails naming the key
  /// on bad key material (see tls_credentials::load) or a TLS 1.2 suite in
  /// security.ssl.algorithms while TLSv1.2 is allowed.
  static result<std::unique_ptr<internal_tls>> load(const configuration& config);

  const std::string& certificate_file() const { return certificate_.path(); }
  const std::string& key_file() const { return key_.path(); }
  const std::string& authorities_file() const { return authorities_.path(); }

  /// A TLS handshake with another flink-cpp process as this one would make
  /// it: empty when it succeeds, else why it failed (see tls_probe).
  result<void> probe(const std::string& host, std::uint16_t port,
                     std::chrono::milliseconds timeout) const;

private:
  internal_tls(std::shared_ptr<const tls_credentials> credentials, memory_file chain,
               memory_file key, memory_file authorities);

  std::shared_ptr<const tls_credentials> credentials_;
  memory_file certificate_;
  memory_file key_;
  memory_file authorities_;
};

} // namespace flinkcpp::security

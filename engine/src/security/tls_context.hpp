#pragma once

#include <memory>
#include <string>
#include <vector>

#include <openssl/types.h>

#include "security/key_material.hpp"
#include "security/tls_settings.hpp"
#include "util/result.hpp"

namespace flinkcpp::security {

/// Which end of a connection a context is for.
enum class tls_side { server, client };

/// One kind of connection's TLS, loaded and checked: its settings, this
/// process's identity, the authorities it trusts and the cipher suites in
/// OpenSSL's names. Immutable once loaded; thread-safe to share.
class tls_credentials {
public:
  /// Loads what `settings` ask of `side`. A server needs a keystore, and a
  /// truststore when clients authenticate; a client a keystore when it must
  /// authenticate, and trusts the system's authorities when no truststore is
  /// named. Fails, naming the key, on missing or bad key material, an expired
  /// own certificate, or a cipher suite OpenSSL does not know or no allowed
  /// TLS version could use.
  static result<std::shared_ptr<const tls_credentials>> load(const tls_settings& settings,
                                                             tls_side side);

  /// Sets up `ctx` for `side`: TLS versions, cipher suites, this process's
  /// certificate chain and key, the trusted authorities and peer
  /// verification (a server requires client certificates when mutual; a
  /// client checks the server's chain, and that its certificate names
  /// `peer_host` when verify_hostname is set). A server context logs each
  /// refused handshake once, naming the peer's address and why. `ctx` must
  /// not outlive this object.
  result<void> configure(SSL_CTX& ctx, tls_side side, const std::string& peer_host = {}) const;

  const tls_settings& settings() const { return settings_; }
  /// Null when this side presents no certificate.
  const identity* own() const { return own_.key ? &own_ : nullptr; }
  const std::vector<certificate>& trusted() const { return trusted_; }
  /// TLS 1.2 suites in OpenSSL's names, ':'-separated; empty: the defaults.
  const std::string& tls12_ciphers() const { return tls12_ciphers_; }
  /// TLS 1.3 suites, ':'-separated; empty: the defaults.
  const std::string& tls13_ciphersuites() const { return tls13_ciphersuites_; }

private:
  tls_settings settings_;
  identity own_;
  std::vector<certificate> trusted_;
  std::string tls12_ciphers_;
  std::string tls13_ciphersuites_;
};

} // namespace flinkcpp::security

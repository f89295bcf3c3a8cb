#include "security/tls_context.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "util/logging.hpp"

namespace flinkcpp::security {

namespace {

/// TLS 1.3's suites keep their IANA names in OpenSSL.
bool is_tls13_suite(const std::string& name) {
  return name.rfind("TLS_AES_", 0) == 0 || name.rfind("TLS_CHACHA20_", 0) == 0;
}

result<void> split_suites(const tls_settings& s, std::string& tls12, std::string& tls13) {
  for (const auto& name : s.algorithms) {
    auto& list = is_tls13_suite(name) ? tls13 : tls12;
    std::string openssl_name = name;
    if (!is_tls13_suite(name)) {
      const char* mapped = OPENSSL_cipher_name(name.c_str());
      if (!mapped || std::string{mapped} == "(NONE)")
        return failure{"security.ssl.algorithms: OpenSSL does not know the cipher suite '" + name +
                       "'"};
      openssl_name = mapped;
    }
    list += (list.empty() ? "" : ":") + openssl_name;
  }
  if (s.algorithms.empty())
    return {};
  if (s.allow_tls12 && tls12.empty())
    return failure{"security.ssl.algorithms names no TLS 1.2 cipher suite, but "
                   "security.ssl.protocol allows TLSv1.2: name one, or allow TLSv1.3 only"};
  if (s.allow_tls13 && tls13.empty())
    return failure{"security.ssl.algorithms names no TLS 1.3 cipher suite (such as "
                   "TLS_AES_128_GCM_SHA256), but security.ssl.protocol allows TLSv1.3: name one, "
                   "or allow TLSv1.2 only"};
  return {};
}

int credentials_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::string peer_address(const SSL* ssl) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  auto fd = SSL_get_fd(ssl);
  if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    return "an unknown address";
  char host[INET6_ADDRSTRLEN] = "?";
  std::uint16_t port = 0;
  if (address.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
    port = ntohs(a.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
    port = ntohs(a.sin6_port);
  }
  return std::string{host} + ":" + std::to_string(port);
}

/// A server's verification: logs a refused client certificate once (at the
/// depth where it failed), naming the peer and the reason.
int log_refused_certificate(int preverified, X509_STORE_CTX* store) {
  if (preverified == 1)
    return 1;
  auto* ssl =
    static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const auto* credentials = static_cast<const tls_credentials*>(
    SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), credentials_index()));
  auto* presented = X509_STORE_CTX_get_current_cert(store);
  logger("security")
    ->warn("{} TLS refused the connection from {}: its certificate ({}) is not accepted: {} "
           "(checked against {}).",
           credentials ? credentials->settings().name : "TLS", peer_address(ssl),
           presented ? subject_of(*presented) : std::string{"none"},
           X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)),
           credentials ? credentials->settings().truststore.key : "the truststore");
  return 0;
}

/// A server's failed handshake that was not about the client's certificate
/// (log_refused_certificate tells those): a plaintext client, no common TLS
/// version or cipher suite. Logged once, naming the peer.
void log_failed_handshake(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_EXIT) == 0 || ret > 0 || SSL_get_verify_result(ssl) != X509_V_OK)
    return;
  auto error = ERR_peek_last_error();
  if (error == 0)
    return; // waiting for the peer, not failed
  if (ERR_GET_REASON(error) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    ERR_clear_error(); // closed before a word: a TCP probe (Kubernetes's), not a peer
    return;
  }
  char reason[256];
  ERR_error_string_n(error, reason, sizeof reason);
  const auto* credentials = static_cast<const tls_credentials*>(
    SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), credentials_index()));
  std::string why;
  switch (ERR_GET_REASON(error)) {
    case SSL_R_HTTP_REQUEST:
      why = "it sent plain HTTP (this port speaks HTTPS)";
      break;
    case SSL_R_WRONG_VERSION_NUMBER:
      why = "it does not speak TLS";
      break;
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      why = "it presented no certificate, which this server requires";
      break;
    case SSL_R_UNSUPPORTED_PROTOCOL:
      why = "it has no TLS version in common with security.ssl.protocol";
      break;
    case SSL_R_NO_SHARED_CIPHER:
      why = "it has no cipher suite in common with security.ssl.algorithms";
      break;
    default:
      why = std::string{"the TLS handshake failed: "} + reason;
  }
  logger("security")
    ->warn("{} TLS refused the connection from {}: {}.",
           credentials ? credentials->settings().name : "TLS", peer_address(ssl), why);
  ERR_clear_error();
}

} // namespace

result<std::shared_ptr<const tls_credentials>> tls_credentials::load(const tls_settings& s,
                                                                     tls_side side) {
  auto out = std::make_shared<tls_credentials>();
  out->settings_ = s;
  bool needs_identity = side == tls_side::server || s.mutual;
  bool needs_trust = side == tls_side::client ? s.client_needs_truststore : s.mutual;
  auto asked = [&s](const store_location& store, const std::string& purpose) {
    return failure{"TLS for " + s.name + " connections needs " + store.key + " (" + purpose +
                   "), which is not set"};
  };
  if (needs_identity) {
    if (s.keystore.path.empty())
      return asked(s.keystore, "this side's private key and certificate");
    auto own = load_keystore(s.keystore);
    if (!own)
      return failure{own.error()};
    out->own_ = std::move(*own);
  }
  if (!s.truststore.path.empty()) {
    auto trusted = load_truststore(s.truststore);
    if (!trusted)
      return failure{trusted.error()};
    out->trusted_ = std::move(*trusted);
  } else if (needs_trust) {
    return asked(s.truststore, "the authorities whose certificates peers may present");
  }
  if (auto suites = split_suites(s, out->tls12_ciphers_, out->tls13_ciphersuites_); !suites)
    return failure{suites.error()};
  return std::shared_ptr<const tls_credentials>{std::move(out)};
}

result<void> tls_credentials::configure(SSL_CTX& ctx, tls_side side,
                                        const std::string& peer_host) const {
  auto fail = [this](const std::string& what) {
    return failure{"cannot set up " + settings_.name + " TLS: " + what + ": " +
                   drain_openssl_errors()};
  };
  SSL_CTX_set_min_proto_version(&ctx, settings_.allow_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION);
  SSL_CTX_set_max_proto_version(&ctx, settings_.allow_tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
  if (!tls12_ciphers_.empty() && SSL_CTX_set_cipher_list(&ctx, tls12_ciphers_.c_str()) != 1)
    return fail("the TLS 1.2 cipher suites of security.ssl.algorithms");
  if (!tls13_ciphersuites_.empty() &&
      SSL_CTX_set_ciphersuites(&ctx, tls13_ciphersuites_.c_str()) != 1)
    return fail("the TLS 1.3 cipher suites of security.ssl.algorithms");
  if (const auto* own = this->own()) {
    if (SSL_CTX_use_certificate(&ctx, own->chain.front().get()) != 1 ||
        SSL_CTX_use_PrivateKey(&ctx, own->key.get()) != 1)
      return fail("the certificate and key of " + settings_.keystore.key);
    for (std::size_t i = 1; i < own->chain.size(); ++i)
      if (SSL_CTX_add1_chain_cert(&ctx, own->chain[i].get()) != 1)
        return fail("the certificate chain of " + settings_.keystore.key);
  }
  auto* store = SSL_CTX_get_cert_store(&ctx);
  if (trusted_.empty()) {
    if (SSL_CTX_set_default_verify_paths(&ctx) != 1)
      return fail("the system's trusted authorities");
  }
  for (const auto& c : trusted_)
    if (X509_STORE_add_cert(store, c.get()) != 1)
      return fail("the authorities of " + settings_.truststore.key);
  if (side == tls_side::server) {
    SSL_CTX_set_ex_data(&ctx, credentials_index(), const_cast<tls_credentials*>(this));
    SSL_CTX_set_verify(
      &ctx, settings_.mutual ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_NONE,
      log_refused_certificate);
    SSL_CTX_set_info_callback(&ctx, log_failed_handshake);
  } else {
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    if (settings_.verify_hostname && !peer_host.empty()) {
      auto* param = SSL_CTX_get0_param(&ctx);
      if (X509_VERIFY_PARAM_set1_ip_asc(param, peer_host.c_str()) != 1) {
        ERR_clear_error(); // a name, not an address
        X509_VERIFY_PARAM_set1_host(param, peer_host.c_str(), peer_host.size());
      }
    }
  }
  return {};
}

} // namespace flinkcpp::security

#include "security/tls_probe.hpp"

#include <poll.h>
#include <unistd.h>

#include <memory>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "util/local_address.hpp"

namespace flinkcpp::security {

namespace {

struct ssl_ctx_free {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct ssl_free {
  void operator()(SSL* s) const { SSL_free(s); }
};

/// Why a handshake failed, from OpenSSL's reason.
std::string reason_of(const tls_credentials& credentials, SSL& ssl, const std::string& error) {
  const auto& s = credentials.settings();
  auto verified = SSL_get_verify_result(&ssl);
  if (verified != X509_V_OK)
    return std::string{"its certificate is not accepted here: "} +
           X509_verify_cert_error_string(verified) + " (checked against " + s.truststore.key + ")";
  if (error.find("alert") != std::string::npos)
    return "it refused this process's certificate or TLS parameters (" + error +
           "): it must trust the authority of " + s.keystore.key +
           " and allow a common "
           "security.ssl.protocol and cipher suite";
  if (error.find("wrong version number") != std::string::npos ||
      error.find("packet length too long") != std::string::npos ||
      error.find("unexpected eof") != std::string::npos || error.empty())
    return "it does not speak TLS (is security.ssl." +
           std::string{s.name == "internal" ? "internal" : "rest"} + ".enabled set there?)";
  return "the TLS handshake failed: " + error;
}

/// How long a finished handshake waits for a server's late refusal.
constexpr std::chrono::milliseconds refusal_wait{500};

} // namespace

result<void> tls_probe(const tls_credentials& credentials, const std::string& host,
                       std::uint16_t port, std::chrono::milliseconds timeout) {
  auto where = host + ":" + std::to_string(port);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_ptr<SSL_CTX, ssl_ctx_free> ctx{SSL_CTX_new(TLS_client_method())};
  if (!ctx)
    return failure{"cannot set up a TLS client: " + drain_openssl_errors()};
  if (auto configured = credentials.configure(*ctx, tls_side::client, host); !configured)
    return configured;
  auto fd = connect_within(host, port, timeout);
  if (!fd)
    return failure{fd.error()};
  std::unique_ptr<SSL, ssl_free> ssl{SSL_new(ctx.get())};
  SSL_set_fd(ssl.get(), *fd);
  result<void> outcome;
  while (true) {
    ERR_clear_error();
    int r = SSL_connect(ssl.get());
    if (r == 1)
      break;
    int e = SSL_get_error(ssl.get(), r);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) && left.count() > 0) {
      pollfd p{*fd, static_cast<short>(e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) >= 0)
        continue;
    }
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      outcome =
        failure{"the TLS handshake with " + where + " did not finish within " +
                std::to_string(timeout.count()) + " ms: it does not speak TLS, or does not answer"};
      break;
    }
    outcome =
      failure{where + " refused the TLS connection: " +
              reason_of(credentials, *ssl, e == SSL_ERROR_SYSCALL ? "" : drain_openssl_errors())};
    break;
  }
  // With TLS 1.3 a server checks the client's certificate after the client
  // finished its handshake: its refusal comes as the first record read.
  if (outcome) {
    pollfd p{*fd, POLLIN, 0};
    char byte = 0;
    ERR_clear_error();
    int peeked =
      ::poll(&p, 1, static_cast<int>(refusal_wait.count())) > 0 ? SSL_peek(ssl.get(), &byte, 1) : 1;
    if (peeked <= 0 && SSL_get_error(ssl.get(), peeked) == SSL_ERROR_SSL)
      outcome = failure{where + " refused the TLS connection: " +
                        reason_of(credentials, *ssl, drain_openssl_errors())};
    else
      SSL_shutdown(ssl.get());
  }
  ssl.reset();
  ::close(*fd);
  return outcome;
}

} // namespace flinkcpp::security

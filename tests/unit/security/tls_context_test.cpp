// OpenSSL contexts set up from security.ssl.*: handshakes between a server
// and a client context in memory (a BIO pair) show mutual authentication,
// refused foreign certificates, host name checks, TLS versions and cipher
// suites as configured; bad suites are refused when the key material loads.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include <openssl/ssl.h>

#include "config/security_options.hpp"
#include "security/internal_tls.hpp"
#include "security/tls_context.hpp"
#include "support/result_message.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"

using namespace flinkcpp;
using namespace flinkcpp::security;
using flinkcpp::testing::error_of;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::test_authority;

namespace {

struct ctx_free {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct ssl_free {
  void operator()(SSL* s) const { SSL_free(s); }
};
using ctx_ptr = std::unique_ptr<SSL_CTX, ctx_free>;
using ssl_ptr = std::unique_ptr<SSL, ssl_free>;

/// What a handshake in memory came to.
struct handshake_outcome {
  bool ok = false;
  std::string cipher;  ///< the suite's OpenSSL name, when ok
  std::string version; ///< "TLSv1.2" or "TLSv1.3", when ok
  long client_verify = X509_V_OK;
};

struct tls_fixture {
  temp_dir dir;
  test_authority authority{"cluster CA"};
  test_authority stranger{"another CA"};

  tls_fixture() {
    authority.write_truststore(dir.file("ca.pem"));
    authority.issue_pem(dir.file("node.pem"), {"node"});
    stranger.issue_pem(dir.file("foreign.pem"), {"intruder"});
  }

  /// The internal (or, with `rest`, REST) settings of `extra` keys on top
  /// of a keystore and a truststore.
  tls_settings settings(bool rest, const std::string& keystore = "node.pem",
                        std::initializer_list<std::pair<std::string, std::string>> extra = {}) {
    configuration c;
    auto prefix = std::string{"security.ssl."} + (rest ? "rest." : "internal.");
    c.set(prefix + "enabled", "true");
    c.set(prefix + "keystore", dir.file(keystore));
    c.set(prefix + "truststore", dir.file("ca.pem"));
    for (const auto& [k, v] : extra)
      c.set(k, v);
    return rest ? rest_tls_settings(c) : internal_tls_settings(c);
  }

  ctx_ptr context(const tls_settings& s, tls_side side, const std::string& host = {}) {
    auto credentials = tls_credentials::load(s, side);
    BOOST_TEST_REQUIRE(credentials.ok(), error_of(credentials));
    kept.push_back(*credentials);
    ctx_ptr ctx{SSL_CTX_new(side == tls_side::server ? TLS_server_method() : TLS_client_method())};
    auto configured = (*credentials)->configure(*ctx, side, host);
    BOOST_TEST_REQUIRE(configured.ok(), error_of(configured));
    return ctx;
  }

  /// A handshake between `server` and `client` in memory, and the first
  /// record after it (where a TLS 1.3 server refuses a client certificate).
  static handshake_outcome handshake(SSL_CTX& server, SSL_CTX& client) {
    ssl_ptr s{SSL_new(&server)};
    ssl_ptr c{SSL_new(&client)};
    BIO* server_end = nullptr;
    BIO* client_end = nullptr;
    BIO_new_bio_pair(&server_end, 0, &client_end, 0);
    SSL_set_bio(s.get(), server_end, server_end);
    SSL_set_bio(c.get(), client_end, client_end);
    SSL_set_accept_state(s.get());
    SSL_set_connect_state(c.get());
    auto waiting = [](SSL* ssl, int r) {
      auto e = SSL_get_error(ssl, r);
      return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
    };
    bool client_done = false;
    bool server_done = false;
    for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
      if (!client_done) {
        int r = SSL_do_handshake(c.get());
        if (r != 1 && !waiting(c.get(), r))
          return {false, "", "", SSL_get_verify_result(c.get())};
        client_done = r == 1;
      }
      if (!server_done) {
        int r = SSL_do_handshake(s.get());
        if (r != 1 && !waiting(s.get(), r))
          return {false, "", "", SSL_get_verify_result(c.get())};
        server_done = r == 1;
      }
    }
    const char message[] = "ping";
    char got[8] = {};
    if (SSL_write(s.get(), message, 4) != 4 || SSL_read(c.get(), got, sizeof got) != 4)
      return {false, "", "", SSL_get_verify_result(c.get())};
    return {client_done && server_done, SSL_get_cipher_name(c.get()), SSL_get_version(c.get()),
            X509_V_OK};
  }

  std::vector<std::shared_ptr<const tls_credentials>> kept;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(tls_context, tls_fixture)

BOOST_AUTO_TEST_CASE(internal_peers_of_one_authority_authenticate_each_other) {
  auto server = context(settings(false), tls_side::server);
  auto client = context(settings(false), tls_side::client);
  auto outcome = handshake(*server, *client);
  BOOST_TEST(outcome.ok);
  BOOST_TEST(outcome.version == "TLSv1.3");
}

BOOST_AUTO_TEST_CASE(a_client_certificate_of_another_authority_is_refused_by_the_server) {
  auto server = context(settings(false), tls_side::server);
  auto client = context(settings(false, "foreign.pem"), tls_side::client);
  BOOST_TEST(!handshake(*server, *client).ok);
}

BOOST_AUTO_TEST_CASE(a_server_certificate_of_another_authority_is_refused_by_the_client) {
  auto server = context(settings(true, "foreign.pem"), tls_side::server);
  auto client = context(settings(true), tls_side::client);
  auto outcome = handshake(*server, *client);
  BOOST_TEST(!outcome.ok);
  BOOST_TEST(outcome.client_verify == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN); // a foreign root
}

BOOST_AUTO_TEST_CASE(rest_clients_need_a_certificate_only_with_authentication_enabled) {
  auto anonymous = settings(true);
  anonymous.keystore.path.clear();
  auto open_server = context(settings(true), tls_side::server);
  auto client = context(anonymous, tls_side::client);
  BOOST_TEST(handshake(*open_server, *client).ok);
  auto strict =
    context(settings(true, "node.pem", {{"security.ssl.rest.authentication-enabled", "true"}}),
            tls_side::server);
  BOOST_TEST(!handshake(*strict, *client).ok);
  auto authenticated =
    settings(true, "node.pem", {{"security.ssl.rest.authentication-enabled", "true"}});
  BOOST_TEST(handshake(*strict, *context(authenticated, tls_side::client)).ok);
}

BOOST_AUTO_TEST_CASE(a_rest_client_checks_the_host_name_unless_told_not_to) {
  auto server = context(settings(true), tls_side::server);
  BOOST_TEST(handshake(*server, *context(settings(true), tls_side::client, "localhost")).ok);
  BOOST_TEST(handshake(*server, *context(settings(true), tls_side::client, "127.0.0.1")).ok);
  auto wrong = handshake(*server, *context(settings(true), tls_side::client, "flink.example"));
  BOOST_TEST(!wrong.ok);
  BOOST_TEST(wrong.client_verify == X509_V_ERR_HOSTNAME_MISMATCH);
  auto unchecked = settings(true, "node.pem", {{"security.ssl.verify-hostname", "false"}});
  BOOST_TEST(handshake(*server, *context(unchecked, tls_side::client, "flink.example")).ok);
}

BOOST_AUTO_TEST_CASE(versions_and_suites_are_those_configured) {
  auto tls12 = settings(true, "node.pem",
                        {{"security.ssl.protocol", "TLSv1.2"},
                         {"security.ssl.algorithms", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"}});
  auto outcome =
    handshake(*context(tls12, tls_side::server), *context(settings(true), tls_side::client));
  BOOST_TEST(outcome.ok);
  BOOST_TEST(outcome.version == "TLSv1.2");
  BOOST_TEST(outcome.cipher == "ECDHE-ECDSA-AES256-GCM-SHA384");
  auto tls13 = settings(true, "node.pem",
                        {{"security.ssl.protocol", "TLSv1.3"},
                         {"security.ssl.algorithms", "TLS_CHACHA20_POLY1305_SHA256"}});
  outcome =
    handshake(*context(tls13, tls_side::server), *context(settings(true), tls_side::client));
  BOOST_TEST(outcome.ok);
  BOOST_TEST(outcome.cipher == "TLS_CHACHA20_POLY1305_SHA256");
  auto only12 = settings(true, "node.pem", {{"security.ssl.protocol", "TLSv1.2"}});
  auto only13 = settings(true, "node.pem", {{"security.ssl.protocol", "TLSv1.3"}});
  BOOST_TEST(!handshake(*context(only13, tls_side::server), *context(only12, tls_side::client)).ok);
}

BOOST_AUTO_TEST_CASE(suites_that_cannot_be_used_are_refused_when_loading) {
  auto unknown = settings(true, "node.pem", {{"security.ssl.algorithms", "TLS_NO_SUCH_SUITE"}});
  auto refused = tls_credentials::load(unknown, tls_side::server);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error() ==
             "security.ssl.algorithms: OpenSSL does not know the cipher suite 'TLS_NO_SUCH_SUITE'");
  auto only13 = settings(true, "node.pem", {{"security.ssl.algorithms", "TLS_AES_128_GCM_SHA256"}});
  refused = tls_credentials::load(only13, tls_side::server);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().find("names no TLS 1.2 cipher suite") != std::string::npos,
             refused.error());
}

BOOST_AUTO_TEST_CASE(internal_tls_refuses_tls12_suites_that_caf_cannot_choose) {
  configuration c;
  c.set(options::ssl_internal_enabled.key(), "true");
  c.set(options::ssl_internal_keystore.key(), dir.file("node.pem"));
  c.set(options::ssl_internal_truststore.key(), dir.file("ca.pem"));
  c.set(options::ssl_algorithms.key(),
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256");
  auto refused = internal_tls::load(c);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().find("set security.ssl.protocol to TLSv1.3") != std::string::npos,
             refused.error());
  configuration untrusting;
  untrusting.set(options::ssl_internal_enabled.key(), "true");
  untrusting.set(options::ssl_internal_keystore.key(), dir.file("node.pem"));
  refused = internal_tls::load(untrusting);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().find("needs security.ssl.internal.truststore") != std::string::npos,
             refused.error());
}

BOOST_AUTO_TEST_SUITE_END()

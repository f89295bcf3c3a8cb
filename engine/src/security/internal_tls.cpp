#include "security/internal_tls.hpp"

#include <openssl/bio.h>
#include <openssl/conf.h>
#include <openssl/ssl.h>

#include "security/tls_probe.hpp"

namespace flinkcpp::security {

namespace {

/// Sets OpenSSL's process-wide defaults, which every later SSL_CTX starts
/// from (CAF's too): the TLS versions and the TLS 1.3 suites.
result<void> set_process_defaults(const tls_credentials& credentials) {
  const auto& s = credentials.settings();
  std::string text = "flinkcpp = flinkcpp_section\n"
                     "[flinkcpp_section]\nssl_conf = ssl_section\n"
                     "[ssl_section]\nsystem_default = flinkcpp_tls\n"
                     "[flinkcpp_tls]\n";
  text += std::string{"MinProtocol = "} + (s.allow_tls12 ? "TLSv1.2" : "TLSv1.3") + "\n";
  text += std::string{"MaxProtocol = "} + (s.allow_tls13 ? "TLSv1.3" : "TLSv1.2") + "\n";
  if (!credentials.tls13_ciphersuites().empty())
    text += "Ciphersuites = " + credentials.tls13_ciphersuites() + "\n";
  OPENSSL_init_ssl(0, nullptr);
  std::unique_ptr<BIO, decltype(&BIO_free)> in{
    BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free};
  std::unique_ptr<CONF, decltype(&NCONF_free)> conf{NCONF_new(nullptr), NCONF_free};
  long line = 0;
  if (NCONF_load_bio(conf.get(), in.get(), &line) != 1 ||
      CONF_modules_load(conf.get(), "flinkcpp", 0) != 1)
    return failure{"cannot set OpenSSL's TLS defaults for internal TLS: " + drain_openssl_errors()};
  return {};
}

} // namespace

internal_tls::internal_tls(std::shared_ptr<const tls_credentials> credentials, memory_file chain,
                           memory_file key, memory_file authorities)
  : credentials_(std::move(credentials)),
    certificate_(std::move(chain)),
    key_(std::move(key)),
    authorities_(std::move(authorities)) {}

result<std::unique_ptr<internal_tls>> internal_tls::load(const configuration& config) {
  auto settings = internal_tls_settings(config);
  if (!settings.enabled)
    return std::unique_ptr<internal_tls>{};
  auto credentials = tls_credentials::load(settings, tls_side::server);
  if (!credentials)
    return failure{credentials.error()};
  if (settings.allow_tls12 && !(*credentials)->tls12_ciphers().empty())
    return failure{"security.ssl.algorithms names TLS 1.2 cipher suites, which internal TLS "
                   "cannot choose (CAF's OpenSSL module fixes them to OpenSSL's HIGH list): "
                   "with security.ssl.internal.enabled, set security.ssl.protocol to TLSv1.3 "
                   "to choose suites, or leave security.ssl.algorithms unset"};
  if (auto defaults = set_process_defaults(**credentials); !defaults)
    return failure{defaults.error()};
  const auto& own = *(*credentials)->own();
  auto chain = memory_file::holding("internal-certificate", certificates_pem(own.chain));
  auto key = memory_file::holding("internal-key", private_key_pem(*own.key));
  auto authorities =
    memory_file::holding("internal-authorities", certificates_pem((*credentials)->trusted()));
  if (!chain || !key || !authorities)
    return failure{!chain ? chain.error() : (!key ? key.error() : authorities.error())};
  return std::unique_ptr<internal_tls>{new internal_tls{std::move(*credentials), std::move(*chain),
                                                        std::move(*key), std::move(*authorities)}};
}

result<void> internal_tls::probe(const std::string& host, std::uint16_t port,
                                 std::chrono::milliseconds timeout) const {
  return tls_probe(*credentials_, host, port, timeout);
}

} // namespace flinkcpp::security

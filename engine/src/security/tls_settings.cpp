#include "security/tls_settings.hpp"

#include "config/security_options.hpp"

namespace flinkcpp::security {

namespace {

using option = config_option<std::string>;

store_location location(const configuration& config, const option& path, const option& password,
                        const option* key_password, const config_option<std::string>& type) {
  return {path.key(), path.get(config), type.get(config), password.get(config),
          key_password ? key_password->get(config) : std::string{}};
}

void read_common(const configuration& config, tls_settings& s) {
  auto protocol = options::ssl_protocol.get(config);
  s.allow_tls12 = protocol.find("TLSv1.2") != std::string::npos;
  s.allow_tls13 = protocol.find("TLSv1.3") != std::string::npos;
  s.algorithms = options::ssl_algorithms.get(config);
  s.verify_hostname = options::ssl_verify_hostname.get(config);
}

} // namespace

tls_settings internal_tls_settings(const configuration& config) {
  namespace o = options;
  tls_settings s;
  s.enabled = o::ssl_internal_enabled.get(config);
  s.name = "internal";
  s.keystore = location(config, o::ssl_internal_keystore, o::ssl_internal_keystore_password,
                        &o::ssl_internal_key_password, o::ssl_keystore_type);
  s.truststore = location(config, o::ssl_internal_truststore, o::ssl_internal_truststore_password,
                          nullptr, o::ssl_truststore_type);
  s.mutual = true;
  read_common(config, s);
  s.verify_hostname = false; // CAF checks none; the chain is what counts
  return s;
}

tls_settings rest_tls_settings(const configuration& config) {
  namespace o = options;
  tls_settings s;
  s.enabled = o::ssl_rest_enabled.get(config);
  s.name = "REST";
  s.keystore = location(config, o::ssl_rest_keystore, o::ssl_rest_keystore_password,
                        &o::ssl_rest_key_password, o::ssl_keystore_type);
  s.truststore = location(config, o::ssl_rest_truststore, o::ssl_rest_truststore_password, nullptr,
                          o::ssl_truststore_type);
  s.mutual = o::ssl_rest_authentication_enabled.get(config);
  read_common(config, s);
  return s;
}

} // namespace flinkcpp::security

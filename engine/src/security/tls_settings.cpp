#include "security/tls_settings.hpp"

#include "config/security_options.hpp"

namespace flinkcpp::security {

namespace {

using option = config_option<std::string>;

/// The keys of one kind of connection.
struct kind_keys {
  const char* name;
  const config_option<bool>& enabled;
  const option& keystore;
  const option& keystore_password;
  const option& key_password;
  const option& truststore;
  const option& truststore_password;
};

tls_settings read_settings(const configuration& config, const kind_keys& keys) {
  tls_settings s;
  s.enabled = keys.enabled.get(config);
  s.name = keys.name;
  s.keystore = {keys.keystore.key(), keys.keystore.get(config),
                options::ssl_keystore_type.get(config), keys.keystore_password.get(config),
                keys.key_password.get(config)};
  s.truststore = {keys.truststore.key(), keys.truststore.get(config),
                  options::ssl_truststore_type.get(config), keys.truststore_password.get(config),
                  ""};
  auto protocol = options::ssl_protocol.get(config);
  s.allow_tls12 = protocol.find("TLSv1.2") != std::string::npos;
  s.allow_tls13 = protocol.find("TLSv1.3") != std::string::npos;
  s.algorithms = options::ssl_algorithms.get(config);
  s.verify_hostname = options::ssl_verify_hostname.get(config);
  return s;
}

} // namespace

tls_settings internal_tls_settings(const configuration& config) {
  namespace o = options;
  auto s = read_settings(config, {"internal", o::ssl_internal_enabled, o::ssl_internal_keystore,
                                  o::ssl_internal_keystore_password, o::ssl_internal_key_password,
                                  o::ssl_internal_truststore, o::ssl_internal_truststore_password});
  s.mutual = true;
  s.client_needs_truststore = true;
  s.verify_hostname = false; // CAF checks none; the chain is what counts
  return s;
}

tls_settings rest_tls_settings(const configuration& config) {
  namespace o = options;
  auto s = read_settings(config, {"REST", o::ssl_rest_enabled, o::ssl_rest_keystore,
                                  o::ssl_rest_keystore_password, o::ssl_rest_key_password,
                                  o::ssl_rest_truststore, o::ssl_rest_truststore_password});
  s.mutual = o::ssl_rest_authentication_enabled.get(config);
  return s;
}

} // namespace flinkcpp::security

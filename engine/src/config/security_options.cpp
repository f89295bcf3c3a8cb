#include "config/security_options.hpp"

#include <regex>

#include "config/config_values.hpp"

namespace flinkcpp::options {

namespace {

/// A store type: empty (told by the content), PEM or PKCS12. Java's own
/// formats are refused saying how to convert them.
result<std::string> store_type(std::string_view text) {
  auto t = to_lower(trim(text));
  if (t == "jks" || t == "jceks")
    return failure{"PEM or PKCS12: " + std::string{trim(text)} +
                   " is a Java keystore format that only a JVM reads; convert it with "
                   "'keytool -importkeystore -srckeystore STORE.jks -destkeystore STORE.p12 "
                   "-deststoretype PKCS12'"};
  if (t.empty())
    return std::string{};
  return parse_choice(text, {"PEM", "PKCS12"});
}

/// TLS versions: TLSv1.2, TLSv1.3 or both, comma-separated; kept as one
/// canonical text ("TLSv1.2", "TLSv1.3" or "TLSv1.2,TLSv1.3").
result<std::string> protocols(std::string_view text) {
  bool v12 = false;
  bool v13 = false;
  for (auto item : list_items(text)) {
    auto p = to_lower(item);
    if (p == "tlsv1.2")
      v12 = true;
    else if (p == "tlsv1.3")
      v13 = true;
    else if (p == "tls" || p == "tlsv1" || p == "tlsv1.1" || p == "sslv3")
      return failure{"TLSv1.2, TLSv1.3 or both (comma-separated): " + std::string{item} +
                     " is too old to be safe (RFC 8996)"};
    else
      return failure{"TLSv1.2, TLSv1.3 or both (comma-separated), not '" + std::string{item} + "'"};
  }
  if (!v12 && !v13)
    return failure{"TLSv1.2, TLSv1.3 or both (comma-separated)"};
  if (v12 && v13)
    return std::string{"TLSv1.2,TLSv1.3"};
  return std::string{v12 ? "TLSv1.2" : "TLSv1.3"};
}

/// Cipher suites by their IANA names, comma-separated (as Java names them).
result<std::vector<std::string>> cipher_suites(std::string_view text) {
  static const std::regex iana{"TLS_[A-Z0-9_]+"};
  std::vector<std::string> out;
  for (auto item : list_items(text)) {
    std::string name{item};
    if (!std::regex_match(name, iana))
      return failure{"cipher suites by their IANA names, comma-separated (such as "
                     "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256), not '" +
                     name + "'"};
    out.push_back(std::move(name));
  }
  return out;
}

} // namespace

const config_option<bool> ssl_internal_enabled{
  "security.ssl.internal.enabled",
  false,
  parse_boolean,
  "TLS, mutually authenticated, on every connection between flink-cpp processes (jobmanager "
  "and taskmanager RPC, data between taskmanagers). Needs security.ssl.internal.keystore and "
  ".truststore.",
  {"security.ssl.enabled"}};

const config_option<std::string> ssl_internal_keystore{
  "security.ssl.internal.keystore", "", parse_local_path,
  "The private key and certificate chain every flink-cpp process presents to the others: a PEM "
  "file (the key and its certificates) or a PKCS#12 file."};

const config_option<std::string> ssl_internal_keystore_password{
  "security.ssl.internal.keystore-password", "", parse_text,
  "The password of a PKCS#12 internal keystore."};

const config_option<std::string> ssl_internal_key_password{
  "security.ssl.internal.key-password", "", parse_text,
  "The password of the private key, when a PEM internal keystore holds it encrypted."};

const config_option<std::string> ssl_internal_truststore{
  "security.ssl.internal.truststore", "", parse_local_path,
  "The certificates of the authorities whose certificates flink-cpp processes accept from each "
  "other: a PEM bundle or a PKCS#12 file."};

const config_option<std::string> ssl_internal_truststore_password{
  "security.ssl.internal.truststore-password", "", parse_text,
  "The password of a PKCS#12 internal truststore."};

const config_option<bool> ssl_rest_enabled{
  "security.ssl.rest.enabled", false, parse_boolean,
  "HTTPS for the REST API and the web UI. Needs security.ssl.rest.keystore; the CLI trusts "
  "the authorities of security.ssl.rest.truststore."};

const config_option<bool> ssl_rest_authentication_enabled{
  "security.ssl.rest.authentication-enabled", false, parse_boolean,
  "REST clients must present a certificate that security.ssl.rest.truststore trusts; the CLI "
  "presents security.ssl.rest.keystore."};

const config_option<std::string> ssl_rest_keystore{
  "security.ssl.rest.keystore", "", parse_local_path,
  "The REST server's private key and certificate chain (and the CLI's, with "
  "security.ssl.rest.authentication-enabled): a PEM file or a PKCS#12 file."};

const config_option<std::string> ssl_rest_keystore_password{
  "security.ssl.rest.keystore-password", "", parse_text,
  "The password of a PKCS#12 REST keystore."};

const config_option<std::string> ssl_rest_key_password{
  "security.ssl.rest.key-password", "", parse_text,
  "The password of the private key, when a PEM REST keystore holds it encrypted."};

const config_option<std::string> ssl_rest_truststore{
  "security.ssl.rest.truststore", "", parse_local_path,
  "The authorities whose certificates REST clients accept from the server (and the server from "
  "clients, with authentication-enabled): a PEM bundle or a PKCS#12 file. Empty: the system's."};

const config_option<std::string> ssl_rest_truststore_password{
  "security.ssl.rest.truststore-password", "", parse_text,
  "The password of a PKCS#12 REST truststore."};

const config_option<std::string> ssl_keystore_type{
  "security.ssl.keystore-type", "", store_type,
  "PEM or PKCS12: the format of the keystores; empty: told by each file's content. JKS is "
  "refused (a JVM-only format)."};

const config_option<std::string> ssl_truststore_type{
  "security.ssl.truststore-type", "", store_type,
  "PEM or PKCS12: the format of the truststores; empty: told by each file's content."};

const config_option<std::string> ssl_protocol{
  "security.ssl.protocol", "TLSv1.2,TLSv1.3", protocols,
  "The TLS versions connections may use: TLSv1.2, TLSv1.3 or both (Flink's default is "
  "TLSv1.2 alone)."};

const config_option<std::vector<std::string>> ssl_algorithms{
  "security.ssl.algorithms",
  {},
  cipher_suites,
  "The cipher suites connections may use, by IANA name, comma-separated; empty: OpenSSL's "
  "secure defaults (Flink's default is TLS_RSA_WITH_AES_128_CBC_SHA, which has no forward "
  "secrecy)."};

const config_option<bool> ssl_verify_hostname{
  "security.ssl.verify-hostname", true, parse_boolean,
  "Whether REST clients check that the server's certificate names the host they connect to."};

std::vector<option_info> security_options() {
  return {describe(ssl_internal_enabled),
          describe(ssl_internal_keystore),
          describe(ssl_internal_keystore_password),
          describe(ssl_internal_key_password),
          describe(ssl_internal_truststore),
          describe(ssl_internal_truststore_password),
          describe(ssl_rest_enabled),
          describe(ssl_rest_authentication_enabled),
          describe(ssl_rest_keystore),
          describe(ssl_rest_keystore_password),
          describe(ssl_rest_key_password),
          describe(ssl_rest_truststore),
          describe(ssl_rest_truststore_password),
          describe(ssl_keystore_type),
          describe(ssl_truststore_type),
          describe(ssl_protocol),
          describe(ssl_algorithms),
          describe(ssl_verify_hostname)};
}

} // namespace flinkcpp::options

#pragma once

#include <memory>
#include <string>

namespace flinkcpp::testing {

/// What a certificate issued for a test is like.
struct certificate_request {
  std::string common_name = "localhost";
  /// Valid from now + this many days (negative: in the past)...
  int valid_from_days = -1;
  /// ...to now + this many days (negative: expired).
  int valid_to_days = 30;
};

/// A certificate authority made at run time for one test (an EC P-256 key,
/// self-signed), which issues certificates for 127.0.0.1 and localhost and
/// writes key material in the formats flink-cpp reads. Files are written
/// whole; the authority lives as long as the object. Not thread-safe.
class test_authority {
public:
  explicit test_authority(const std::string& name);
  ~test_authority();
  test_authority(const test_authority&) = delete;
  test_authority& operator=(const test_authority&) = delete;

  /// The authority's certificate as a PEM truststore.
  void write_truststore(const std::string& path) const;

  /// The authority's certificate in a PKCS#12 truststore.
  void write_pkcs12_truststore(const std::string& path, const std::string& password) const;

  /// A new key and a certificate for it as a PEM keystore (the key, then
  /// the certificate and the authority's); the key encrypted with
  /// `key_password` unless it is empty.
  void issue_pem(const std::string& path, const certificate_request& request = {},
                 const std::string& key_password = {}) const;

  /// A new key and a certificate for it in a PKCS#12 keystore.
  void issue_pkcs12(const std::string& path, const std::string& password,
                    const certificate_request& request = {}) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace flinkcpp::testing

#pragma once

#include <memory>
#include <string>
#include <vector>

#include <openssl/types.h>

#include "util/result.hpp"

namespace flinkcpp::security {

struct x509_free {
  void operator()(X509* c) const;
};
struct pkey_free {
  void operator()(EVP_PKEY* k) const;
};

/// An owned X.509 certificate.
using certificate = std::unique_ptr<X509, x509_free>;
/// An owned private key.
using private_key = std::unique_ptr<EVP_PKEY, pkey_free>;

/// A private key and its certificate chain, the matching certificate first:
/// what one side of a TLS connection presents.
struct identity {
  private_key key;
  std::vector<certificate> chain;
};

/// A keystore or truststore file as the configuration names it.
struct store_location {
  std::string key;          ///< the configuration key naming it, for errors
  std::string path;         ///< empty: none
  std::string type;         ///< "" (told by the content), "PEM" or "PKCS12"
  std::string password;     ///< of a PKCS#12 file
  std::string key_password; ///< of an encrypted private key in a PEM file
};

/// Reads a keystore: a PEM file holding a private key and its certificate
/// chain, or a PKCS#12 file. Fails naming the key and the path when the file
/// is missing, unreadable, a Java keystore, of neither format, without a key
/// or certificate, locked by another password, when the key does not match
/// the first certificate, or when that certificate has expired or is not
/// valid yet.
result<identity> load_keystore(const store_location& where);

/// Reads a truststore: the certificates of a PEM bundle or a PKCS#12 file.
/// Fails as load_keystore does, and when it holds no certificate.
result<std::vector<certificate>> load_truststore(const store_location& where);

/// `certificates` as PEM text, in order.
std::string certificates_pem(const std::vector<certificate>& certificates);

/// `key` as unencrypted PEM text (PKCS#8).
std::string private_key_pem(const EVP_PKEY& key);

/// A certificate's subject, one line ("CN=taskmanager,O=flink-cpp").
std::string subject_of(const X509& certificate);

/// The OpenSSL errors queued on this thread, drained, "; "-separated.
std::string drain_openssl_errors();

} // namespace flinkcpp::security

#include "support/test_certificates.hpp"

#include <cstdio>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace flinkcpp::testing {

namespace {

struct key_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct x509_free {
  void operator()(X509* c) const { X509_free(c); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, key_free>;
using cert_ptr = std::unique_ptr<X509, x509_free>;

void check(bool ok, const char* what) {
  if (!ok)
    throw std::runtime_error(std::string{"test certificates: "} + what + " failed");
}

key_ptr new_key() {
  key_ptr key{EVP_EC_gen("P-256")};
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

/// A certificate for `key` named `name`, signed by `issuer_key` (and named
/// by `issuer`, or by itself when null).
cert_ptr make_certificate(EVP_PKEY* key, const std::string& name, X509* issuer,
                          EVP_PKEY* issuer_key, const certificate_request& r, bool authority) {
  cert_ptr cert{X509_new()};
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 86400L * r.valid_from_days);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * r.valid_to_days);
  X509_set_pubkey(cert.get(), key);
  auto* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("flink-cpp tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (authority) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "CA:FALSE");
    add_extension(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
  }
  check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

struct file_closer {
  void operator()(FILE* f) const { std::fclose(f); }
};

std::unique_ptr<FILE, file_closer> open_for_writing(const std::string& path) {
  std::unique_ptr<FILE, file_closer> f{std::fopen(path.c_str(), "wb")};
  check(f != nullptr, ("opening " + path).c_str());
  return f;
}

} // namespace

struct test_authority::impl {
  key_ptr key;
  cert_ptr cert;

  void write_pkcs12(const std::string& path, const std::string& password, EVP_PKEY* leaf_key,
                    X509* leaf) const {
    STACK_OF(X509)* chain = sk_X509_new_null();
    sk_X509_push(chain, cert.get());
    PKCS12* p12 =
      PKCS12_create(password.c_str(), "flink-cpp test", leaf_key, leaf, chain, 0, 0, 0, 0, 0);
    sk_X509_free(chain);
    check(p12 != nullptr, "PKCS12_create");
    auto f = open_for_writing(path);
    check(i2d_PKCS12_fp(f.get(), p12) == 1, "i2d_PKCS12_fp");
    PKCS12_free(p12);
  }
};

test_authority::test_authority(const std::string& name) : impl_(std::make_unique<impl>()) {
  impl_->key = new_key();
  impl_->cert = make_certificate(impl_->key.get(), name, nullptr, impl_->key.get(),
                                 certificate_request{name, -1, 365}, true);
}

test_authority::~test_authority() = default;

void test_authority::write_truststore(const std::string& path) const {
  auto f = open_for_writing(path);
  check(PEM_write_X509(f.get(), impl_->cert.get()) == 1, "PEM_write_X509");
}

void test_authority::write_pkcs12_truststore(const std::string& path,
                                             const std::string& password) const {
  impl_->write_pkcs12(path, password, nullptr, nullptr);
}

void test_authority::issue_pem(const std::string& path, const certificate_request& request,
                               const std::string& key_password) const {
  auto key = new_key();
  auto cert = make_certificate(key.get(), request.common_name, impl_->cert.get(), impl_->key.get(),
                               request, false);
  auto f = open_for_writing(path);
  const EVP_CIPHER* cipher = key_password.empty() ? nullptr : EVP_aes_256_cbc();
  check(PEM_write_PKCS8PrivateKey(f.get(), key.get(), cipher, nullptr, 0, nullptr,
                                  const_cast<char*>(key_password.c_str())) == 1,
        "PEM_write_PKCS8PrivateKey");
  check(PEM_write_X509(f.get(), cert.get()) == 1, "PEM_write_X509");
  check(PEM_write_X509(f.get(), impl_->cert.get()) == 1, "PEM_write_X509");
}

void test_authority::issue_pkcs12(const std::string& path, const std::string& password,
                                  const certificate_request& request) const {
  auto key = new_key();
  auto cert = make_certificate(key.get(), request.common_name, impl_->cert.get(), impl_->key.get(),
                               request, false);
  impl_->write_pkcs12(path, password, key.get(), cert.get());
}

} // namespace flinkcpp::testing

#include "security/key_material.hpp"

#include <cstring>
#include <ctime>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "util/durable_file.hpp"

namespace flinkcpp::security {

void x509_free::operator()(X509* c) const {
  X509_free(c);
}

void pkey_free::operator()(EVP_PKEY* k) const {
  EVP_PKEY_free(k);
}

std::string drain_openssl_errors() {
  std::string out;
  while (auto e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    if (!out.empty())
      out += "; ";
    out += text;
  }
  return out;
}

namespace {

struct bio_free {
  void operator()(BIO* b) const { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_free>;

struct p12_free {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};

enum class store_format { pem, pkcs12 };

/// What is wrong with `where`, as one line naming its key and path.
failure store_error(const store_location& where, const std::string& what) {
  return failure{where.key + ": " + where.path + " " + what};
}

/// The format `where.type` names, else the one `bytes` are in.
result<store_format> format_of(const store_location& where, const std::string& bytes) {
  if (where.type == "PEM")
    return store_format::pem;
  if (where.type == "PKCS12")
    return store_format::pkcs12;
  auto starts = [&bytes](const char* magic) {
    return bytes.size() >= 4 && std::memcmp(bytes.data(), magic, 4) == 0;
  };
  if (starts("\xFE\xED\xFE\xED") || starts("\xCE\xCE\xCE\xCE"))
    return store_error(where,
                       "is a Java keystore (JKS or JCEKS), which only a JVM reads: convert it "
                       "with 'keytool -importkeystore -srckeystore STORE.jks -destkeystore "
                       "STORE.p12 -deststoretype PKCS12'");
  if (bytes.find("-----BEGIN ") != std::string::npos)
    return store_format::pem;
  if (!bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x30) // a DER SEQUENCE
    return store_format::pkcs12;
  return store_error(where, "is neither PEM nor PKCS#12");
}

/// A store's bytes and their format.
struct store_content {
  std::string bytes;
  store_format format;
};

result<store_content> open_store(const store_location& where) {
  auto bytes = read_file_bytes(where.path);
  if (!bytes)
    return failure{where.key + ": " + bytes.error()};
  auto format = format_of(where, *bytes);
  if (!format)
    return failure{format.error()};
  return store_content{std::move(*bytes), *format};
}

std::string time_text(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1)
    return "an unreadable time";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

/// A presented certificate must be valid now.
result<void> check_validity(const store_location& where, const X509& c) {
  if (X509_cmp_current_time(X509_get0_notAfter(&c)) < 0)
    return store_error(where, "holds a certificate (" + subject_of(c) + ") that expired on " +
                                time_text(X509_get0_notAfter(&c)));
  if (X509_cmp_current_time(X509_get0_notBefore(&c)) > 0)
    return store_error(where, "holds a certificate (" + subject_of(c) +
                                ") that is not valid before " + time_text(X509_get0_notBefore(&c)));
  return {};
}

/// Reads every certificate of PEM `bytes`, in order.
std::vector<certificate> pem_certificates(const std::string& bytes) {
  std::vector<certificate> out;
  bio_ptr in{BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()))};
  while (auto* c = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr))
    out.emplace_back(c);
  ERR_clear_error(); // the end of the input
  return out;
}

/// OpenSSL's pem_password_cb: copies the password (no terminator needed:
/// its length is returned).
int password_callback(char* buffer, int size, int, void* user) {
  const auto& password = *static_cast<const std::string*>(user);
  if (password.size() > static_cast<std::size_t>(size))
    return -1;
  password.copy(buffer, password.size());
  return static_cast<int>(password.size());
}

result<identity> pem_identity(const store_location& where, const std::string& bytes) {
  identity out;
  bio_ptr in{BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()))};
  auto password = where.key_password.empty() ? where.password : where.key_password;
  out.key.reset(PEM_read_bio_PrivateKey(in.get(), nullptr, password_callback, &password));
  if (!out.key) {
    auto why = drain_openssl_errors();
    if (bytes.find("ENCRYPTED") != std::string::npos)
      return store_error(where, "holds an encrypted private key that its password (" + where.key +
                                  "-password or key-password) does not open");
    if (bytes.find("PRIVATE KEY-----") == std::string::npos)
      return store_error(where, "holds no private key (a keystore holds the private key and its "
                                "certificate chain)");
    return store_error(where, "holds a private key OpenSSL cannot read: " + why);
  }
  out.chain = pem_certificates(bytes);
  return out;
}

struct pkcs12_contents {
  identity own;
  std::vector<certificate> others;
};

result<pkcs12_contents> read_pkcs12(const store_location& where, const std::string& bytes) {
  bio_ptr in{BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()))};
  std::unique_ptr<PKCS12, p12_free> p12{d2i_PKCS12_bio(in.get(), nullptr)};
  if (!p12) {
    drain_openssl_errors();
    return store_error(where, "is neither PEM nor a readable PKCS#12 file");
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), where.password.c_str(), &key, &cert, &ca) != 1) {
    auto why = drain_openssl_errors();
    if (PKCS12_verify_mac(p12.get(), where.password.c_str(), -1) != 1)
      return store_error(where, "is a PKCS#12 file its password (" + where.key +
                                  "-password) does not open");
    return store_error(where, "is a PKCS#12 file OpenSSL cannot read: " + why);
  }
  pkcs12_contents out;
  out.own.key.reset(key);
  if (cert)
    out.own.chain.emplace_back(cert);
  for (int i = 0; ca && i < sk_X509_num(ca); ++i)
    out.others.emplace_back(sk_X509_value(ca, i));
  sk_X509_free(ca); // the certificates are owned by `others` now
  return out;
}

} // namespace

result<identity> load_keystore(const store_location& where) {
  auto store = open_store(where);
  if (!store)
    return failure{store.error()};
  identity out;
  if (store->format == store_format::pem) {
    auto pem = pem_identity(where, store->bytes);
    if (!pem)
      return failure{pem.error()};
    out = std::move(*pem);
  } else {
    auto p12 = read_pkcs12(where, store->bytes);
    if (!p12)
      return failure{p12.error()};
    if (!p12->own.key)
      return store_error(where, "holds no private key (a keystore holds the private key and its "
                                "certificate chain)");
    out = std::move(p12->own);
    for (auto& c : p12->others)
      out.chain.push_back(std::move(c));
  }
  if (out.chain.empty())
    return store_error(where, "holds a private key but no certificate");
  if (X509_check_private_key(out.chain.front().get(), out.key.get()) != 1) {
    drain_openssl_errors();
    return store_error(where, "holds a private key that does not match its first certificate (" +
                                subject_of(*out.chain.front()) + ")");
  }
  if (auto valid = check_validity(where, *out.chain.front()); !valid)
    return failure{valid.error()};
  return out;
}

result<std::vector<certificate>> load_truststore(const store_location& where) {
  auto store = open_store(where);
  if (!store)
    return failure{store.error()};
  std::vector<certificate> out;
  if (store->format == store_format::pem) {
    out = pem_certificates(store->bytes);
  } else {
    auto p12 = read_pkcs12(where, store->bytes);
    if (!p12)
      return failure{p12.error()};
    out = std::move(p12->own.chain);
    for (auto& c : p12->others)
      out.push_back(std::move(c));
  }
  if (out.empty())
    return store_error(where, "holds no certificate (a truststore holds the certificates of the "
                              "authorities to trust)");
  return out;
}

std::string certificates_pem(const std::vector<certificate>& certificates) {
  bio_ptr out{BIO_new(BIO_s_mem())};
  for (const auto& c : certificates)
    PEM_write_bio_X509(out.get(), c.get());
  char* data = nullptr;
  auto size = BIO_get_mem_data(out.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

std::string private_key_pem(const EVP_PKEY& key) {
  bio_ptr out{BIO_new(BIO_s_mem())};
  PEM_write_bio_PrivateKey(out.get(), const_cast<EVP_PKEY*>(&key), nullptr, nullptr, 0, nullptr,
                           nullptr);
  char* data = nullptr;
  auto size = BIO_get_mem_data(out.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

std::string subject_of(const X509& c) {
  bio_ptr out{BIO_new(BIO_s_mem())};
  X509_NAME_print_ex(out.get(), X509_get_subject_name(&c), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  auto size = BIO_get_mem_data(out.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

} // namespace flinkcpp::security

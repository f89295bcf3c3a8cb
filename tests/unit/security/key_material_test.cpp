// Keystores and truststores as Flink's security.ssl.* keys name them: PEM and
// PKCS#12, told by their content or by security.ssl.keystore-type, with
// passwords; Java's own formats, expired or mismatched certificates, wrong
// passwords and missing files refused with a message naming the key.

#include <boost/test/unit_test.hpp>

#include <string>

#include "security/key_material.hpp"
#include "support/result_message.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"

using namespace flinkcpp::security;
using flinkcpp::testing::certificate_request;
using flinkcpp::testing::error_of;
using flinkcpp::testing::read_file;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::test_authority;
using flinkcpp::testing::write_file;

namespace {

struct stores {
  temp_dir dir;
  test_authority authority{"flink-cpp test CA"};

  store_location at(const std::string& name, const std::string& password = {}) const {
    return {"security.ssl.internal.keystore", dir.file(name), "", password, ""};
  }
};

bool says(const std::string& message, const std::string& part) {
  return message.find(part) != std::string::npos;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(key_material, stores)

BOOST_AUTO_TEST_CASE(a_pem_keystore_gives_the_key_and_its_chain) {
  authority.issue_pem(dir.file("node.pem"), {"taskmanager-1"});
  auto own = load_keystore(at("node.pem"));
  BOOST_TEST_REQUIRE(own.ok(), error_of(own));
  BOOST_TEST(own->chain.size() == 2u); // the node's certificate, then the authority's
  BOOST_TEST(says(subject_of(*own->chain.front()), "CN=taskmanager-1"));
  BOOST_TEST(says(subject_of(*own->chain.back()), "CN=flink-cpp test CA"));
}

BOOST_AUTO_TEST_CASE(an_encrypted_pem_key_opens_with_its_password_only) {
  authority.issue_pem(dir.file("node.pem"), {}, "k3y-pass");
  auto where = at("node.pem");
  where.key_password = "k3y-pass";
  BOOST_TEST(load_keystore(where).ok());
  where.key_password = "wrong";
  auto refused = load_keystore(where);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(says(refused.error(), "security.ssl.internal.keystore: " + where.path),
             refused.error());
  BOOST_TEST(says(refused.error(), "encrypted private key that its password"), refused.error());
}

BOOST_AUTO_TEST_CASE(a_pkcs12_keystore_is_told_by_its_content_and_needs_its_password) {
  authority.issue_pkcs12(dir.file("node.p12"), "st0re", {"jobmanager"});
  auto own = load_keystore(at("node.p12", "st0re"));
  BOOST_TEST_REQUIRE(own.ok(), error_of(own));
  BOOST_TEST(says(subject_of(*own->chain.front()), "CN=jobmanager"));
  BOOST_TEST(own->chain.size() == 2u);
  auto wrong = load_keystore(at("node.p12", "nope"));
  BOOST_TEST_REQUIRE(!wrong.ok());
  BOOST_TEST(says(wrong.error(), "PKCS#12 file its password (security.ssl.internal.keystore-"
                                 "password) does not open"),
             wrong.error());
}

BOOST_AUTO_TEST_CASE(a_named_type_is_used_and_checked) {
  authority.issue_pkcs12(dir.file("node.p12"), "st0re");
  auto where = at("node.p12", "st0re");
  where.type = "PKCS12";
  BOOST_TEST(load_keystore(where).ok());
  where.type = "PEM";
  auto refused = load_keystore(where);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(says(refused.error(), "holds no private key"), refused.error());
}

BOOST_AUTO_TEST_CASE(a_java_keystore_is_refused_saying_how_to_convert_it) {
  write_file(dir.file("node.jks"), std::string{"\xFE\xED\xFE\xED\x00\x00\x00\x02", 8});
  auto refused = load_keystore(at("node.jks"));
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(says(refused.error(), "Java keystore (JKS or JCEKS)"), refused.error());
  BOOST_TEST(says(refused.error(), "keytool -importkeystore"), refused.error());
}

BOOST_AUTO_TEST_CASE(an_expired_or_future_certificate_is_refused_with_its_dates) {
  authority.issue_pem(dir.file("old.pem"), {"old", -30, -2});
  auto old = load_keystore(at("old.pem"));
  BOOST_TEST_REQUIRE(!old.ok());
  BOOST_TEST(says(old.error(), "(CN=old,O=flink-cpp tests) that expired on 20"), old.error());
  authority.issue_pem(dir.file("future.pem"), {"future", 2, 30});
  auto future = load_keystore(at("future.pem"));
  BOOST_TEST_REQUIRE(!future.ok());
  BOOST_TEST(says(future.error(), "that is not valid before 20"), future.error());
}

BOOST_AUTO_TEST_CASE(a_key_that_does_not_match_its_certificate_is_refused) {
  authority.issue_pem(dir.file("a.pem"), {"a"});
  authority.issue_pem(dir.file("b.pem"), {"b"});
  auto a = read_file(dir.file("a.pem"));
  auto b = read_file(dir.file("b.pem"));
  auto key_of_a = a.substr(0, a.find("-----BEGIN CERTIFICATE-----"));
  auto certificates_of_b = b.substr(b.find("-----BEGIN CERTIFICATE-----"));
  write_file(dir.file("mixed.pem"), key_of_a + certificates_of_b);
  auto refused = load_keystore(at("mixed.pem"));
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(says(refused.error(), "does not match its first certificate (CN=b,O=flink-cpp tests)"),
             refused.error());
}

BOOST_AUTO_TEST_CASE(missing_empty_and_foreign_files_are_refused_naming_key_and_path) {
  auto missing = load_keystore(at("nowhere.pem"));
  BOOST_TEST_REQUIRE(!missing.ok());
  BOOST_TEST(says(missing.error(), "security.ssl.internal.keystore: "), missing.error());
  BOOST_TEST(says(missing.error(), "nowhere.pem"), missing.error());
  write_file(dir.file("text.pem"), "hello\n");
  auto text = load_keystore(at("text.pem"));
  BOOST_TEST_REQUIRE(!text.ok());
  BOOST_TEST(says(text.error(), "is neither PEM nor PKCS#12"), text.error());
  authority.write_truststore(dir.file("ca.pem"));
  auto no_key = load_keystore(at("ca.pem"));
  BOOST_TEST_REQUIRE(!no_key.ok());
  BOOST_TEST(says(no_key.error(), "holds no private key"), no_key.error());
}

BOOST_AUTO_TEST_CASE(truststores_in_both_formats_give_their_certificates) {
  authority.write_truststore(dir.file("ca.pem"));
  authority.write_pkcs12_truststore(dir.file("ca.p12"), "trust");
  auto pem = load_truststore(at("ca.pem"));
  BOOST_TEST_REQUIRE(pem.ok(), error_of(pem));
  BOOST_TEST(pem->size() == 1u);
  auto p12 = load_truststore(at("ca.p12", "trust"));
  BOOST_TEST_REQUIRE(p12.ok(), error_of(p12));
  BOOST_TEST(p12->size() == 1u);
  BOOST_TEST(certificates_pem(*pem) == certificates_pem(*p12));
  write_file(dir.file("empty.pem"), "-----BEGIN NOTHING-----\n-----END NOTHING-----\n");
  auto empty = load_truststore(at("empty.pem"));
  BOOST_TEST_REQUIRE(!empty.ok());
  BOOST_TEST(says(empty.error(), "holds no certificate"), empty.error());
}

BOOST_AUTO_TEST_SUITE_END()

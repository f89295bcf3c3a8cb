// Who may use the REST API: the bearer tokens of rest.authentication.*, the
// read-only token's GET-only rights, token files read again when replaced,
// and token files that cannot be read refused at the start, naming the key.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "config/core_options.hpp"
#include "rest/request_authorizer.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using namespace flinkcpp::rest;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;
using verdict = request_authorizer::verdict;

namespace {

struct token_files {
  temp_dir dir;
  std::string full = dir.file("token");
  std::string read_only = dir.file("read-only");

  token_files() {
    write_file(full, "  secret-1\n");
    write_file(read_only, "reader-2");
  }

  configuration config(bool with_read_only = true) const {
    configuration c;
    c.set(options::rest_authentication_token_file.key(), full);
    if (with_read_only)
      c.set(options::rest_authentication_read_only_token_file.key(), read_only);
    return c;
  }
};

verdict outcome(const request_authorizer& a, const std::string& method,
                const std::string& authorization) {
  return a.check(method, authorization).outcome;
}

} // namespace

BOOST_AUTO_TEST_SUITE(request_authorizers)

BOOST_AUTO_TEST_CASE(without_token_files_everything_is_allowed) {
  auto a = request_authorizer::from(configuration{});
  BOOST_REQUIRE(a.ok());
  BOOST_TEST(!a->enabled());
  BOOST_TEST((outcome(*a, "DELETE", "") == verdict::allowed));
}

BOOST_AUTO_TEST_CASE(the_token_is_needed_for_every_method) {
  token_files files;
  auto a = request_authorizer::from(files.config(false));
  BOOST_REQUIRE(a.ok());
  BOOST_TEST(a->enabled());
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-1") == verdict::allowed));
  BOOST_TEST((outcome(*a, "PATCH", "BEARER  secret-1 ") == verdict::allowed));
  BOOST_TEST((outcome(*a, "GET", "") == verdict::unauthenticated));
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-") == verdict::unauthenticated));
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-12") == verdict::unauthenticated));
  BOOST_TEST((outcome(*a, "GET", "secret-1") == verdict::unauthenticated));
  BOOST_TEST((outcome(*a, "GET", "Bearer ") == verdict::unauthenticated));
  BOOST_TEST(a->check("GET", "").message.find("Authorization: Bearer <token>") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_read_only_token_may_get_only) {
  token_files files;
  auto a = request_authorizer::from(files.config());
  BOOST_REQUIRE(a.ok());
  BOOST_TEST((outcome(*a, "GET", "Bearer reader-2") == verdict::allowed));
  BOOST_TEST((outcome(*a, "HEAD", "Bearer reader-2") == verdict::allowed));
  auto post = a->check("POST", "Bearer reader-2");
  BOOST_TEST((post.outcome == verdict::forbidden));
  BOOST_TEST(post.message == "the read-only token allows GET requests only, not POST");
  BOOST_TEST((outcome(*a, "POST", "Bearer secret-1") == verdict::allowed));
}

BOOST_AUTO_TEST_CASE(a_replaced_token_file_is_read_again_and_a_vanished_one_keeps_its_token) {
  token_files files;
  auto a = request_authorizer::from(files.config(false));
  BOOST_REQUIRE(a.ok());
  auto next = files.dir.file("next");
  write_file(next, "secret-3");
  std::filesystem::rename(next, files.full);
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-1") == verdict::unauthenticated));
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-3") == verdict::allowed));
  std::filesystem::remove(files.full);
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-3") == verdict::allowed));
  write_file(files.full, "\n"); // empty: not a token
  BOOST_TEST((outcome(*a, "GET", "Bearer secret-3") == verdict::allowed));
}

BOOST_AUTO_TEST_CASE(token_files_that_cannot_be_used_are_refused_naming_the_key) {
  token_files files;
  auto missing = files.config(false);
  missing.set(options::rest_authentication_token_file.key(), files.dir.file("none"));
  auto a = request_authorizer::from(missing);
  BOOST_REQUIRE(!a.ok());
  BOOST_TEST(a.error().find("rest.authentication.token-file: cannot read the token file") == 0u,
             a.error());
  write_file(files.full, " \n\t");
  a = request_authorizer::from(files.config(false));
  BOOST_REQUIRE(!a.ok());
  BOOST_TEST(a.error() ==
             "rest.authentication.token-file: the token file " + files.full + " holds no token");
  configuration only_read;
  only_read.set(options::rest_authentication_read_only_token_file.key(), files.read_only);
  a = request_authorizer::from(only_read);
  BOOST_REQUIRE(!a.ok());
  BOOST_TEST(a.error().find("is set without rest.authentication.token-file") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

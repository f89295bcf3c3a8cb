// A real jobmanager whose REST API needs a bearer token
// (rest.authentication.token-file), with a second token that may only read:
// refused requests get 401 or 403 and say why, the token file is read again
// when it is replaced (as a mounted Secret is), the CLI sends the token of
// its configuration, and a token file that cannot be read stops the start.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

#include "support/local_cluster.hpp"

using namespace flinkcpp::testing;

namespace {

const std::string full_token = "full-4f1e9c";
const std::string read_token = "read-only-77ab";

/// A jobmanager and a taskmanager whose REST API needs a token.
struct authentication_fixture {
  temp_dir secrets;
  std::string token_file = secrets.file("token");
  std::string read_only_file = secrets.file("read-only-token");
  std::unique_ptr<local_cluster> cluster;

  authentication_fixture() {
    write_file(token_file, full_token + "\n");
    write_file(read_only_file, read_token);
    cluster = std::make_unique<local_cluster>(
      std::vector<std::string>{"rest.authentication.token-file=" + token_file,
                               "rest.authentication.read-only-token-file=" + read_only_file});
    cluster->start_jobmanager();
    cluster->start_taskmanager(1);
    cluster->use_token(full_token);
    BOOST_REQUIRE(cluster->wait_for_taskmanagers(1));
  }

  /// `method` `path` with `authorization` as the Authorization header (none
  /// when empty): the status, the WWW-Authenticate header, the body.
  struct answer {
    int status = -1;
    std::string challenge;
    std::string body;
  };
  answer send(const std::string& method, const std::string& path,
              const std::string& authorization) const {
    httplib::Client client{"127.0.0.1", port()};
    httplib::Headers headers;
    if (!authorization.empty())
      headers.emplace("Authorization", authorization);
    auto r = method == "GET" ? client.Get(path, headers)
                             : client.Patch(path, headers, "", "application/json");
    if (!r)
      return {};
    return {r->status, r->get_header_value("WWW-Authenticate"), r->body};
  }

  int port() const {
    auto address = cluster->rest_address();
    return std::stoi(address.substr(address.rfind(':') + 1));
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(rest_authentication, authentication_fixture)

BOOST_AUTO_TEST_CASE(a_request_without_the_token_is_refused_with_401_saying_why) {
  auto none = send("GET", "/overview", "");
  BOOST_TEST(none.status == 401);
  BOOST_TEST(none.challenge == R"(Bearer realm="flink-cpp")");
  BOOST_TEST(none.body.find("Authorization: Bearer <token>") != std::string::npos, none.body);
  auto wrong = send("GET", "/overview", "Bearer " + full_token + "x");
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(wrong.body.find("the token is not valid") != std::string::npos, wrong.body);
  auto basic = send("GET", "/overview", "Basic dXNlcjpwYXNz");
  BOOST_TEST(basic.status == 401);
  BOOST_TEST(basic.body.find("not 'Bearer <token>'") != std::string::npos, basic.body);
  BOOST_TEST(send("GET", "/overview", "Bearer " + full_token).status == 200);
  BOOST_TEST(send("GET", "/v1/overview", "bearer " + full_token).status == 200);
}

BOOST_AUTO_TEST_CASE(the_read_only_token_may_read_but_not_change) {
  BOOST_TEST(send("GET", "/jobs/overview", "Bearer " + read_token).status == 200);
  auto job = "/jobs/" + std::string(32, 'a') + "?mode=cancel";
  auto refused = send("PATCH", job, "Bearer " + read_token);
  BOOST_TEST(refused.status == 403);
  BOOST_TEST(refused.body.find("allows GET requests only, not PATCH") != std::string::npos,
             refused.body);
  // The full token gets past the check to the route: the job is unknown.
  BOOST_TEST(send("PATCH", job, "Bearer " + full_token).status == 404);
}

BOOST_AUTO_TEST_CASE(the_web_ui_page_loads_without_a_token_its_data_does_not) {
  BOOST_TEST(send("GET", "/", "").status == 200);
  BOOST_TEST(send("GET", "/web/app.js", "").status == 200);
  BOOST_TEST(send("GET", "/config", "").status == 401);
}

BOOST_AUTO_TEST_CASE(a_replaced_token_file_is_read_again) {
  // As the kubelet replaces a mounted Secret: a new file renamed over the old.
  auto next = secrets.file("token.next");
  write_file(next, "rotated-0c3d\n");
  std::filesystem::rename(next, token_file);
  BOOST_TEST(send("GET", "/overview", "Bearer " + full_token).status == 401);
  BOOST_TEST(send("GET", "/overview", "Bearer rotated-0c3d").status == 200);
  // A token file that goes away keeps the token read before.
  std::filesystem::remove(token_file);
  BOOST_TEST(send("GET", "/overview", "Bearer rotated-0c3d").status == 200);
}

BOOST_AUTO_TEST_CASE(the_cli_sends_the_token_of_its_configuration) {
  auto with = run_flink_cpp(
    {"list", "-m", cluster->rest_address(), "-D", "rest.authentication.token-file=" + token_file});
  BOOST_TEST(with.exit_code == 0, with.err);
  auto without = run_flink_cpp({"list", "-m", cluster->rest_address()});
  BOOST_TEST(without.exit_code == 1);
  BOOST_TEST(without.err.find("needs a token") != std::string::npos, without.err);
  auto unreadable = run_flink_cpp({"list", "-m", cluster->rest_address(), "-D",
                                   "rest.authentication.token-file=" + secrets.file("none")});
  BOOST_TEST(unreadable.exit_code == 1);
  BOOST_TEST(unreadable.err.find("rest.authentication.token-file: cannot read the token file") !=
               std::string::npos,
             unreadable.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(a_jobmanager_whose_token_file_cannot_be_read_does_not_start) {
  temp_dir dir;
  write_file(dir.file("empty"), " \n");
  for (const auto& [file, why] : {std::pair{dir.file("missing"), "cannot read the token file"},
                                  std::pair{dir.file("empty"), "holds no token"}}) {
    local_cluster cluster{{"rest.authentication.token-file=" + file}}; // its ports, not started
    auto r = run_flink_cpp(cluster.arguments("jobmanager"));
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("error: cannot serve the REST API: rest.authentication.token-file: ") !=
                 std::string::npos,
               r.err);
    BOOST_TEST(r.err.find(why) != std::string::npos, r.err);
  }
}

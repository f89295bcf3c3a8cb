// The REST API of a real jobmanager, field by field against Flink's shapes,
// and its answers to bad requests.

#include <boost/test/unit_test.hpp>

#include <regex>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/local_cluster.hpp"

using namespace flinkcpp::testing;
using nlohmann::json;

namespace {

bool is_id(const json& j) {
  static const std::regex hex32{"^[0-9a-f]{32}$"};
  return j.is_string() && std::regex_match(j.get<std::string>(), hex32);
}

/// A finished WordCount job at parallelism 2 on two taskmanagers.
struct rest_fixture {
  local_cluster cluster{{"rest.server.max-content-length=64kb"}};
  std::string job;

  rest_fixture() {
    cluster.start_jobmanager();
    cluster.start_taskmanager(2);
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
    auto input = cluster.dir().file("in.txt");
    write_file(input, "to be or not to be\n");
    auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "2", "wordcount", "--input",
                            input, "--output", cluster.dir().file("out")});
    BOOST_REQUIRE(r.exit_code == 0);
    job = submitted_job_id(r);
  }

  void expect_error(const std::string& method, const std::string& path, int status,
                    const std::string& fragment, const std::string& body = {}) {
    auto [code, reply] = cluster.request(method, path, body);
    BOOST_TEST(code == status, method << " " << path << " gave " << code << " " << reply.dump());
    BOOST_TEST_REQUIRE(reply.is_object(), method << " " << path << " gave no JSON");
    BOOST_TEST_REQUIRE(reply["errors"].is_array(), method << " " << path);
    BOOST_TEST_REQUIRE(reply["errors"].size() == 1u);
    auto message = reply["errors"][0].get<std::string>();
    BOOST_TEST(message.find(fragment) != std::string::npos, message);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_rest, rest_fixture)

BOOST_AUTO_TEST_CASE(check_compares_the_cluster_with_what_is_expected) {
  // What the chart's helm test runs.
  auto ok = run_flink_cpp(
    {"check", "-m", cluster.rest_address(), "--taskmanagers", "2", "--slots", "4", "--job", job});
  BOOST_TEST(ok.exit_code == 0, ok.err);
  BOOST_TEST(ok.out == "OK: 2 taskmanagers with 4 slots, job " + job + " FINISHED\n");
  auto short_of = run_flink_cpp({"check", "-m", cluster.rest_address(), "--taskmanagers", "3",
                                 "--slots", "6", "--timeout", "0"});
  BOOST_TEST(short_of.exit_code == 1);
  BOOST_TEST(short_of.err == "error: expected 3 taskmanagers with 6 slots within 0 s, found 2 "
                             "taskmanagers with 4 slots\n");
  auto unknown = run_flink_cpp({"check", "-m", cluster.rest_address(), "--taskmanagers", "2",
                                "--slots", "4", "--job", std::string(32, 'f'), "--timeout", "0"});
  BOOST_TEST(unknown.exit_code == 1);
  BOOST_TEST(unknown.err.find("not known to the jobmanager") != std::string::npos, unknown.err);
}

BOOST_AUTO_TEST_CASE(cluster_level_resources) {
  auto [s1, config] = cluster.get("/config");
  BOOST_TEST(s1 == 200);
  BOOST_TEST(config["refresh-interval"].is_number_integer());
  BOOST_TEST(config["timezone-name"].is_string());
  BOOST_TEST(config["timezone-offset"].is_number_integer());
  BOOST_TEST(config["flink-version"].is_string());
  BOOST_TEST(config["flink-revision"].is_string());
  BOOST_TEST(config["features"]["web-submit"] == true);

  auto [s2, overview] = cluster.get("/v1/overview");
  BOOST_TEST(s2 == 200);
  BOOST_TEST(overview["taskmanagers"] == 2);
  BOOST_TEST(overview["slots-total"] == 4);
  BOOST_TEST(overview["slots-available"] == 4);
  BOOST_TEST(overview["jobs-running"] == 0);
  BOOST_TEST(overview["jobs-finished"] == 1);
  BOOST_TEST(overview["jobs-cancelled"] == 0);
  BOOST_TEST(overview["jobs-failed"] == 0);
  BOOST_TEST(overview["flink-version"].is_string());

  auto [s3, tms] = cluster.get("/taskmanagers");
  BOOST_TEST(s3 == 200);
  BOOST_REQUIRE(tms["taskmanagers"].size() == 2u);
  for (const auto& tm : tms["taskmanagers"]) {
    BOOST_TEST(tm["id"].get<std::string>().rfind("127.0.0.1:", 0) == 0u);
    BOOST_TEST(tm["dataPort"].get<int>() > 0);
    BOOST_TEST(tm["slotsNumber"] == 2);
    BOOST_TEST(tm["freeSlots"] == 2);
    BOOST_TEST(tm["timeSinceLastHeartbeat"].get<std::int64_t>() >= 0);
    BOOST_TEST(tm["path"].is_string());
    BOOST_TEST(tm["blocked"] == false);
    auto [s, one] = cluster.get("/taskmanagers/" + tm["id"].get<std::string>());
    BOOST_TEST(s == 200);
    BOOST_TEST(one["id"] == tm["id"]);
  }

  auto [s4, jmconfig] = cluster.get("/jobmanager/config");
  BOOST_TEST(s4 == 200);
  BOOST_REQUIRE(jmconfig.is_array());
  bool has_rest_port = false;
  for (const auto& entry : jmconfig)
    has_rest_port |= entry["key"] == "rest.port" && entry["value"].is_string();
  BOOST_TEST(has_rest_port);
}

BOOST_AUTO_TEST_CASE(job_resources) {
  auto [s1, jobs] = cluster.get("/jobs");
  BOOST_TEST(s1 == 200);
  BOOST_TEST(jobs == json::parse(R"({"jobs":[{"id":")" + job + R"(","status":"FINISHED"}]})"));

  auto [s2, overview] = cluster.get("/jobs/overview");
  BOOST_TEST(s2 == 200);
  const auto& summary = overview["jobs"][0];
  BOOST_TEST(summary["jid"] == job);
  BOOST_TEST(summary["name"] == "wordcount");
  BOOST_TEST(summary["state"] == "FINISHED");
  BOOST_TEST(summary["start-time"].get<std::int64_t>() > 0);
  BOOST_TEST(summary["end-time"].get<std::int64_t>() >= summary["start-time"].get<std::int64_t>());
  BOOST_TEST(summary["duration"].get<std::int64_t>() >= 0);
  BOOST_TEST(summary["last-modification"].get<std::int64_t>() > 0);
  BOOST_TEST(summary["tasks"]["total"] == 5); // source+tokenizer x2, counter x2, sink x1
  BOOST_TEST(summary["tasks"]["finished"] == 5);
  BOOST_TEST(summary["tasks"]["running"] == 0);

  auto [s3, details] = cluster.get("/jobs/" + job);
  BOOST_TEST(s3 == 200);
  BOOST_TEST(details["jid"] == job);
  BOOST_TEST(details["name"] == "wordcount");
  BOOST_TEST(details["state"] == "FINISHED");
  BOOST_TEST(details["isStoppable"] == false);
  BOOST_TEST(details["job-type"] == "STREAMING");
  BOOST_TEST(details["maxParallelism"] == 128);
  BOOST_TEST(details["now"].get<std::int64_t>() >= details["end-time"].get<std::int64_t>());
  BOOST_TEST(details["timestamps"]["CREATED"].get<std::int64_t>() > 0);
  BOOST_TEST(details["timestamps"]["RUNNING"].get<std::int64_t>() > 0);
  BOOST_TEST(details["timestamps"]["FINISHED"].get<std::int64_t>() > 0);
  BOOST_TEST(details["status-counts"]["FINISHED"] == 5);
  BOOST_REQUIRE(details["vertices"].size() == 3u);
  const auto& counter = details["vertices"][1];
  BOOST_TEST(is_id(counter["id"]));
  BOOST_TEST(counter["name"] == "counter");
  BOOST_TEST(counter["parallelism"] == 2);
  BOOST_TEST(counter["maxParallelism"] == 128);
  BOOST_TEST(counter["status"] == "FINISHED");
  BOOST_TEST(counter["tasks"]["FINISHED"] == 2);
  BOOST_TEST(counter["start-time"].get<std::int64_t>() > 0);
  BOOST_TEST(counter["metrics"].is_object());
  BOOST_TEST(details["plan"]["nodes"].size() == 3u);

  auto [s4, plan] = cluster.get("/jobs/" + job + "/plan");
  BOOST_TEST(s4 == 200);
  BOOST_TEST(plan["plan"]["jid"] == job);
  BOOST_TEST(plan["plan"]["nodes"][1]["id"] == counter["id"]);
  BOOST_TEST(plan["plan"]["nodes"][1]["inputs"][0]["ship_strategy"] == "HASH");

  auto [s5, exceptions] = cluster.get("/jobs/" + job + "/exceptions");
  BOOST_TEST(s5 == 200);
  BOOST_TEST(exceptions["exceptionHistory"]["entries"].empty());
  BOOST_TEST(exceptions["exceptionHistory"]["truncated"] == false);
  BOOST_TEST(exceptions["root-exception"].is_null());

  auto [s6, vertex] = cluster.get("/jobs/" + job + "/vertices/" + counter["id"].get<std::string>());
  BOOST_TEST(s6 == 200);
  BOOST_TEST(vertex["id"] == counter["id"]);
  BOOST_TEST(vertex["name"] == "counter");
  BOOST_REQUIRE(vertex["subtasks"].size() == 2u);
  const auto& subtask = vertex["subtasks"][1];
  BOOST_TEST(subtask["subtask"] == 1);
  BOOST_TEST(subtask["status"] == "FINISHED");
  BOOST_TEST(subtask["attempt"] == 0);
  BOOST_TEST(subtask["endpoint"].get<std::string>().rfind("127.0.0.1:", 0) == 0u);
  BOOST_TEST(subtask["taskmanager-id"].get<std::string>().rfind("127.0.0.1:", 0) == 0u);
  BOOST_TEST(subtask["duration"].get<std::int64_t>() >= 0);
}

BOOST_AUTO_TEST_CASE(bad_requests_get_clear_errors) {
  expect_error("GET", "/jobs/not-a-job", 400,
               "'not-a-job' is not a job id: expected 32 hex digits");
  expect_error("GET", "/jobs/0123456789abcdef0123456789abcdef", 404,
               "job 0123456789abcdef0123456789abcdef not found");
  expect_error("GET", "/jobs/" + job + "/vertices/feedface", 404, "has no vertex feedface");
  expect_error("GET", "/taskmanagers/nobody", 404, "taskmanager nobody not found");
  expect_error("GET", "/no/such/path", 404, "not found: /no/such/path");
  expect_error("PUT", "/jobs", 405, "method PUT is not allowed for /jobs; allowed: GET, POST",
               "{}");
  expect_error("DELETE", "/overview", 405, "allowed: GET");
  expect_error("POST", "/jobs", 400, "the request body is not valid JSON", "{not json");
  expect_error("POST", "/jobs/" + job + "/stop", 400, "a number out of range",
               R"({"drain": 1e99999})");
  expect_error("POST", "/jobs", 400, "the request body must be a JSON object", "[1, 2]");
  expect_error("POST", "/jobs", 400, "the request needs 'job'", "{}");
  expect_error("POST", "/jobs", 400, "unknown job 'nosuch'", R"({"job": "nosuch"})");
  expect_error("POST", "/jobs", 400, "unknown field 'paralelism'",
               R"({"job": "wordcount", "paralelism": 2})");
  expect_error("POST", "/jobs", 400, "'parallelism' must be a positive integer",
               R"({"job": "wordcount", "parallelism": 0})");
  expect_error("POST", "/jobs", 400, "unknown job argument --inptu",
               R"({"job": "wordcount", "programArgsList": ["--inptu", "x"]})");
  expect_error("POST", "/jobs", 400, "invalid value 'FAST' for configuration key",
               R"({"job": "wordcount", "flinkConfiguration": {"execution.runtime-mode": "FAST"}})");
  expect_error("PATCH", "/jobs/" + job + "?mode=cancel", 409, "is not running");
  expect_error("PATCH", "/jobs/" + job + "?mode=stop", 400, "expected mode=cancel");
  expect_error("POST", "/jars/..%2f..%2fetc%2fpasswd/run", 400,
               "must not contain '.' or '..' segments");
  expect_error("GET", "/jobs/..%2f..%2fetc%2fpasswd", 400, "must not contain '.' or '..' segments");
  expect_error("POST", "/jars/passwd/run", 400, "'passwd' is not a jar id");
  expect_error("POST", "/jars/upload", 400, "expected the job library as multipart field 'jarfile'",
               "{}");
  expect_error("POST", "/jobs", 413, "too large", std::string(100 * 1024, ' '));
  expect_error("POST", "/jobs/" + job + "/savepoints", 400,
               "invalid 'target-directory' 's3://bucket/x': expected an absolute local path",
               R"({"target-directory": "s3://bucket/x"})");
  expect_error("POST", "/jobs/" + job + "/checkpoints", 400, "checkpointType 'SOMETIMES'",
               R"({"checkpointType": "SOMETIMES"})");
  expect_error("POST", "/jobs", 400, "'restoreMode' 'LEGACY': expected CLAIM or NO_CLAIM",
               R"({"job": "wordcount", "restoreMode": "LEGACY"})");
  expect_error("POST", "/jobs", 400, "give the arguments once",
               R"({"job": "wordcount", "programArgs": "--input x", "programArgsList": []})");
  expect_error("POST", "/jobs", 400, "and 'state.savepoints.dir' to '/a': they are one key",
               R"({"job": "wordcount", "flinkConfiguration": {"state.savepoints.dir": "/a",
                   "execution.checkpointing.savepoint-dir": "/b"}})");
  expect_error("POST", "/savepoint-disposal", 400, "the request needs 'savepoint-path'", "{}");
  expect_error("GET", "/savepoint-disposal/nothing", 404, "there is no savepoint disposal");
  expect_error("PUT", "/jobs/" + job + "/resource-requirements", 409,
               "runs with the default scheduler", "{}");
}

BOOST_AUTO_TEST_CASE(a_request_without_a_body_is_answered_at_once) {
  // curl -X PATCH sends no Content-Length; HTTP/1.1 says there is no body.
  // (cpp-httplib alone waited for one until its read timeout, then said 400.)
  auto port = static_cast<std::uint16_t>(std::stoi(cluster.rest_address().substr(10)));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  std::string request =
    "PATCH /jobs/" + job + "?mode=cancel HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  BOOST_REQUIRE(::write(fd, request.data(), request.size()) ==
                static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    answer.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  // The job finished: 409 answered to this request, not 400 for a body never sent.
  BOOST_TEST(answer.rfind("HTTP/1.1 409", 0) == 0u, answer);
  BOOST_TEST(answer.find("is not running") != std::string::npos, answer);
}

BOOST_AUTO_TEST_SUITE_END()

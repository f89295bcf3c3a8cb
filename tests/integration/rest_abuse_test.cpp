// The REST API of a real jobmanager against hostile clients:
// - a thousand connections that send a request slowly and never finish it
//   (slowloris) do not keep /overview from answering;
// - ten thousand random requests (methods, paths, queries, headers, bodies)
//   all get an answer, none a 500, and the jobmanager's memory stays bounded;
// - an upload larger than rest.server.max-content-length is refused from
//   its Content-Length without the server reading it, and a chunked one
//   (whose length nothing bounds) at once;
// - no path or body parameter, plain, percent-encoded or double-encoded,
//   reads, writes or deletes a file outside where it belongs.

#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/local_cluster.hpp"
#include "support/process_usage.hpp"
#include "support/raw_connection.hpp"

using namespace flinkcpp::testing;

namespace {

/// How much the jobmanager's resident memory may grow in a test. Under
/// AddressSanitizer (ci/test.sh --sanitize) memory is not bounded this way:
/// freed blocks wait in its quarantine (256 MB) and its shadow grows with
/// them; LeakSanitizer checks the jobmanager's memory when it exits instead.
bool memory_measurable() {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#else
  return true;
#endif
}

constexpr std::uint64_t allowed_growth = 64u << 20;

/// A jobmanager with a taskmanager (so that its logs and thread dumps can
/// be asked for) and a small body limit.
struct abuse_fixture {
  local_cluster cluster{{"rest.server.max-content-length=16mb"}};

  abuse_fixture() {
    cluster.start_jobmanager();
    cluster.start_taskmanager(1);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  }

  std::uint16_t port() const { return cluster.rest_port(); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(rest_abuse, abuse_fixture)

BOOST_AUTO_TEST_CASE(a_thousand_slow_clients_do_not_keep_overview_from_answering) {
  constexpr int slow_clients = 1000;
  BOOST_REQUIRE_NO_THROW(allow_open_files(slow_clients + 200));
  std::vector<std::unique_ptr<raw_connection>> slow;
  for (int i = 0; i < slow_clients; ++i) {
    slow.push_back(std::make_unique<raw_connection>(port()));
    BOOST_REQUIRE(slow.back()->send_all("GET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  }
  std::mutex m;
  std::condition_variable answered_cv;
  bool answered = false;
  std::pair<int, nlohmann::json> overview;
  std::thread asker{[&] {
    auto r = cluster.get("/overview"); // the client gives up after 5 s
    std::lock_guard lock{m};
    overview = std::move(r);
    answered = true;
    answered_cv.notify_all();
  }};
  // The slow clients go on sending a header line every half second, as
  // slowloris does to stay under read timeouts, until /overview answered.
  std::unique_lock lock{m};
  while (!answered_cv.wait_for(lock, std::chrono::milliseconds{500}, [&] { return answered; }))
    for (const auto& c : slow)
      c->send_all("X-Slow: 1\r\n");
  lock.unlock();
  asker.join();
  BOOST_TEST(overview.first == 200);
  BOOST_TEST(overview.second["taskmanagers"] == 1);
  int still_waiting = 0;
  for (const auto& c : slow)
    still_waiting += c->has_answer() ? 0 : 1;
  BOOST_TEST_MESSAGE(still_waiting << " of " << slow_clients
                                   << " slow clients were still held when /overview answered");
  BOOST_TEST(still_waiting == slow_clients); // none was dropped to make room
}

BOOST_AUTO_TEST_CASE(ten_thousand_random_requests_get_answers_without_growing_memory) {
  static const std::vector<std::string> methods{"GET",  "POST",    "PUT",   "PATCH", "DELETE",
                                                "HEAD", "OPTIONS", "TRACE", "FOO"};
  // Every resource name of the API but /cluster (DELETE /cluster shuts the
  // jobmanager down, as it should), ids and hostile segments.
  static const std::vector<std::string> segments{"jobs",
                                                 "overview",
                                                 "vertices",
                                                 "subtasks",
                                                 "attempts",
                                                 "metrics",
                                                 "checkpoints",
                                                 "details",
                                                 "savepoints",
                                                 "savepoint-disposal",
                                                 "stop",
                                                 "rescaling",
                                                 "config",
                                                 "jobmanager",
                                                 "taskmanagers",
                                                 "logs",
                                                 "log",
                                                 "stdout",
                                                 "thread-dump",
                                                 "jars",
                                                 "upload",
                                                 "run",
                                                 "plan",
                                                 "exceptions",
                                                 "accumulators",
                                                 "backpressure",
                                                 "watermarks",
                                                 "subtasktimes",
                                                 "taskmanagers",
                                                 "resource-requirements",
                                                 "v1",
                                                 "0",
                                                 "1",
                                                 "-1",
                                                 "99999999999999999999",
                                                 "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0",
                                                 "..",
                                                 ".",
                                                 "%2e%2e",
                                                 "%252e%252e",
                                                 "%00",
                                                 "%ff%fe",
                                                 "a%2Fb",
                                                 "",
                                                 "index.html",
                                                 "app.js"};
  std::mt19937 random{20261204};
  auto pick = [&](const auto& options) {
    return options[std::uniform_int_distribution<std::size_t>{0, options.size() - 1}(random)];
  };
  auto text = [&](std::size_t max_length) {
    std::string s(std::uniform_int_distribution<std::size_t>{0, max_length}(random), ' ');
    for (auto& c : s)
      c = static_cast<char>(std::uniform_int_distribution<int>{0x21, 0x7e}(random));
    return s;
  };
  auto before = resident_bytes(cluster.jobmanager_pid());
  httplib::Client client{"127.0.0.1", port()};
  client.set_url_encode(false);
  int answered = 0;
  int server_errors = 0;
  for (int i = 0; i < 10'000; ++i) {
    httplib::Request req;
    req.method = pick(methods);
    auto depth = std::uniform_int_distribution<int>{1, 6}(random);
    for (int d = 0; d < depth; ++d)
      req.path += "/" + pick(segments);
    if (random() % 3 == 0)
      req.path += "?get=" + pick(segments) + "&agg=" + text(8) + "&" + text(12);
    for (auto h = random() % 4; h > 0; --h)
      req.headers.emplace("X-" + text(10), text(40));
    if (random() % 4 == 0)
      req.headers.emplace("Content-Type",
                          random() % 2 ? "application/json" : "multipart/form-data");
    if (req.method != "GET" && req.method != "HEAD") {
      req.body = random() % 2 ? R"({"programArgs":")" + text(200) + R"(","parallelism":)" +
                                  std::to_string(static_cast<int>(random())) + "}"
                              : text(4000);
    }
    auto r = client.send(req);
    if (r) {
      ++answered;
      if (r->status >= 500) {
        ++server_errors;
        BOOST_TEST_MESSAGE(req.method << " " << req.path << " -> " << r->status << " " << r->body);
      }
    }
  }
  BOOST_TEST(answered == 10'000);
  BOOST_TEST(server_errors == 0);
  BOOST_TEST(cluster.get("/overview").first == 200);
  auto after = resident_bytes(cluster.jobmanager_pid());
  BOOST_TEST_MESSAGE("jobmanager resident memory: " << before / 1024 << " KiB before, "
                                                    << after / 1024 << " KiB after");
  if (memory_measurable())
    BOOST_TEST(after < before + allowed_growth);
}

BOOST_AUTO_TEST_CASE(an_upload_beyond_the_limit_is_refused_without_being_read) {
  auto before = resident_bytes(cluster.jobmanager_pid());
  {
    raw_connection c{port()};
    BOOST_REQUIRE(c.send_all("POST /jars/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/x-sharedlib\r\n"
                             "Content-Length: 2147483648\r\n\r\n"));
    std::string chunk(1 << 20, 'x');
    std::uint64_t sent = 0;
    while (!c.has_answer() && sent < (2ULL << 30) && c.send_all(chunk))
      sent += chunk.size();
    auto answer = c.read_response();
    BOOST_TEST(answer.rfind("HTTP/1.1 413", 0) == 0, answer.substr(0, 200));
    BOOST_TEST(answer.find("rest.server.max-content-length") != std::string::npos);
    BOOST_TEST_MESSAGE(sent / (1 << 20) << " MiB sent of 2048 before the answer");
    BOOST_TEST(sent < (2ULL << 30)); // refused before the body was all sent
  }
  {
    raw_connection c{port()};
    BOOST_REQUIRE(c.send_all("POST /jars/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/x-sharedlib\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n"));
    auto answer = c.read_response(); // at once, the body unread
    BOOST_TEST(answer.rfind("HTTP/1.1 411", 0) == 0, answer.substr(0, 200));
    BOOST_TEST(answer.find("Content-Length") != std::string::npos);
  }
  BOOST_TEST(cluster.get("/overview").first == 200);
  auto after = resident_bytes(cluster.jobmanager_pid());
  if (memory_measurable())
    BOOST_TEST(after < before + allowed_growth);
}

BOOST_AUTO_TEST_CASE(no_parameter_reaches_a_file_outside_its_place) {
  temp_dir outside;
  auto canary = outside.file("canary.so");
  write_file(canary, "canary");
  auto canary_dir = outside.file("savepoint-like");
  std::filesystem::create_directories(canary_dir);
  write_file(canary_dir + "/_metadata", "not a savepoint");
  auto tm = cluster.get("/taskmanagers").second["taskmanagers"][0]["id"].get<std::string>();
  // "../" as is, percent-encoded, double-encoded, with backslashes and
  // absolute, aimed at /etc/passwd and at the canary files.
  std::vector<std::string> hostile;
  auto rel = std::filesystem::relative(outside.path(), "/").string();
  for (const std::string& target : {std::string{"etc/passwd"}, rel + "/canary.so"}) {
    hostile.push_back("../../../../../../../../" + target);
    hostile.push_back("..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F" + target);
    hostile.push_back("%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f" + target);
    hostile.push_back("..%252F..%252F..%252F..%252F..%252F..%252F..%252F" + target);
    hostile.push_back("%252e%252e%252f%252e%252e%252f%252e%252e%252f%252e%252e%252f" + target);
    hostile.push_back("..\\..\\..\\..\\..\\..\\..\\" + target);
    hostile.push_back("%2F" + target);
    hostile.push_back("....//....//....//....//....//....//" + target);
  }
  hostile.push_back(canary);
  hostile.push_back("file://" + canary);
  std::vector<std::pair<std::string, std::string>> attempts; // method, path (body in path after |)
  for (const auto& h : hostile) {
    attempts.push_back({"GET", "/jobmanager/logs/" + h});
    attempts.push_back({"GET", "/taskmanagers/" + tm + "/logs/" + h});
    attempts.push_back({"GET", "/taskmanagers/" + h + "/logs"});
    attempts.push_back({"GET", "/jobs/" + h});
    attempts.push_back({"GET", "/jobs/" + h + "/vertices/" + h});
    attempts.push_back({"GET", "/jobs/" + h + "/checkpoints/details/" + h});
    attempts.push_back({"POST", "/jars/" + h + "/run"});
    attempts.push_back({"POST", "/jars/" + h + "/plan"});
    attempts.push_back({"DELETE", "/jars/" + h});
    attempts.push_back({"GET", "/" + h});
  }
  httplib::Client client{"127.0.0.1", port()};
  client.set_url_encode(false);
  for (const auto& [method, path] : attempts) {
    BOOST_TEST_CONTEXT(method << " " << path) {
      httplib::Request req;
      req.method = method;
      req.path = path;
      if (method == "POST")
        req.body = R"({"programArgs": "--input /etc/passwd"})";
      auto r = client.send(req);
      BOOST_REQUIRE(r);
      BOOST_TEST(r->status >= 400);
      BOOST_TEST(r->status < 500);
      BOOST_TEST(r->body.find("root:") == std::string::npos);
    }
  }
  // A path parameter of a body: disposing of something that is no savepoint
  // of this cluster, reached through "..", deletes nothing.
  for (const auto& path : {canary_dir, "/tmp/../" + canary_dir, "file://" + canary_dir}) {
    BOOST_TEST_CONTEXT("disposal of " << path) {
      auto r = cluster.request("POST", "/savepoint-disposal",
                               nlohmann::json{{"savepoint-path", path}}.dump());
      BOOST_TEST_REQUIRE(r.first == 200);
      auto status = cluster.get("/savepoint-disposal/" + r.second["request-id"].get<std::string>());
      BOOST_TEST(status.second["status"]["id"] == "COMPLETED");
      auto failure = status.second["operation"]["failure-cause"]["stack-trace"];
      BOOST_TEST(failure.dump().find("is no savepoint") != std::string::npos, failure.dump());
    }
  }
  BOOST_TEST(std::filesystem::exists(canary));
  BOOST_TEST(read_file(canary) == "canary");
  BOOST_TEST(std::filesystem::exists(canary_dir + "/_metadata"));
  // An upload named with "..": stored as an upload, never beside the canary.
  httplib::MultipartFormDataItems items{{"jarfile", "not a library",
                                         "../../../../../../../../" + rel + "/planted.so",
                                         "application/x-sharedlib"}};
  auto upload = httplib::Client{"127.0.0.1", port()}.Post("/jars/upload", items);
  BOOST_REQUIRE(upload);
  BOOST_TEST_MESSAGE("upload named with ..: " << upload->status << " " << upload->body);
  BOOST_TEST(!std::filesystem::exists(outside.file("planted.so")));
}

BOOST_AUTO_TEST_SUITE_END()

// Faults around a cluster: each ends with one clear line and a non-zero exit
// code, and nothing waits forever.

#include <boost/test/unit_test.hpp>

#include <string>

#include "support/local_cluster.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;

namespace {

/// The last line of stderr, which must be the error.
std::string error_line(const process_result& r) {
  auto lines = lines_of(r.err);
  return lines.empty() ? std::string{} : lines.back();
}

} // namespace

BOOST_AUTO_TEST_SUITE(cluster_faults)

BOOST_AUTO_TEST_CASE(an_unreachable_jobmanager_is_named) {
  auto address = "127.0.0.1:" + std::to_string(free_port());
  for (auto args :
       std::vector<std::vector<std::string>>{{"run", "-m", address, "wordcount"},
                                             {"list", "-m", address},
                                             {"cancel", "-m", address, std::string(32, 'a')}}) {
    auto r = run_flink_cpp(args);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(lines_of(r.err).size() == 1u, r.err);
    BOOST_TEST(error_line(r).find("cannot reach the jobmanager at http://" + address) !=
                 std::string::npos,
               error_line(r));
  }
  auto malformed = run_flink_cpp({"run", "-m", "nowhere", "wordcount"});
  BOOST_TEST(error_line(malformed) == "error: invalid jobmanager address 'nowhere' for -m: "
                                      "expected HOST:PORT, http://HOST:PORT or https://HOST:PORT");
}

BOOST_AUTO_TEST_CASE(ports_in_use_are_reported) {
  local_cluster cluster;
  cluster.start_jobmanager();
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(0));
  auto second = run_flink_cpp(cluster.arguments("jobmanager"));
  BOOST_TEST(second.exit_code == 1);
  BOOST_TEST(error_line(second).find("error: cannot listen on 127.0.0.1:") == 0u,
             error_line(second));
  BOOST_TEST(error_line(second).find("jobmanager.rpc.port") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_taskmanager_at_a_wrong_address_gives_up) {
  auto port = free_port();
  auto r = run_flink_cpp({"taskmanager", "-D", "jobmanager.rpc.address=127.0.0.1", "-D",
                          "jobmanager.rpc.port=" + std::to_string(port), "-D",
                          "taskmanager.host=127.0.0.1", "-D", "taskmanager.bind-host=127.0.0.1",
                          "-D", "taskmanager.registration.timeout=1s"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(error_line(r).find("error: could not register with the jobmanager at 127.0.0.1:" +
                                std::to_string(port) + " within 1000 ms") == 0u,
             error_line(r));
}

BOOST_AUTO_TEST_CASE(a_taskmanager_announces_the_address_that_routes_to_its_jobmanager) {
  // Without taskmanager.host, as Flink's: here the loopback address, in a pod
  // its IP (the k8s tier runs Flink's manifests, whose pods' names resolve
  // nowhere).
  local_cluster cluster;
  cluster.start_jobmanager();
  cluster.start_taskmanager(2, {"taskmanager.host="});
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto [status, taskmanagers] = cluster.get("/taskmanagers");
  auto path = taskmanagers["taskmanagers"][0]["path"].get<std::string>();
  BOOST_TEST(path.find("127.0.0.1:") != std::string::npos, path);
}

BOOST_AUTO_TEST_CASE(a_taskmanager_waits_for_its_jobmanagers_name_then_gives_up_naming_it) {
  auto r =
    run_flink_cpp({"taskmanager", "-D", "jobmanager.rpc.address=no-such-jobmanager.invalid", "-D",
                   "taskmanager.bind-host=127.0.0.1", "-D", "taskmanager.registration.timeout=1s"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out.find("Waiting for the jobmanager's address") != std::string::npos, r.out);
  BOOST_TEST(error_line(r).find("error: could not register with the jobmanager at "
                                "no-such-jobmanager.invalid:6123 within 1000 ms") == 0u,
             error_line(r));
}

BOOST_AUTO_TEST_CASE(a_job_needing_more_slots_than_exist_fails_after_the_timeout) {
  local_cluster cluster{{"slot.request.timeout=1s"}};
  cluster.start_jobmanager();
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "5", "wordcount"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(error_line(r).find("could not get 5 slots within 1000 ms (slot.request.timeout): the "
                                "cluster has 2 free slots on 1 taskmanagers") != std::string::npos,
             error_line(r));
}

BOOST_AUTO_TEST_CASE(bad_job_requests_are_refused_by_the_cluster) {
  local_cluster cluster;
  cluster.start_jobmanager();
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(0));
  auto m = cluster.rest_address();
  auto unknown_id = run_flink_cpp({"cancel", "-m", m, "0123456789abcdef0123456789abcdef"});
  BOOST_TEST(unknown_id.exit_code == 1);
  BOOST_TEST(error_line(unknown_id) == "error: cannot cancel job 0123456789abcdef0123456789abcdef: "
                                       "job 0123456789abcdef0123456789abcdef not found");
  auto malformed_id = run_flink_cpp({"cancel", "-m", m, "42"});
  BOOST_TEST(error_line(malformed_id).find("'42' is not a job id") != std::string::npos);
  auto bad_arg = run_flink_cpp({"run", "-m", m, "wordcount", "--inptu", "x"});
  BOOST_TEST(bad_arg.exit_code == 1);
  BOOST_TEST(error_line(bad_arg).find("unknown job argument --inptu") != std::string::npos);
  auto missing = run_flink_cpp({"run", "-m", m, "wordcount", "--input", "/nonexistent/in.txt"});
  BOOST_TEST(error_line(missing).find("input '/nonexistent/in.txt' cannot be read") !=
             std::string::npos);
  auto bad_p = run_flink_cpp({"run", "-m", m, "-p", "0", "wordcount"});
  BOOST_TEST(error_line(bad_p).find("invalid parallelism '0' for -p") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(uploads_are_refused_unless_web_submit_is_enabled) {
  local_cluster cluster{{"web.submit.enable=false"}};
  cluster.start_jobmanager();
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(0));
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), FLINKCPP_EXAMPLE_JOB});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(error_line(r) == "error: uploading '" + std::string{FLINKCPP_EXAMPLE_JOB} +
                                "' failed: job libraries cannot be uploaded or run here: "
                                "web.submit.enable is false",
             error_line(r));
  BOOST_TEST(cluster.get("/config").second["features"]["web-submit"] == false);
  BOOST_TEST(cluster.get("/jars").second["files"].empty());
}

BOOST_AUTO_TEST_SUITE_END()

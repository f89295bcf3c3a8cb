// Failures of real processes: a taskmanager killed mid-job, a jobmanager
// replaced, processes started in any order, clean shutdown.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <set>
#include <string>

#include "support/local_cluster.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(cluster_failover)

BOOST_AUTO_TEST_CASE(a_killed_taskmanager_is_replaced_and_the_output_stays_exact) {
  local_cluster cluster;
  cluster.start_jobmanager();
  auto doomed = cluster.start_taskmanager(2);
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  auto output = cluster.dir().file("numbers");
  // 3000 records at 1000 per second: every attempt runs for three seconds.
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "4", "-D",
                          "restart-strategy.type=fixed-delay", "-D",
                          "restart-strategy.fixed-delay.attempts=5", "-D",
                          "restart-strategy.fixed-delay.delay=100ms", FLINKCPP_SEQUENCE_JOB,
                          "--count", "3000", "--rate", "1000", "--output", output});
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = submitted_job_id(r);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  BOOST_REQUIRE(wait_until([&] { return state() == "RUNNING"; }));

  auto killed = cluster.stop_taskmanager(doomed, SIGKILL);
  BOOST_TEST(killed.exit_code == 128 + SIGKILL);
  BOOST_REQUIRE(wait_until([&] {
    auto s = state();
    return s == "RESTARTING" || s == "CREATED";
  }));
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }));

  std::multiset<std::string> seen;
  for (const auto& line : lines_of(read_file(output)))
    seen.insert(line);
  BOOST_TEST(seen.size() == 3000u);
  for (int i = 0; i < 3000; ++i)
    BOOST_TEST_REQUIRE(seen.count(std::to_string(i)) == 1u, "number " << i);
  for (const auto& e : fs::directory_iterator(cluster.dir().path()))
    BOOST_TEST(e.path().filename().string()[0] != '.', "left behind: " << e.path());

  auto [status, details] = cluster.get("/jobs/" + job);
  BOOST_TEST(status == 200);
  BOOST_TEST(details["timestamps"]["RESTARTING"].get<std::int64_t>() > 0);
  auto [estatus, exceptions] = cluster.get("/jobs/" + job + "/exceptions");
  const auto& entries = exceptions["exceptionHistory"]["entries"];
  BOOST_REQUIRE(entries.size() >= 1u);
  auto cause = entries.back()["stacktrace"].get<std::string>();
  BOOST_TEST((cause.find("was lost") != std::string::npos ||
              cause.find("terminated unexpectedly") != std::string::npos),
             cause);
}

BOOST_AUTO_TEST_CASE(a_frozen_taskmanager_is_lost_after_the_heartbeat_timeout) {
  local_cluster cluster{{"heartbeat.interval=100ms", "heartbeat.timeout=1s"}};
  cluster.start_jobmanager();
  auto frozen = cluster.start_taskmanager(1);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto output = cluster.dir().file("never");
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-D",
                          "restart-strategy.type=fixed-delay", FLINKCPP_SEQUENCE_JOB, "--count",
                          "1000000", "--rate", "1000", "--output", output});
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = submitted_job_id(r);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  BOOST_REQUIRE(wait_until([&] { return state() == "RUNNING"; }));
  // Its connections stay open: only the missing heartbeats tell.
  cluster.signal_taskmanager(frozen, SIGSTOP);
  BOOST_TEST(cluster.wait_for_taskmanagers(0));
  cluster.start_taskmanager(1);
  BOOST_REQUIRE(wait_until([&] {
    auto [status, details] = cluster.get("/jobs/" + job);
    return details.value("state", std::string{}) == "RUNNING" &&
           details["timestamps"].value("RESTARTING", std::int64_t{0}) > 0;
  }));
  auto [estatus, exceptions] = cluster.get("/jobs/" + job + "/exceptions");
  auto cause = exceptions["exceptionHistory"]["entries"][0]["stacktrace"].get<std::string>();
  BOOST_TEST(cause.find("was lost: no heartbeat for 1000 ms") != std::string::npos, cause);
  BOOST_TEST(run_flink_cpp({"cancel", "-m", cluster.rest_address(), job}).exit_code == 0);
  // Thawed, it hears that the jobmanager lost it, and registers again.
  cluster.signal_taskmanager(frozen, SIGCONT);
  BOOST_TEST(cluster.wait_for_taskmanagers(2));
  cluster.stop_taskmanager(frozen, SIGKILL);
}

BOOST_AUTO_TEST_CASE(a_taskmanager_whose_only_thread_is_busy_still_heartbeats) {
  local_cluster cluster{{"heartbeat.interval=100ms", "heartbeat.timeout=1s"}};
  cluster.start_jobmanager();
  cluster.start_taskmanager(1); // one slot: one scheduler thread
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto output = cluster.dir().file("out");
  // Each record holds the thread longer than the heartbeat timeout.
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "1", FLINKCPP_SEQUENCE_JOB,
                          "--count", "2", "--stall-ms", "1500", "--output", output});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(read_file(output) == "0\n1\n");
  auto job = submitted_job_id(r);
  auto [status, details] = cluster.get("/jobs/" + job);
  BOOST_TEST(details["timestamps"].value("RESTARTING", std::int64_t{0}) == 0);
  BOOST_TEST(cluster.get("/taskmanagers").second["taskmanagers"].size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_taskmanager_started_first_registers_when_the_jobmanager_comes) {
  local_cluster cluster;
  cluster.start_taskmanager(3);
  cluster.start_jobmanager();
  BOOST_TEST(cluster.wait_for_taskmanagers(1));
  BOOST_TEST(cluster.get("/overview").second["slots-total"] == 3);
}

BOOST_AUTO_TEST_CASE(taskmanagers_register_again_with_a_replaced_jobmanager) {
  local_cluster cluster;
  cluster.start_jobmanager();
  auto tm = cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto gone = cluster.stop_jobmanager(SIGKILL);
  BOOST_TEST(gone.exit_code == 128 + SIGKILL);
  cluster.start_jobmanager();
  if (!cluster.wait_for_taskmanagers(1)) {
    auto left = cluster.stop_taskmanager(tm, SIGTERM);
    BOOST_FAIL("the taskmanager did not register again:\n" << left.out << left.err);
  }
}

BOOST_AUTO_TEST_CASE(log_levels_apply_per_component) {
  local_cluster cluster;
  cluster.start_jobmanager();
  auto tm = cluster.start_taskmanager(1, {"log.levels=taskexecutor=WARN"});
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto left = cluster.stop_taskmanager(tm, SIGTERM);
  // The taskmanager component logs at INFO, the task executor only warnings.
  BOOST_TEST(left.out.find(" INFO  taskmanager  TaskManager ") != std::string::npos, left.out);
  BOOST_TEST(left.out.find("Registered at") == std::string::npos, left.out);
}

BOOST_AUTO_TEST_CASE(sigterm_shuts_processes_down_cleanly) {
  local_cluster cluster;
  cluster.start_jobmanager();
  auto tm = cluster.start_taskmanager(1);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto left = cluster.stop_taskmanager(tm, SIGTERM);
  BOOST_TEST(left.exit_code == 0, left.err);
  BOOST_TEST(left.out.find("leaving the cluster") != std::string::npos, left.out);
  BOOST_TEST(cluster.wait_for_taskmanagers(0));
  auto jm = cluster.stop_jobmanager(SIGTERM);
  BOOST_TEST(jm.exit_code == 0, jm.err);
  // Deregistered, not noticed through a dropped connection or missed heartbeats.
  BOOST_TEST(jm.out.find("deregistered: it shut down") != std::string::npos, jm.out);
}

BOOST_AUTO_TEST_SUITE_END()

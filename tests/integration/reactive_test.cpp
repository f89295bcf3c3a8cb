// Reactive mode on real processes: the job runs on every slot there is,
// rescales from its latest checkpoint when a taskmanager joins and when one
// is killed, and still commits every record exactly once.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <string>

#include "support/local_cluster.hpp"
#include "support/sequence_output.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;

BOOST_AUTO_TEST_SUITE(reactive_mode)

BOOST_AUTO_TEST_CASE(the_job_follows_the_slots_without_losing_state) {
  temp_dir dir;
  local_cluster cluster{
    {"scheduler-mode=reactive",
     "jobmanager.adaptive-scheduler.resource-stabilization-timeout=100ms",
     "execution.checkpointing.interval=50ms", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "restart-strategy.type=fixed-delay", "restart-strategy.fixed-delay.attempts=100",
     "restart-strategy.fixed-delay.delay=10ms"}};
  cluster.start_jobmanager();
  auto first = cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  constexpr int keys = 40;
  constexpr int per_key = 300; // 12000 events at 2000 per second: six seconds
  auto output = dir.file("out");
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", FLINKCPP_EXACTLY_ONCE_JOB,
                          "--output", output, "--keys", std::to_string(keys), "--per-key",
                          std::to_string(per_key), "--rate", "2000"});
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = submitted_job_id(r);
  auto running_at = [&](int parallelism) {
    auto [status, details] = cluster.get("/jobs/" + job);
    auto [cstatus, checkpoints] = cluster.get("/jobs/" + job + "/checkpoints");
    int subtasks = 0;
    for (const auto& [name, count] : details["status-counts"].items())
      subtasks += count.get<int>();
    return details.value("state", std::string{}) == "RUNNING" &&
           details["vertices"][0].value("parallelism", 0) == parallelism &&
           details["status-counts"].value("RUNNING", 0) == subtasks &&
           checkpoints["latest"]["completed"].is_object();
  };
  BOOST_REQUIRE(wait_until([&] { return running_at(2); }));
  cluster.start_taskmanager(2);
  if (!wait_until([&] { return running_at(4); })) {
    auto details = cluster.get("/jobs/" + job).second.dump();
    BOOST_FAIL("no rescale to 4: " << details << "\n" << cluster.stop_jobmanager(SIGTERM).out);
  }
  auto before = cluster.get("/jobs/" + job + "/checkpoints").second["counts"]["completed"];
  BOOST_REQUIRE(wait_until([&] {
    return cluster.get("/jobs/" + job + "/checkpoints").second["counts"]["completed"] > before;
  }));
  cluster.stop_taskmanager(first, SIGKILL);
  BOOST_REQUIRE(wait_until([&] { return running_at(2); }));
  BOOST_REQUIRE(wait_until([&] {
    return cluster.get("/jobs/" + job).second.value("state", std::string{}) == "FINISHED";
  }));
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
  auto [status, checkpoints] = cluster.get("/jobs/" + job + "/checkpoints");
  BOOST_TEST(checkpoints["counts"]["restored"].get<int>() >= 2); // the rescales
}

BOOST_AUTO_TEST_SUITE_END()

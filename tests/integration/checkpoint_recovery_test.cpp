// Exactly-once through failures: the general-purpose test job with
// checkpoints, failing in the embedded mini-cluster and losing taskmanager
// processes to SIGKILL, must commit every (key, sequence) exactly once with
// no alert from its keyed check.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <string>

#include "support/local_cluster.hpp"
#include "support/sequence_output.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> checkpointing(const temp_dir& dir) {
  return {"-D", "execution.checkpointing.interval=50ms",
          "-D", "state.checkpoints.dir=" + dir.file("checkpoints"),
          "-D", "restart-strategy.type=fixed-delay",
          "-D", "restart-strategy.fixed-delay.attempts=100",
          "-D", "restart-strategy.fixed-delay.delay=10ms"};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The completed checkpoints a job reports.
long completed_checkpoints(const local_cluster& cluster, const std::string& job) {
  auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
  return status == 200 ? body["counts"].value("completed", 0L) : 0L;
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_recovery)

BOOST_AUTO_TEST_CASE(a_failing_function_restores_from_the_latest_checkpoint) {
  temp_dir dir;
  auto output = dir.file("out");
  auto marker = dir.file("failed-once");
  auto args = concat({"run", "-t", "local", "-p", "2", "-D", "log.level=INFO"},
                     checkpointing(dir));
  args = concat(args, {FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", "20",
                       "--per-key", "400", "--rate", "8000", "--fail-once", marker});
  auto r = run_flink_cpp(args);
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(fs::exists(marker)); // it did fail once
  BOOST_TEST(r.err.find("restores from checkpoint") != std::string::npos, r.err);
  BOOST_TEST(check_sequence_output(output, 20, 400) == "");
  // Completed checkpoints are deleted with the job (no retention asked for).
  BOOST_TEST(!fs::exists(dir.file("checkpoints") + "/" +
                         r.err.substr(r.err.find("JobID ") + 6, 32)));
}

/// The job at -p 4 on two taskmanagers, one of them SIGKILLed (and replaced)
/// three times after a checkpoint of the attempt completed.
void survive_three_kills(const std::string& backend) {
  temp_dir dir;
  local_cluster cluster{{"execution.checkpointing.interval=50ms",
                         "state.checkpoints.dir=" + dir.file("checkpoints"),
                         "state.backend.type=" + backend,
                         "state.backend.leveldb.localdir=" + dir.file("leveldb"),
                         "restart-strategy.type=fixed-delay",
                         "restart-strategy.fixed-delay.attempts=100",
                         "restart-strategy.fixed-delay.delay=10ms"}};
  cluster.start_jobmanager();
  std::vector<std::size_t> alive{cluster.start_taskmanager(2), cluster.start_taskmanager(2)};
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  auto output = dir.file("out");
  constexpr int keys = 50;
  constexpr int per_key = 400; // 20000 events at 4000 per second: five seconds
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "4",
                          FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys",
                          std::to_string(keys), "--per-key", std::to_string(per_key), "--rate",
                          "4000"});
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = r.err.substr(r.err.find("JobID ") + 6, 32);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  for (int kill = 0; kill < 3; ++kill) {
    // Wait for a checkpoint of the current attempt, then kill a taskmanager.
    auto before = completed_checkpoints(cluster, job);
    BOOST_REQUIRE(wait_until([&] {
      return state() == "FINISHED" ||
             (state() == "RUNNING" && completed_checkpoints(cluster, job) > before);
    }));
    if (state() == "FINISHED")
      break;
    auto victim = alive.front();
    alive.erase(alive.begin());
    BOOST_TEST(cluster.stop_taskmanager(victim, SIGKILL).exit_code == 128 + SIGKILL);
    alive.push_back(cluster.start_taskmanager(2));
  }
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }, std::chrono::seconds{120}));
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
  auto [status, details] = cluster.get("/jobs/" + job);
  BOOST_TEST(details["timestamps"]["RESTARTING"].get<std::int64_t>() > 0);
  auto [cstatus, checkpoints] = cluster.get("/jobs/" + job + "/checkpoints");
  BOOST_TEST(checkpoints["counts"]["restored"].get<int>() >= 1);
}

BOOST_AUTO_TEST_CASE(killed_taskmanagers_lose_nothing_and_duplicate_nothing) {
  survive_three_kills("hashmap");
}

BOOST_AUTO_TEST_CASE(killed_taskmanagers_lose_nothing_on_leveldb) {
  survive_three_kills("leveldb");
}

BOOST_AUTO_TEST_SUITE_END()

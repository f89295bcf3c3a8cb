// Application mode on real processes (flink-cpp standalone-job, what the
// Helm chart's jobmanager runs): the jobmanager runs its job at start; with
// high-availability.type filesystem a jobmanager started again resumes the
// job of the same id from its newest checkpoint (after SIGKILL, or SIGTERM
// that suspends the job) or from the savepoint it was stopped with, and does
// not run again a job that already finished. Bad arguments fail before anything starts.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <string>

#include "support/local_cluster.hpp"
#include "support/sequence_output.hpp"
#include "support/wait.hpp"
#include "support/word_reference.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

constexpr int keys = 40;
constexpr int per_key = 300; // 12000 events at 2000 per second: six seconds in all
const std::string job_id = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

struct application_fixture {
  temp_dir dir;
  // As the Helm chart sets it: the jobmanager stays when its job ended.
  local_cluster cluster{
    {"execution.shutdown-on-application-finish=false", "high-availability.type=filesystem",
     "high-availability.storageDir=" + dir.file("ha"), "execution.checkpointing.interval=100ms",
     "state.checkpoints.dir=" + dir.file("checkpoints"),
     "state.savepoints.dir=" + dir.file("savepoints"), "restart-strategy.type=fixed-delay",
     "restart-strategy.fixed-delay.attempts=100", "restart-strategy.fixed-delay.delay=200ms"}};
  std::string output = dir.file("out");

  /// The exactly_once job as the application, options first.
  std::vector<std::string> exactly_once(std::vector<std::string> options = {}) const {
    std::vector<std::string> args{"--job-id", job_id, "-p", "2"};
    args.insert(args.end(), options.begin(), options.end());
    for (std::string a : {std::string{FLINKCPP_EXACTLY_ONCE_JOB}, std::string{"--output"}, output,
                          std::string{"--keys"}, std::to_string(keys), std::string{"--per-key"},
                          std::to_string(per_key), std::string{"--rate"}, std::string{"2000"}})
      args.push_back(a);
    return args;
  }

  nlohmann::json job() const { return cluster.get("/jobs/" + job_id).second; }
  std::string state() const { return job().value("state", std::string{}); }

  nlohmann::json restored() const {
    return cluster.get("/jobs/" + job_id + "/checkpoints").second["latest"]["restored"];
  }

  /// Waits until the job runs and has completed a checkpoint.
  void wait_for_checkpoint() const {
    BOOST_REQUIRE(wait_until([&] {
      auto [status, body] = cluster.get("/jobs/" + job_id + "/checkpoints");
      return state() == "RUNNING" && body["counts"].value("completed", 0) > 0;
    }));
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(application_mode, application_fixture)

BOOST_AUTO_TEST_CASE(a_killed_jobmanager_is_replaced_and_the_job_resumes_from_its_checkpoint) {
  cluster.start_application(exactly_once());
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  wait_for_checkpoint();
  BOOST_TEST(job()["jid"] == job_id);
  auto killed = cluster.stop_jobmanager(SIGKILL);
  BOOST_TEST(killed.exit_code == 128 + SIGKILL);
  // The replacement finds the job's newest checkpoint under its id.
  cluster.start_application(exactly_once());
  BOOST_REQUIRE(wait_until([&] { return restored().is_object(); }));
  BOOST_TEST(restored()["is_savepoint"] == false);
  BOOST_TEST(restored()["id"].get<int>() > 0);
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }));
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
  // Its checkpoints are retired like its own: none is left once it finished
  // (deleted off the job master's thread, after it reported FINISHED).
  BOOST_TEST(wait_until([&] { return !fs::exists(dir.file("checkpoints") + "/" + job_id); }));
}

BOOST_AUTO_TEST_CASE(a_jobmanager_shut_down_leaves_its_job_to_the_next_one) {
  cluster.start_application(exactly_once());
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  wait_for_checkpoint();
  // SIGTERM, as a pod replaced by a rolling upgrade gets: the job is
  // suspended, not ended, and its checkpoints stay.
  auto stopped = cluster.stop_jobmanager(SIGTERM);
  BOOST_TEST(stopped.exit_code == 0);
  BOOST_TEST(stopped.out.find("switched to SUSPENDED") != std::string::npos, stopped.out);
  BOOST_TEST(!fs::is_empty(dir.file("checkpoints") + "/" + job_id));
  BOOST_TEST(!fs::exists(dir.file("ha") + "/job-result-store/" + job_id + ".json"));
  cluster.start_application(exactly_once());
  BOOST_REQUIRE(wait_until([&] { return restored().is_object(); }));
  BOOST_TEST(restored()["is_savepoint"] == false);
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }));
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
}

BOOST_AUTO_TEST_CASE(a_stopped_application_resumes_from_its_savepoint) {
  cluster.start_application(exactly_once());
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  wait_for_checkpoint();
  auto stopped = run_flink_cpp({"stop", "-m", cluster.rest_address(), job_id});
  BOOST_REQUIRE_MESSAGE(stopped.exit_code == 0, stopped.err);
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }));
  const std::string marker = "Savepoint completed. Path: ";
  auto at = stopped.out.find(marker) + marker.size();
  auto location = stopped.out.substr(at, stopped.out.find('\n', at) - at);
  // Stopped, not ended: no result is recorded, and the next jobmanager (as
  // after a helm upgrade) resumes from the savepoint.
  BOOST_TEST(cluster.stop_jobmanager(SIGTERM).exit_code == 0);
  BOOST_TEST(!fs::exists(dir.file("ha") + "/job-result-store/" + job_id + ".json"));
  cluster.start_application(exactly_once());
  BOOST_REQUIRE(wait_until([&] { return restored().is_object(); }));
  BOOST_TEST(restored()["is_savepoint"] == true);
  BOOST_TEST(restored()["external_path"] == location);
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }));
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
  // Ended for good now: recorded by the time the jobmanager is gone.
  BOOST_TEST(cluster.stop_jobmanager(SIGTERM).exit_code == 0);
  BOOST_TEST(fs::exists(dir.file("ha") + "/job-result-store/" + job_id + ".json"));
}

BOOST_AUTO_TEST_CASE(a_finished_application_is_not_run_again) {
  auto input = dir.file("words.txt");
  std::string text;
  for (int i = 0; i < 2000; ++i)
    text += "to be or not to be " + std::to_string(i % 13) + "\n";
  write_file(input, text);
  auto words = dir.file("counts");
  std::vector<std::string> args{
    "-D", "execution.runtime-mode=BATCH", "wordcount", "--input", input, "--output", words};
  cluster.start_application(args);
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  // All zeros: Flink's id of an application's job when none is given.
  const std::string zeros(32, '0');
  BOOST_REQUIRE(wait_until([&] {
    return cluster.get("/jobs/" + zeros).second.value("state", std::string{}) == "FINISHED";
  }));
  BOOST_TEST(final_counts(words) == reference_word_counts(text));
  BOOST_TEST(cluster.stop_jobmanager(SIGTERM).exit_code == 0);
  fs::remove(words);
  cluster.start_application(args);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  // The result says FINISHED: the job is not submitted a second time.
  BOOST_TEST(cluster.get("/jobs").second["jobs"].empty());
  BOOST_TEST(!fs::exists(words));
}

BOOST_AUTO_TEST_CASE(bad_arguments_fail_before_anything_starts) {
  auto r = run_flink_cpp({"standalone-job", "--job-id", "xyz", "wordcount"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("invalid job id 'xyz' for --job-id: expected 32 hex digits") !=
               std::string::npos,
             r.err);
  r = run_flink_cpp({"standalone-job", "no-such-job"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("no-such-job") != std::string::npos, r.err);
  r = run_flink_cpp({"standalone-job"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("no job given, and no job library in ") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

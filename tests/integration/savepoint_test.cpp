// Savepoints on a cluster of real processes: stop with a savepoint, restore
// at another parallelism and on the other state backend with the keyed state
// intact; the REST resources in Flink's shapes; and snapshots that cannot be
// restored, each refused naming the file.

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "support/local_cluster.hpp"
#include "support/sequence_output.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

constexpr int keys = 40;
constexpr int per_key = 300; // 12000 events: at most four seconds at 3000 per second
/// Jobs submitted to be stopped or cancelled run slower: 24 s for all their
/// events, so that they are still running when the test stops them, also on
/// a slow machine or under sanitizers. What resumes them runs at full rate.
constexpr int stopped_rate = 500;

struct savepoint_fixture {
  temp_dir dir;
  local_cluster cluster{
    {"execution.checkpointing.interval=100ms", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "state.savepoints.dir=" + dir.file("savepoints"), "restart-strategy.type=none"}};
  std::string output = dir.file("out");

  savepoint_fixture() {
    cluster.start_jobmanager();
    cluster.start_taskmanager(2);
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  }

  /// Submits the exactly_once job detached at stopped_rate; returns its id.
  /// `options` go to flink-cpp run, `job_options` to the job.
  std::string submit(std::vector<std::string> options, std::vector<std::string> job_options = {}) {
    std::vector<std::string> args{"run", "-m", cluster.rest_address(), "-d"};
    args.insert(args.end(), options.begin(), options.end());
    for (std::string a :
         {std::string{FLINKCPP_EXACTLY_ONCE_JOB}, std::string{"--output"}, output,
          std::string{"--keys"}, std::to_string(keys), std::string{"--per-key"},
          std::to_string(per_key), std::string{"--rate"}, std::to_string(stopped_rate)})
      args.push_back(a);
    args.insert(args.end(), job_options.begin(), job_options.end());
    auto r = run_flink_cpp(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return submitted_job_id(r);
  }

  std::string state(const std::string& job) {
    return cluster.get("/jobs/" + job).second.value("state", std::string{});
  }

  /// Waits until the job runs and has completed a checkpoint.
  void wait_for_progress(const std::string& job) {
    BOOST_REQUIRE(wait_until([&] {
      auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
      return state(job) == "RUNNING" && body["counts"].value("completed", 0) > 0;
    }));
  }

  /// `flink-cpp stop [--drain]`: returns the savepoint's path.
  std::string stop(const std::string& job, bool drain = false) {
    std::vector<std::string> args{"stop", "-m", cluster.rest_address(), job};
    if (drain)
      args.insert(args.begin() + 1, "--drain");
    auto r = run_flink_cpp(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::string marker = "Savepoint completed. Path: ";
    auto at = r.out.find(marker);
    BOOST_REQUIRE(at != std::string::npos);
    BOOST_TEST(r.out.rfind(std::string{drain ? "Draining" : "Suspending"} + " job \"" + job +
                             "\" with a CANONICAL savepoint.\n",
                           0) == 0u,
               r.out);
    BOOST_REQUIRE(wait_until([&] { return state(job) == "FINISHED"; }));
    return r.out.substr(at + marker.size(), r.out.find('\n', at) - at - marker.size());
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(savepoints, savepoint_fixture)

BOOST_AUTO_TEST_CASE(stop_with_drain_fires_the_open_event_time_windows_first) {
  // A window of a billion seconds of event time: only the final watermark
  // closes it.
  for (bool drain : {false, true}) {
    BOOST_TEST_CONTEXT((drain ? "--drain" : "no --drain")) {
      auto out = dir.file(drain ? "drained" : "kept");
      auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", FLINKCPP_EVENT_TIME_JOB,
                              "--output", out, "--window", "1000000000", "--rate", "2000"});
      BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
      auto job = submitted_job_id(r);
      wait_for_progress(job);
      stop(job, drain);
      auto lines = output_lines(out); // from the part files the sink committed
      if (!drain) {
        BOOST_TEST(lines.empty()); // the open window is in the savepoint, not the output
        continue;
      }
      BOOST_REQUIRE(lines.size() == 1u);
      std::int64_t first = -1, count = 0;
      BOOST_TEST(std::sscanf(lines[0].c_str(), "(%ld,%ld)", &first, &count) == 2, lines[0]);
      BOOST_TEST(first == 0);
      BOOST_TEST(count > 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(stopped_jobs_resume_at_another_parallelism_and_backend) {
  auto first = submit({"-p", "2"});
  wait_for_progress(first);
  auto one = stop(first);
  BOOST_TEST(fs::exists(one + "/_metadata"));
  BOOST_TEST(one.find(dir.file("savepoints")) == 0u);

  auto second = submit({"-p", "4", "-s", one, "-D", "state.backend.type=leveldb"});
  wait_for_progress(second);
  auto two = stop(second);

  auto third =
    run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "2", "-s", two,
                   FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", std::to_string(keys),
                   "--per-key", std::to_string(per_key), "--rate", "3000"});
  BOOST_TEST_REQUIRE(third.exit_code == 0, third.err);
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
  auto [status, restored] = cluster.get("/jobs/" + second + "/checkpoints");
  BOOST_TEST(restored["latest"]["restored"]["is_savepoint"] == true);
  BOOST_TEST(restored["latest"]["restored"]["external_path"] == one);
  auto [s2, config] = cluster.get("/jobs/" + second + "/checkpoints/config");
  BOOST_TEST(config["state_backend"] == "EmbeddedLevelDBStateBackend");
}

BOOST_AUTO_TEST_CASE(held_lines_and_their_processing_time_timers_resume_from_2_to_3) {
  // Each line waits in keyed state for a processing-time timer (--hold-ms):
  // the stop's savepoint holds lines and pending timers, which move with
  // their keys to three subtasks; no held line is lost or written twice.
  auto first = submit({"-p", "2"}, {"--hold-ms", "200"});
  wait_for_progress(first);
  auto one = stop(first);
  auto second =
    run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "3", "-s", one,
                   FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", std::to_string(keys),
                   "--per-key", std::to_string(per_key), "--rate", "3000", "--hold-ms", "200"});
  BOOST_TEST_REQUIRE(second.exit_code == 0, second.err);
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
}

BOOST_AUTO_TEST_CASE(a_two_input_operators_state_and_timers_resume_from_2_to_3) {
  // The keyed co-process check (--two-inputs) holds each key's lines for a
  // processing-time timer: its keyed state and timers, shared by both
  // inputs, are in the stop's savepoint and move with their keys to three
  // subtasks; no line is lost or written twice.
  auto first = submit({"-p", "2"}, {"--two-inputs", "--hold-ms", "200"});
  wait_for_progress(first);
  auto one = stop(first);
  auto second = run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "3", "-s", one,
                               FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys",
                               std::to_string(keys), "--per-key", std::to_string(per_key), "--rate",
                               "3000", "--two-inputs", "--hold-ms", "200"});
  BOOST_TEST_REQUIRE(second.exit_code == 0, second.err);
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
}

BOOST_AUTO_TEST_CASE(broadcast_state_comes_back_whole_to_every_subtask_from_2_to_3) {
  // The events wait in keyed state for broadcast rules (--broadcast), 5 of
  // them, 2 per second, never sent again: the stop's savepoint holds the
  // broadcast state once, and each of the three new subtasks must get all
  // of it, or the events of its keys wait forever (and the job never ends).
  auto first = submit({"-p", "2"}, {"--broadcast"});
  wait_for_progress(first);
  auto one = stop(first);
  auto second =
    run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "3", "-s", one,
                   FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", std::to_string(keys),
                   "--per-key", std::to_string(per_key), "--rate", "3000", "--broadcast"});
  BOOST_TEST_REQUIRE(second.exit_code == 0, second.err);
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
}

BOOST_AUTO_TEST_CASE(splits_of_a_source_of_the_source_api_resume_from_2_readers_to_3) {
  // The stop's savepoint holds each reader's splits with their positions
  // and the enumerator's unassigned ones: three readers share the first
  // ones, the enumerator hands out the rest; no event is lost or repeated.
  auto first = submit({"-p", "2"}, {"--source", "splits", "--reader-rate", "250"});
  wait_for_progress(first);
  auto one = stop(first);
  auto second =
    run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "3", "-s", one,
                   FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", std::to_string(keys),
                   "--per-key", std::to_string(per_key), "--source", "splits"});
  BOOST_TEST_REQUIRE(second.exit_code == 0, second.err);
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
}

BOOST_AUTO_TEST_CASE(a_retained_incremental_checkpoint_restores_at_another_parallelism) {
  auto first = submit({"-p", "2", "-D", "state.backend.type=leveldb", "-D",
                       "execution.checkpointing.incremental=true", "-D",
                       "execution.checkpointing.externalized-checkpoint-retention="
                       "RETAIN_ON_CANCELLATION"});
  wait_for_progress(first);
  BOOST_REQUIRE(run_flink_cpp({"cancel", "-m", cluster.rest_address(), first}).exit_code == 0);
  BOOST_REQUIRE(wait_until([&] { return state(first) == "CANCELED"; }));
  auto [status, checkpoints] = cluster.get("/jobs/" + first + "/checkpoints");
  auto retained = checkpoints["latest"]["completed"]["external_path"].get<std::string>();
  BOOST_TEST_REQUIRE(fs::exists(retained + "/_metadata"));

  // LevelDB's own files need the leveldb backend: a clear refusal otherwise.
  auto refused = run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "2", "-s", retained,
                                FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys",
                                std::to_string(keys), "--per-key", std::to_string(per_key)});
  BOOST_TEST(refused.exit_code != 0);
  BOOST_TEST(refused.err.find("only state.backend.type: leveldb restores") != std::string::npos,
             refused.err);

  auto resumed = run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "3", "-s", retained,
                                "-D", "state.backend.type=leveldb", FLINKCPP_EXACTLY_ONCE_JOB,
                                "--output", output, "--keys", std::to_string(keys), "--per-key",
                                std::to_string(per_key), "--rate", "3000"});
  BOOST_TEST_REQUIRE(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
}

BOOST_AUTO_TEST_CASE(savepoints_through_rest_in_flinks_shapes) {
  auto job = submit({"-p", "2"});
  wait_for_progress(job);
  auto target = dir.file("by-rest");
  auto [s1, triggered] = cluster.request("POST", "/jobs/" + job + "/savepoints",
                                         R"({"target-directory": ")" + target + R"("})");
  BOOST_TEST(s1 == 202);
  auto trigger = triggered["request-id"].get<std::string>();
  nlohmann::json status;
  BOOST_REQUIRE(wait_until([&] {
    status = cluster.get("/jobs/" + job + "/savepoints/" + trigger).second;
    return status["status"]["id"] == "COMPLETED";
  }));
  auto location = status["operation"]["location"].get<std::string>();
  BOOST_TEST(location.rfind(target + "/savepoint-" + job.substr(0, 6) + "-", 0) == 0u);
  BOOST_TEST(fs::exists(location + "/_metadata"));

  auto [s2, checkpoints] = cluster.get("/jobs/" + job + "/checkpoints");
  BOOST_TEST(s2 == 200);
  BOOST_TEST(checkpoints["counts"]["completed"].get<int>() >= 2);
  BOOST_TEST(checkpoints["counts"]["failed"] == 0);
  BOOST_TEST(checkpoints["latest"]["savepoint"]["external_path"] == location);
  BOOST_TEST(checkpoints["latest"]["savepoint"]["is_savepoint"] == true);
  const auto& completed = checkpoints["latest"]["completed"];
  BOOST_TEST(completed["className"] == "completed");
  BOOST_TEST(completed["status"] == "COMPLETED");
  BOOST_TEST(completed["num_subtasks"] == completed["num_acknowledged_subtasks"]);
  BOOST_TEST(completed["state_size"].get<std::int64_t>() > 0);
  BOOST_TEST(completed["external_path"].get<std::string>().find(dir.file("checkpoints")) == 0u);
  BOOST_TEST(checkpoints["history"].size() >= 2u);
  BOOST_TEST(checkpoints["summary"]["state_size"]["max"].get<std::int64_t>() > 0);

  auto [s3, config] = cluster.get("/jobs/" + job + "/checkpoints/config");
  BOOST_TEST(s3 == 200);
  BOOST_TEST(config["mode"] == "exactly_once");
  BOOST_TEST(config["interval"] == 100);
  BOOST_TEST(config["timeout"] == 600000);
  BOOST_TEST(config["max_concurrent"] == 1);
  BOOST_TEST(config["externalization"]["enabled"] == false);
  BOOST_TEST(config["state_backend"] == "HashMapStateBackend");
  BOOST_TEST(config["checkpoint_storage"] == "FileSystemCheckpointStorage");

  auto cli = run_flink_cpp({"savepoint", "-m", cluster.rest_address(), job, dir.file("by-cli")});
  BOOST_TEST(cli.exit_code == 0, cli.err);
  BOOST_TEST(cli.out.find("\nSavepoint completed. Path: " + dir.file("by-cli")) !=
               std::string::npos,
             cli.out);

  auto [s4, unknown] = cluster.get("/jobs/" + job + "/savepoints/0123");
  BOOST_TEST(s4 == 404);
  auto [s5, bad] = cluster.request("POST", "/jobs/" + job + "/savepoints", R"({"target": "x"})");
  BOOST_TEST(s5 == 400);
  BOOST_TEST(bad["errors"][0].get<std::string>().find("unknown field 'target'") !=
             std::string::npos);
  stop(job);
  auto [s6, late] = cluster.request("POST", "/jobs/" + job + "/savepoints", "{}");
  BOOST_TEST(s6 == 409);
  BOOST_TEST(late["errors"][0].get<std::string>().find("is not running (FINISHED)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(snapshots_that_cannot_be_restored_are_refused_naming_the_file) {
  auto job = submit({"-p", "2"});
  wait_for_progress(job);
  auto path = stop(job);
  auto run_from = [&](const std::string& from, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", "-m", cluster.rest_address(), "-s", from};
    args.insert(args.end(), extra.begin(), extra.end());
    for (std::string a : {std::string{FLINKCPP_EXACTLY_ONCE_JOB}, std::string{"--output"}, output})
      args.push_back(a);
    return run_flink_cpp(args);
  };
  auto missing = run_from(dir.file("nowhere"));
  BOOST_TEST(missing.exit_code == 1);
  BOOST_TEST(missing.err.find("cannot open '" + dir.file("nowhere") + "/_metadata'") !=
               std::string::npos,
             missing.err);

  // The keyed state file of the check, damaged by a flipped bit.
  std::string state_file;
  for (const auto& e : fs::directory_iterator(path))
    if (e.path().filename() != "_metadata" && fs::file_size(e.path()) > 100)
      state_file = e.path().string();
  BOOST_REQUIRE(!state_file.empty());
  auto bytes = read_file(state_file);
  auto original = bytes;
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x04);
  write_file(state_file, bytes);
  auto flipped = run_from(path);
  BOOST_TEST(flipped.exit_code == 1);
  BOOST_TEST(flipped.err.find("checkpoint state file '" + state_file +
                              "' is corrupt: its checksum does not match") != std::string::npos,
             flipped.err);
  write_file(state_file, original);

  auto metadata = path + "/_metadata";
  auto good = read_file(metadata);
  for (auto damaged : {std::string{}, good.substr(0, good.size() - 5)}) {
    write_file(metadata, damaged);
    auto r = run_from(path);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("checkpoint metadata '" + metadata + "' is") != std::string::npos, r.err);
  }
  write_file(metadata, good);

  // Another job with none of these operators: refused, unless allowed.
  auto other = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-s", path,
                              FLINKCPP_SEQUENCE_JOB, "--count", "10", "--output", dir.file("seq")});
  BOOST_TEST(other.exit_code == 1);
  BOOST_TEST(other.err.find("--allowNonRestoredState") != std::string::npos, other.err);
  auto allowed =
    run_flink_cpp({"run", "-m", cluster.rest_address(), "-s", path, "--allowNonRestoredState",
                   FLINKCPP_SEQUENCE_JOB, "--count", "10", "--output", dir.file("seq")});
  BOOST_TEST(allowed.exit_code == 0, allowed.err);
}

BOOST_AUTO_TEST_SUITE_END()

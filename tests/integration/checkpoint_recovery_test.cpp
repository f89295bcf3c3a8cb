// Exactly-once through failures: the general-purpose test job with
// checkpoints, failing in the embedded mini-cluster and losing taskmanager
// processes to SIGKILL, must commit every (key, sequence) exactly once with
// no alert from its keyed check.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "support/kafka_cluster.hpp"
#include "support/kafka_transactions_proxy.hpp"
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

/// The files below `dir`, one per line.
/// What `counts` (sorted) holds besides each of 1..total once: the counts
/// missing and those read more than once, at most ten of each.
std::string count_differences(const std::vector<long>& counts, long total) {
  std::map<long, int> times;
  for (auto c : counts)
    ++times[c];
  std::string missing, repeated;
  int n_missing = 0, n_repeated = 0;
  for (long c = 1; c <= total; ++c)
    if (times[c] == 0 && n_missing++ < 10)
      missing += " " + std::to_string(c);
  for (const auto& [c, n] : times)
    if ((n > 1 || c < 1 || c > total) && n_repeated++ < 10)
      repeated += " " + std::to_string(c) + "x" + std::to_string(n);
  return std::to_string(n_missing) + " missing:" + missing + "; " + std::to_string(n_repeated) +
         " repeated or out of range:" + repeated;
}

/// The last `n` lines of the file at `path`.
std::string last_lines(const std::string& path, std::size_t n) {
  std::ifstream in{path};
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > n)
      lines.pop_front();
  }
  std::string out;
  for (const auto& line : lines)
    out += line + '\n';
  return out;
}

std::string listing(const std::string& dir) {
  std::string out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    out += e.path().string() + "\n";
  return out;
}

/// The completed checkpoints a job reports.
/// The job's checkpoint count named `which` ("completed", "restored"), 0
/// while the jobmanager does not know it.
long checkpoint_count(const local_cluster& cluster, const std::string& job,
                      const std::string& which) {
  auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
  return status == 200 ? body["counts"].value(which, 0L) : 0L;
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_recovery)

BOOST_AUTO_TEST_CASE(a_failing_function_restores_from_the_latest_checkpoint) {
  temp_dir dir;
  auto output = dir.file("out");
  auto marker = dir.file("failed-once");
  auto args = concat({"run", "-t", "local", "-p", "2", "-D", "log.level=INFO"}, checkpointing(dir));
  args = concat(args, {FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", "20", "--per-key",
                       "400", "--rate", "8000", "--fail-once", marker});
  auto r = run_flink_cpp(args);
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(fs::exists(marker)); // it did fail once
  BOOST_TEST(r.err.find("restores from checkpoint") != std::string::npos, r.err);
  BOOST_TEST(check_sequence_output(output, 20, 400) == "");
  // Completed checkpoints are deleted with the job (no retention asked for).
  BOOST_TEST(
    !fs::exists(dir.file("checkpoints") + "/" + r.err.substr(r.err.find("JobID ") + 6, 32)));
}

/// Whether another process holds the flock on `path`.
bool lock_held(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

/// What a survive_kills run varies.
struct kill_options {
  std::vector<std::string> job_options;
  int keys = 50;
  int per_key = 800; ///< by default 40000 events at 4000 per second: ten seconds
  /// When set, each kill also waits until it says the job made progress.
  std::function<bool()> progressed;
};

/// The job at -p 4 on two taskmanagers, one of them SIGKILLed (and replaced)
/// `kills` times, each after a checkpoint of the attempt completed. Returns
/// the job's checkpoint statistics.
constexpr int kills = 6;
nlohmann::json survive_kills(const std::string& backend, bool incremental = false,
                             const kill_options& options = {}) {
  temp_dir dir;
  local_cluster cluster{
    {"execution.checkpointing.interval=50ms", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "state.backend.type=" + backend,
     "state.backend.incremental=" + std::string{incremental ? "true" : "false"},
     "state.backend.leveldb.localdir=" + dir.file("leveldb"), "restart-strategy.type=fixed-delay",
     "restart-strategy.fixed-delay.attempts=100", "restart-strategy.fixed-delay.delay=10ms"}};
  cluster.start_jobmanager();
  std::vector<std::size_t> alive{cluster.start_taskmanager(2), cluster.start_taskmanager(2)};
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  auto output = dir.file("out");
  auto keys = options.keys;
  auto per_key = options.per_key;
  std::vector<std::string> args{"run",
                                "-m",
                                cluster.rest_address(),
                                "-d",
                                "-p",
                                "4",
                                FLINKCPP_EXACTLY_ONCE_JOB,
                                "--output",
                                output,
                                "--keys",
                                std::to_string(keys),
                                "--per-key",
                                std::to_string(per_key),
                                "--rate",
                                "4000"};
  args.insert(args.end(), options.job_options.begin(), options.job_options.end());
  auto r = run_flink_cpp(args);
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = submitted_job_id(r);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  int killed = 0;
  for (; killed < kills; ++killed) {
    // Wait for a checkpoint of the current attempt, then kill a taskmanager.
    auto before = checkpoint_count(cluster, job, "completed");
    BOOST_REQUIRE(wait_until([&] {
      return state() == "FINISHED" ||
             (state() == "RUNNING" && checkpoint_count(cluster, job, "completed") > before &&
              (!options.progressed || options.progressed()));
    }));
    if (state() == "FINISHED")
      break;
    auto restored = checkpoint_count(cluster, job, "restored");
    auto victim = alive.front();
    alive.erase(alive.begin());
    BOOST_TEST(cluster.stop_taskmanager(victim, SIGKILL).exit_code == 128 + SIGKILL);
    alive.push_back(cluster.start_taskmanager(2));
    // The next kill waits for this one's restore: a checkpoint whose
    // acknowledgements all came before the kill may complete after it.
    BOOST_REQUIRE(wait_until([&] {
      return state() == "FINISHED" || checkpoint_count(cluster, job, "restored") > restored;
    }));
  }
  BOOST_TEST(killed == kills); // none spared by the job ending first
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }, std::chrono::seconds{120}));
  BOOST_TEST(check_sequence_output(output, keys, per_key) == "");
  auto [status, details] = cluster.get("/jobs/" + job);
  BOOST_TEST(details["timestamps"]["RESTARTING"].get<std::int64_t>() > 0);
  auto [cstatus, checkpoints] = cluster.get("/jobs/" + job + "/checkpoints");
  BOOST_TEST(checkpoints["counts"]["restored"].get<int>() >= kills); // one per kill at least
  // The finished job's checkpoints, shared files included, are gone (deleted
  // off the job master's thread, after it reported FINISHED).
  auto job_dir = dir.file("checkpoints") + "/" + job;
  BOOST_TEST(wait_until([&] { return !fs::exists(job_dir); }), "left behind: " << listing(job_dir));
  // What the killed taskmanagers kept in LevelDB went when others came.
  if (backend == "leveldb")
    for (const auto& owner : fs::directory_iterator(dir.file("leveldb")))
      if (owner.is_directory())
        BOOST_TEST(lock_held(owner.path().string() + ".lock"),
                   "left by a dead taskmanager: " << listing(owner.path().string()));
  return checkpoints;
}

BOOST_AUTO_TEST_CASE(killed_taskmanagers_lose_nothing_and_duplicate_nothing) {
  survive_kills("hashmap");
}

BOOST_AUTO_TEST_CASE(a_source_of_the_source_api_loses_and_repeats_no_split_through_kills) {
  // The events come from 16 splits the job master's enumerator hands out;
  // each reader's splits and positions, and the enumerator's unassigned
  // splits, come back from the checkpoint at every kill (4 readers at 1000
  // events per second: the datagen's pace). A split lost or read twice
  // shows in the output.
  kill_options options;
  options.job_options = {"--source", "splits", "--reader-rate", "1000"};
  survive_kills("hashmap", false, options);
}

BOOST_AUTO_TEST_CASE(a_kafka_source_loses_and_repeats_no_record_through_kills) {
  // The events are the records of 8 partitions, in batches of one record
  // that the readers fetch one per partition and request, 5 ms apart (the
  // mock broker's round trip). Each kill waits until the group's committed
  // offsets (committed when a checkpoint completes) moved on, so readers
  // are killed amid their partitions; each partition's offset comes back
  // from the checkpoint; a record lost or read twice shows in the output.
  kafka_cluster kafka;
  kill_options options;
  options.keys = 20;
  options.per_key = 400;
  constexpr int partitions = 8;
  kafka.create_topic("events", partitions);
  for (int p = 0; p < partitions; ++p) {
    std::vector<std::string> values;
    for (int i = p; i < options.keys * options.per_key; i += partitions)
      values.push_back(std::to_string(i));
    kafka.produce("events", p, values, {"-X", "batch.num.messages=1"});
  }
  kafka.set_round_trip(std::chrono::milliseconds{5});
  options.job_options = {"--source", "kafka", "--bootstrap-servers", kafka.bootstrap_servers(),
                         "--topic",  "events"};
  std::int64_t committed = 0;
  options.progressed = [&] {
    auto now = kafka.committed("exactly-once", "events", partitions);
    bool moved = now > committed;
    committed = std::max(committed, now);
    return moved;
  };
  survive_kills("hashmap", false, options);
}

BOOST_AUTO_TEST_CASE(a_sink_of_the_job_library_loses_and_repeats_nothing_through_kills) {
  // The lines go to a two-phase sink the job library defines on the sink
  // API: each checkpoint's lines are its committable, written into a file of
  // their own once the checkpoint completed. A committable lost, or
  // committed before its checkpoint completed and then replayed, shows in
  // the output.
  kill_options options;
  options.job_options = {"--sink", "batches"};
  survive_kills("hashmap", false, options);
}

BOOST_AUTO_TEST_CASE(a_two_input_operator_loses_and_repeats_nothing_through_kills) {
  // The events reach the keyed check as the two inputs of a keyed co-process
  // function (even and odd sequence numbers), whose keyed state both share:
  // its barriers align over both inputs, and its state comes back from the
  // checkpoint at every kill. A record lost, or counted twice, shows in the
  // output.
  kill_options options;
  options.job_options = {"--two-inputs"};
  survive_kills("hashmap", false, options);
}

BOOST_AUTO_TEST_CASE(broadcast_state_and_the_keyed_state_it_releases_survive_kills_on_leveldb) {
  // The events wait in keyed state (LevelDB) for rules of a broadcast
  // stream, which release them through apply_to_keyed_state as they come:
  // the broadcast state, the waiting events and the rule source's position
  // come back from the checkpoint at every kill. A rule lost leaves its
  // events waiting (lines missing); one replayed twice, or an event
  // checked twice, shows as a duplicate.
  kill_options options;
  options.job_options = {"--broadcast"};
  survive_kills("leveldb", false, options);
}

BOOST_AUTO_TEST_CASE(kafka_to_kafka_counts_each_record_once_through_twenty_kills) {
  // kafka-wordcount with exactly-once delivery at -p 4 on two taskmanagers
  // while lines keep arriving in 8 partitions; before each of 20 SIGKILLs
  // a checkpoint completes and the group's committed offsets move on.
  // Every line must count once, and every update be read once by a
  // read_committed consumer: for each word, what it reads holds each count
  // from 1 to the word's total exactly once. (The mock cluster keeps no
  // transaction markers, so the job reaches it through a proxy that reads
  // the transactions on the wire and says what read_committed reads.)
  kafka_cluster kafka;
  constexpr int partitions = 8;
  kafka.create_topic("lines", partitions);
  kafka.create_topic("counts", 4);
  kafka_transactions_proxy proxy{kafka};
  temp_dir dir;
  local_cluster cluster{
    {"execution.checkpointing.interval=50ms", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "restart-strategy.type=fixed-delay", "restart-strategy.fixed-delay.attempts=100",
     "restart-strategy.fixed-delay.delay=10ms"}};
  cluster.start_jobmanager();
  std::vector<std::size_t> alive{cluster.start_taskmanager(2), cluster.start_taskmanager(2)};
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "4", "kafka-wordcount",
                          "--bootstrap-servers", proxy.bootstrap_servers(), "--input-topic",
                          "lines", "--output-topic", "counts", "--delivery", "exactly-once"});
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = submitted_job_id(r);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  const std::vector<std::string> words{"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
  std::map<std::string, long> totals;
  long line = 0;
  auto produce_lines = [&](int per_partition) {
    for (int p = 0; p < partitions; ++p) {
      std::vector<std::string> values;
      for (int i = 0; i < per_partition; ++i, ++line) {
        const auto& a = words[static_cast<std::size_t>(line) % words.size()];
        const auto& b = words[static_cast<std::size_t>(line * 7 + 3) % words.size()];
        values.push_back(a + ", " + b + "!");
        ++totals[a];
        ++totals[b];
      }
      kafka.produce("lines", p, values);
    }
  };
  auto taskmanager_logs = [&] {
    std::string out;
    for (auto tm : alive) {
      auto name = "taskmanager-" + std::to_string(tm) + ".log";
      out += "\n" + name + " ends:\n" + last_lines(cluster.dir().file(name), 30);
    }
    return out;
  };
  std::int64_t committed = 0;
  constexpr int twenty = 20;
  for (int killed = 0; killed < twenty; ++killed) {
    produce_lines(50);
    auto before = checkpoint_count(cluster, job, "completed");
    auto was = committed;
    BOOST_REQUIRE_MESSAGE(
      wait_until([&] {
        committed = std::max(committed, kafka.committed("kafka-wordcount", "lines", partitions));
        return state() == "RUNNING" && checkpoint_count(cluster, job, "completed") > before &&
               committed > was;
      }),
      "after " << killed << " kills: job " << state() << ", "
               << checkpoint_count(cluster, job, "completed") << " checkpoints completed ("
               << before << " before), committed offsets " << committed << " (" << was
               << " before); the jobmanager's log ends:\n"
               << last_lines(cluster.dir().file("jobmanager.log"), 60) << taskmanager_logs());
    auto restored = checkpoint_count(cluster, job, "restored");
    auto victim = alive.front();
    alive.erase(alive.begin());
    BOOST_TEST(cluster.stop_taskmanager(victim, SIGKILL).exit_code == 128 + SIGKILL);
    alive.push_back(cluster.start_taskmanager(2));
    BOOST_REQUIRE(
      wait_until([&] { return checkpoint_count(cluster, job, "restored") > restored; }));
  }
  produce_lines(50);
  // Counts read committed: every count of each word, in order of value.
  std::map<std::string, std::vector<long>> seen;
  auto read_counts = [&] {
    seen.clear();
    for (const auto& record : proxy.read_committed("counts")) {
      auto value = record.value.value_or("");
      seen[record.key.value_or("")].push_back(std::stol(value.substr(value.rfind(',') + 1)));
    }
    for (auto& [word, counts] : seen)
      std::sort(counts.begin(), counts.end());
    for (const auto& [word, total] : totals)
      if (seen[word].empty() || seen[word].back() < total)
        return false;
    return true;
  };
  BOOST_TEST(wait_until(read_counts, std::chrono::seconds{120}));
  BOOST_TEST(run_flink_cpp({"cancel", "-m", cluster.rest_address(), job}).exit_code == 0);
  for (const auto& [word, total] : totals) {
    std::vector<long> once(static_cast<std::size_t>(total));
    std::iota(once.begin(), once.end(), 1L);
    BOOST_TEST(seen[word] == once, word << ": each count from 1 to " << total << " once; "
                                        << count_differences(seen[word], total));
  }
  BOOST_TEST(seen.size() == totals.size());
  bool exact = true;
  for (const auto& [word, total] : totals)
    exact = exact && seen[word].size() == static_cast<std::size_t>(total);
  if (!exact) {
    auto events = proxy.events();
    std::cerr << events.size() << " answers the Kafka proxy saw clients retry or lose:\n";
    for (std::size_t i = 0; i < events.size() && i < 300; ++i)
      std::cerr << "  " << events[i] << '\n';
  }
  BOOST_TEST(checkpoint_count(cluster, job, "restored") >= twenty);
  BOOST_TEST(proxy.problems() == std::vector<std::string>{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(killed_taskmanagers_lose_nothing_on_leveldb) {
  survive_kills("leveldb");
}

BOOST_AUTO_TEST_CASE(lines_held_for_processing_time_timers_survive_killed_taskmanagers) {
  // Every line waits in keyed list state until a processing-time timer
  // flushes it (the last ones: the final watermark's event-time timer):
  // held lines and their timers restored on LevelDB at every kill; a held
  // line lost or flushed twice shows in the output. (A lost timer alone
  // would not: the final flush takes its lines; unit tests cover that.)
  kill_options options;
  options.job_options = {"--hold-ms", "30"};
  survive_kills("leveldb", false, options);
}

BOOST_AUTO_TEST_CASE(killed_taskmanagers_lose_nothing_with_incremental_checkpoints) {
  auto checkpoints = survive_kills("leveldb", true);
  // Some checkpoints shared tables uploaded by earlier ones.
  bool shared = false;
  for (const auto& c : checkpoints["history"])
    shared |= c["status"] == "COMPLETED" &&
              c["checkpointed_size"].get<long>() < c["state_size"].get<long>();
  BOOST_TEST(shared, checkpoints["history"].dump());
}

namespace {

/// Takes a checkpoint over REST and waits for it; returns its id.
long checkpoint_now(const local_cluster& cluster, const std::string& job) {
  auto [status, triggered] = cluster.request("POST", "/jobs/" + job + "/checkpoints", "{}");
  BOOST_REQUIRE(status == 202);
  nlohmann::json done;
  BOOST_REQUIRE(wait_until([&] {
    done =
      cluster.get("/jobs/" + job + "/checkpoints/" + triggered["request-id"].get<std::string>())
        .second;
    return done["status"]["id"] == "COMPLETED";
  }));
  BOOST_REQUIRE(done["operation"].contains("checkpointId"));
  return done["operation"]["checkpointId"].get<long>();
}

/// Flips a bit in the middle of every keyed state file of a checkpoint.
void damage(const std::string& checkpoint_dir) {
  for (const auto& e : fs::directory_iterator(checkpoint_dir)) {
    if (e.path().filename() == "_metadata")
      continue;
    auto bytes = read_file(e.path().string());
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
    write_file(e.path().string(), bytes);
  }
}

struct damaged_checkpoint_fixture {
  temp_dir dir;
  std::string output = dir.file("out");
  std::string trigger = dir.file("fail-now");

  /// Runs the job with two checkpoints taken on request, damages the newest
  /// and makes the job fail; returns the job id and the two checkpoint ids.
  std::tuple<std::string, long, long> run(local_cluster& cluster) {
    cluster.start_jobmanager();
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
    auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "2",
                            FLINKCPP_EXACTLY_ONCE_JOB, "--output", output, "--keys", "20",
                            "--per-key", "400", "--rate", "2000", "--fail-when", trigger});
    BOOST_REQUIRE(r.exit_code == 0);
    auto job = submitted_job_id(r);
    BOOST_REQUIRE(wait_until([&] {
      return cluster.get("/jobs/" + job).second.value("state", std::string{}) == "RUNNING";
    }));
    auto older = checkpoint_now(cluster, job);
    auto newer = checkpoint_now(cluster, job);
    damage(dir.file("checkpoints") + "/" + job + "/chk-" + std::to_string(newer));
    write_file(trigger, "now\n");
    return {job, older, newer};
  }
};

std::vector<std::string> manual_checkpoints(const temp_dir& dir, int retained) {
  return {"execution.checkpointing.interval=1h", // only the ones the test asks for
          "state.checkpoints.dir=" + dir.file("checkpoints"),
          "state.checkpoints.num-retained=" + std::to_string(retained),
          "restart-strategy.type=fixed-delay",
          "restart-strategy.fixed-delay.attempts=5",
          "restart-strategy.fixed-delay.delay=10ms"};
}

} // namespace

BOOST_FIXTURE_TEST_CASE(a_damaged_checkpoint_falls_back_to_the_one_before,
                        damaged_checkpoint_fixture) {
  local_cluster cluster{manual_checkpoints(dir, 2)};
  auto [job, older, newer] = run(cluster);
  if (!wait_until([&] {
        return cluster.get("/jobs/" + job).second.value("state", std::string{}) == "FINISHED";
      })) {
    auto details = cluster.get("/jobs/" + job + "/exceptions").second.dump();
    BOOST_FAIL("the job did not finish: " << details << "\n"
                                          << cluster.stop_jobmanager(SIGTERM).out);
  }
  BOOST_TEST(check_sequence_output(output, 20, 400) == "");
  auto checkpoints = cluster.get("/jobs/" + job + "/checkpoints").second;
  BOOST_TEST(checkpoints["latest"]["restored"]["id"] == older);
  auto exceptions = cluster.get("/jobs/" + job + "/exceptions").second;
  bool named = false;
  for (const auto& e : exceptions["exceptionHistory"]["entries"])
    named |= e["stacktrace"].get<std::string>().find(
               "cannot restore from checkpoint " + std::to_string(newer) +
               ": checkpoint state file '" + dir.file("checkpoints")) != std::string::npos;
  BOOST_TEST(named, exceptions.dump());
}

BOOST_FIXTURE_TEST_CASE(a_damaged_only_checkpoint_fails_the_job, damaged_checkpoint_fixture) {
  local_cluster cluster{manual_checkpoints(dir, 1)};
  auto [job, older, newer] = run(cluster);
  BOOST_REQUIRE(wait_until(
    [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}) == "FAILED"; }));
  auto exceptions = cluster.get("/jobs/" + job + "/exceptions").second;
  auto last = exceptions["exceptionHistory"]["entries"][0]["stacktrace"].get<std::string>();
  BOOST_TEST(last.find("is corrupt: its checksum does not match") != std::string::npos, last);
  // One restart tried the damaged checkpoint; none started over without state.
  BOOST_TEST(exceptions["exceptionHistory"]["entries"].size() == 2u, exceptions.dump());
  auto checkpoints = cluster.get("/jobs/" + job + "/checkpoints").second;
  BOOST_TEST(checkpoints["latest"]["restored"]["id"] == newer);
  BOOST_TEST(older < newer);
}

BOOST_AUTO_TEST_SUITE_END()

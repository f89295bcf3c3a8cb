// Checkpoint benchmarks, against baselines measured in the same run.
//
//   bench_checkpoints [--megabytes N] [--repeat N] [--dir DIR]
//
// 1. Throughput: WordCount (STREAMING, -p 2, every update written) on the
//    N MB corpus with a checkpoint every second against the same job without
//    checkpoints. Prints without / with (target: >= 0.9).
// 2. State: a job on a jobmanager and one taskmanager loads 5 N MB of keyed
//    state (1000-byte values; 1 GB by default), on hashmap, LevelDB and
//    LevelDB with incremental checkpoints; prints how long the first
//    checkpoint holding all of it takes and the next ones (target: < 2 s;
//    incremental ones write only new tables, far less), and, after a stop
//    with savepoint, how long the job takes from submission with -s to
//    running again (target: < 5 s).
// 3. Recovery: the taskmanager of that job is killed (SIGKILL) and a new one
//    started; prints the time from the kill until the job runs again, its
//    state restored from the checkpoint.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "support/local_cluster.hpp"
#include "support/wait.hpp"

namespace {

using namespace flinkcpp::testing;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::exit(1);
}

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Wall time of a local WordCount run that prints every update to `output`.
double wordcount_seconds(const std::string& input, const std::string& output,
                         std::vector<std::string> extra) {
  fs::remove_all(output);
  std::vector<std::string> args{"run", "-t", "local", "-p", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  for (const auto& a :
       {std::string{"wordcount"}, std::string{"--input"}, input, std::string{"--output"}, output})
    args.push_back(a);
  auto start = clock_type::now();
  auto r = run_flink_cpp(args);
  auto took = seconds_since(start);
  if (r.exit_code != 0)
    fail("wordcount failed: " + r.err);
  fs::remove_all(output);
  return took;
}

void throughput(const flinkcpp::bench::bench_options& opts) {
  auto output = (fs::path{opts.dir} / "checkpoint-bench-out").string();
  auto checkpoints = (fs::path{opts.dir} / "checkpoint-bench-chk").string();
  double without = 1e9;
  double with = 1e9;
  for (int i = 0; i < opts.repeat; ++i) {
    without = std::min(without, wordcount_seconds(opts.corpus, output, {}));
    with = std::min(with, wordcount_seconds(opts.corpus, output,
                                            {"-D", "execution.checkpointing.interval=1s", "-D",
                                             "state.checkpoints.dir=" + checkpoints}));
  }
  std::printf("wordcount, %llu MB, STREAMING, -p 2, every update written:\n",
              static_cast<unsigned long long>(opts.megabytes));
  std::printf("  without checkpoints               %7.3f s\n", without);
  std::printf("  a checkpoint every second         %7.3f s\n", with);
  std::printf("  ratio without / with              %7.2f   (target >= 0.9)\n", without / with);
}

struct job_status_view {
  std::string state;
  bool all_running = false;
};

job_status_view status_of(const local_cluster& cluster, const std::string& job) {
  auto [status, details] = cluster.get("/jobs/" + job);
  job_status_view v;
  v.state = details.value("state", std::string{});
  int total = 0;
  for (const auto& [name, count] : details["status-counts"].items())
    total += count.get<int>();
  v.all_running =
    v.state == "RUNNING" && total > 0 && details["status-counts"].value("RUNNING", 0) == total;
  return v;
}

/// One completed checkpoint as the REST API reports it.
struct checkpoint_stats {
  double seconds = 0;
  std::uint64_t state_bytes = 0;
  std::uint64_t checkpointed_bytes = 0; ///< written by it (less with incremental ones)
};

/// Takes a checkpoint over REST and waits for its statistics.
checkpoint_stats checkpoint(const local_cluster& cluster, const std::string& job) {
  auto [status, triggered] = cluster.request("POST", "/jobs/" + job + "/checkpoints", "{}");
  if (status != 202)
    fail("cannot trigger a checkpoint: " + triggered.dump());
  auto trigger = triggered["request-id"].get<std::string>();
  nlohmann::json done;
  if (!wait_until(
        [&] {
          done = cluster.get("/jobs/" + job + "/checkpoints/" + trigger).second;
          return done["status"]["id"] == "COMPLETED";
        },
        std::chrono::minutes{10}))
    fail("the checkpoint did not complete");
  if (done["operation"].contains("failure-cause"))
    fail("the checkpoint failed: " + done.dump());
  auto id = done["operation"]["checkpointId"].get<std::int64_t>();
  checkpoint_stats result;
  // The job's statistics reach the REST API a moment after the answer.
  bool found = wait_until([&] {
    auto stats = cluster.get("/jobs/" + job + "/checkpoints").second;
    for (const auto& c : stats["history"])
      if (c["id"] == id && c["status"] == "COMPLETED") {
        result = {c["end_to_end_duration"].get<double>() / 1000.0,
                  c["state_size"].get<std::uint64_t>(),
                  c["checkpointed_size"].get<std::uint64_t>()};
        return true;
      }
    return false;
  });
  if (!found)
    fail("checkpoint " + std::to_string(id) +
         " is not in the history: " + cluster.get("/jobs/" + job + "/checkpoints").second.dump());
  return result;
}

std::string submit(const local_cluster& cluster, std::vector<std::string> options,
                   std::uint64_t keys) {
  std::vector<std::string> args{"run", "-m", cluster.rest_address(), "-d", "-p", "2"};
  args.insert(args.end(), options.begin(), options.end());
  for (const auto& a : {std::string{FLINKCPP_STATE_LOAD_JOB}, std::string{"--keys"},
                        std::to_string(keys), std::string{"--value-bytes"}, std::string{"1000"},
                        std::string{"--rate"}, std::string{"400000"}})
    args.push_back(a);
  auto r = run_flink_cpp(args);
  auto id = submitted_job_id(r);
  if (r.exit_code != 0 || id.empty())
    fail("submission failed: " + r.err);
  return id;
}

/// A state backend configuration to measure.
struct backend_case {
  std::string label;
  std::string type;
  bool incremental = false;
};

void state_on(const backend_case& backend, const flinkcpp::bench::bench_options& opts) {
  temp_dir dir;
  auto keys = opts.megabytes * 5 * 1000;
  auto bytes = keys * 1000;
  local_cluster cluster{
    {"execution.checkpointing.interval=1h", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "state.savepoints.dir=" + dir.file("savepoints"), "state.backend.type=" + backend.type,
     "state.backend.incremental=" + std::string{backend.incremental ? "true" : "false"},
     "state.backend.leveldb.localdir=" + dir.file("leveldb"), "restart-strategy.type=fixed-delay",
     "restart-strategy.fixed-delay.delay=0ms", "heartbeat.timeout=10s"}};
  cluster.start_jobmanager();
  auto tm = cluster.start_taskmanager(2);
  if (!cluster.wait_for_taskmanagers(1))
    fail("the taskmanager did not register");
  auto loading = clock_type::now();
  auto job = submit(cluster, {}, keys);
  if (!wait_until([&] { return status_of(cluster, job).all_running; }))
    fail("the job did not start");
  // Loaded once a checkpoint holds all of it.
  checkpoint_stats first;
  do {
    first = checkpoint(cluster, job);
  } while (first.state_bytes < bytes);
  auto loaded = seconds_since(loading);
  // Later checkpoints of the same state: an incremental one writes only
  // what changed since (here, little).
  checkpoint_stats best = checkpoint(cluster, job);
  for (int i = 1; i < opts.repeat; ++i) {
    auto next = checkpoint(cluster, job);
    if (next.seconds < best.seconds)
      best = next;
  }
  std::printf("  %-20s loaded %6.1f MB in %6.1f s; first checkpoint of it %6.3f s, "
              "next %6.3f s writing %7.1f MB  (target < 2 s)\n",
              backend.label.c_str(), static_cast<double>(first.state_bytes) / 1e6, loaded,
              first.seconds, best.seconds, static_cast<double>(best.checkpointed_bytes) / 1e6);

  auto killed = clock_type::now();
  cluster.stop_taskmanager(tm, SIGKILL);
  cluster.start_taskmanager(2);
  if (!wait_until([&] { return status_of(cluster, job).all_running; }, std::chrono::minutes{2}))
    fail("the job did not run again after the kill: " + cluster.get("/jobs/" + job).second.dump() +
         cluster.get("/jobs/" + job + "/exceptions").second.dump());
  std::printf("  %-20s SIGKILL to running again, state restored: %6.3f s\n", backend.label.c_str(),
              seconds_since(killed));

  auto stop = run_flink_cpp({"stop", "-m", cluster.rest_address(), job});
  if (stop.exit_code != 0)
    fail("stop failed: " + stop.err);
  auto path = stop.out.substr(stop.out.find("Path: ") + 6);
  path.pop_back();
  auto restoring = clock_type::now();
  auto restored = submit(cluster, {"-s", path}, keys);
  if (!wait_until([&] { return status_of(cluster, restored).all_running; },
                  std::chrono::minutes{10}))
    fail("the restored job did not run");
  std::printf("  %-20s restore from a savepoint to running: %6.3f s  (target < 5 s)\n",
              backend.label.c_str(), seconds_since(restoring));
  run_flink_cpp({"cancel", "-m", cluster.rest_address(), restored});
}

} // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows while it runs
  auto opts = flinkcpp::bench::parse_bench_options(
    "Checkpoint cost, state checkpoint and restore times, recovery time", argc, argv);
  throughput(opts);
  std::printf("keyed state of %llu MB, -p 2 on one taskmanager:\n",
              static_cast<unsigned long long>(opts.megabytes * 5));
  for (const auto& backend :
       {backend_case{"hashmap", "hashmap"}, backend_case{"leveldb", "leveldb"},
        backend_case{"leveldb incremental", "leveldb", true}})
    state_on(backend, opts);
  return 0;
}

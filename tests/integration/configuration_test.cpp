// A Flink user's configuration on real processes: paths in every form Flink
// accepts land where they say (nothing under the working directory), a
// Flink 1.x flink-conf.yaml and a Flink 2.x config.yaml as Flink ships them
// run a cluster, keys whose ignoring would weaken safety stop a process
// before it starts, and standalone-job ends with its job as Flink's
// application mode does.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>

#include "support/local_cluster.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

/// Whether a checkpoint below `root` completed for sure: one with its
/// _metadata, and a later one begun (the job begins one at a time).
bool checkpoint_completed_below(const fs::path& root) {
  long written = -1;
  long begun = -1;
  std::error_code ec;
  for (fs::recursive_directory_iterator i{root, ec}, end; i != end; i.increment(ec)) {
    auto name = i->path().filename().string();
    if (name.rfind("chk-", 0) != 0)
      continue;
    auto id = std::stol(name.substr(4));
    begun = std::max(begun, id);
    if (fs::exists(i->path() / "_metadata", ec))
      written = std::max(written, id);
  }
  return written >= 0 && begun > written;
}

/// The checkpoints (directories holding a _metadata) below `root`.
std::vector<fs::path> checkpoints_below(const fs::path& root) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::recursive_directory_iterator i{root, ec}, end; i != end; i.increment(ec))
    if (i->path().filename() == "_metadata")
      found.push_back(i->path().parent_path());
  return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(configuration)

BOOST_AUTO_TEST_CASE(checkpoints_land_at_the_path_in_every_form_and_under_either_key) {
  for (std::string key : {"execution.checkpointing.dir", "state.checkpoints.dir"}) {
    for (std::string prefix : {"", "file:", "file://"}) {
      temp_dir dir;
      auto work = dir.path() / "work";
      fs::create_directories(work);
      auto target = dir.file("checkpoints");
      child_process run{
        flink_cpp({"run", "-t", "local", "-D", "log.level=INFO", "-D", key + "=" + prefix + target,
                   "-D", "execution.checkpointing.interval=50ms", "-D",
                   "execution.checkpointing.externalized-checkpoint-retention="
                   "RETAIN_ON_CANCELLATION",
                   FLINKCPP_SEQUENCE_JOB, "--count", "100000000", "--rate", "100", "--output",
                   dir.file("out")}),
        work.string()};
      BOOST_REQUIRE_MESSAGE(wait_until([&] { return checkpoint_completed_below(target); }),
                            key << "=" << prefix << target);
      run.send_signal(SIGINT);
      auto r = run.wait();
      BOOST_TEST(r.exit_code == 128 + SIGINT, r.err);
      // Retained where the key says, and the log names that directory.
      auto retained = checkpoints_below(target);
      BOOST_REQUIRE(!retained.empty());
      BOOST_TEST(r.err.find("(" + retained.front().parent_path().string() + "/chk-") !=
                   std::string::npos,
                 r.err);
      BOOST_TEST(fs::is_empty(work), key << "=" << prefix
                                         << ": something landed in the "
                                            "working directory");
    }
  }
}

BOOST_AUTO_TEST_CASE(paths_flink_cpp_cannot_write_stop_a_process_before_it_starts) {
  temp_dir dir;
  for (std::string bad :
       {"relative/ckpt", "file://namenode/ckpt", "s3://bucket/ckpt", "hdfs:///ckpt"}) {
    auto r = run_flink_cpp({"jobmanager", "-D", "state.checkpoints.dir=" + bad});
    BOOST_TEST(r.exit_code == 1, bad);
    BOOST_TEST(r.err.find("invalid value '" + bad +
                          "' for configuration key "
                          "'state.checkpoints.dir' (Flink 2.x: 'execution.checkpointing.dir'): "
                          "expected an absolute local path (/path, file:/path or file:///path)") !=
                 std::string::npos,
               r.err);
  }
  auto savepoint = run_flink_cpp({"run", "-t", "local", "-s", "s3://bucket/sp", "wordcount"});
  BOOST_TEST(savepoint.exit_code == 1);
  BOOST_TEST(savepoint.err.find("invalid savepoint path 's3://bucket/sp' for -s") !=
               std::string::npos,
             savepoint.err);
}

BOOST_AUTO_TEST_CASE(keys_whose_ignoring_weakens_safety_stop_the_process) {
  auto pinning = run_flink_cpp({"jobmanager", "-D", "security.ssl.internal.cert.fingerprint=AB"});
  BOOST_TEST(pinning.exit_code == 1);
  BOOST_TEST(pinning.err.find("error: configuration key 'security.ssl.internal.cert.fingerprint' "
                              "is set to 'AB', which flink-cpp cannot honour: certificate "
                              "pinning is not implemented") == 0u,
             pinning.err);
  temp_dir conf;
  write_file(conf.file("config.yaml"), "high-availability:\n  type: zookeeper\n");
  auto ha = run_flink_cpp({"taskmanager", "--config-dir", conf.path().string()});
  BOOST_TEST(ha.exit_code == 1);
  BOOST_TEST(ha.err.find("'high-availability.type'") != std::string::npos, ha.err);
  write_file(conf.file("config.yaml"), "execution.checkpointing.unaligned.enabled: true\n");
  auto unaligned =
    run_flink_cpp({"run", "-t", "local", "--config-dir", conf.path().string(), "wordcount"});
  BOOST_TEST(unaligned.exit_code == 1);
  BOOST_TEST(unaligned.err.find("unaligned checkpoints are not implemented") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_cluster_runs_from_flink_1_and_flink_2_configuration_files) {
  struct variant {
    std::string file;
    std::string text;
  };
  for (int version : {1, 2}) {
    temp_dir dir;
    auto rpc = std::to_string(free_port());
    auto rest = std::to_string(free_port());
    auto checkpoints = dir.file("checkpoints");
    // Written as Flink's documentation writes them, with flink-cpp's addresses.
    variant v =
      version == 1
        ? variant{"flink-conf.yaml",
                  "jobmanager.rpc.address: 127.0.0.1\njobmanager.rpc.port: " + rpc +
                    "\njobmanager.bind-host: 127.0.0.1\njobmanager.memory.process.size: 1600m\n"
                    "taskmanager.bind-host: 127.0.0.1\ntaskmanager.host: 127.0.0.1\n"
                    "taskmanager.memory.process.size: 1728m\ntaskmanager.numberOfTaskSlots: 2\n"
                    "parallelism.default: 2\nrest.address: 127.0.0.1\nrest.bind-address: "
                    "127.0.0.1\n"
                    "rest.port: " +
                    rest + "\nstate.checkpoints.dir: file://" + checkpoints +
                    "\nstate.checkpoints.num-retained: 2\nexecution.checkpointing.interval: 50 ms\n"
                    "execution.checkpointing.externalized-checkpoint-retention: "
                    "RETAIN_ON_CANCELLATION\nenv.java.opts.all: -XX:+UseG1GC\n"}
        : variant{
            "config.yaml",
            "jobmanager:\n  rpc:\n    address: 127.0.0.1\n    port: " + rpc +
              "\n  bind-host: 127.0.0.1\n  memory:\n    process:\n      size: 1600m\n"
              "taskmanager:\n  bind-host: 127.0.0.1\n  host: 127.0.0.1\n  numberOfTaskSlots: 2\n"
              "parallelism:\n  default: 2\nrest:\n  address: 127.0.0.1\n  bind-address: "
              "127.0.0.1\n  port: " +
              rest +
              "\nexecution:\n  checkpointing:\n    interval: 50 ms\n"
              "    dir: file://" +
              checkpoints +
              "\n    num-retained: 2\n"
              "    externalized-checkpoint-retention: RETAIN_ON_CANCELLATION\n"
              "env:\n  java:\n    opts:\n      all: "
              "--add-exports=java.base/sun.net.util=ALL-UNNAMED\n"};
    write_file(dir.file(v.file), v.text);
    auto conf = dir.path().string();
    child_process jobmanager{flink_cpp({"jobmanager", "--config-dir", conf})};
    child_process taskmanager{flink_cpp({"taskmanager", "--config-dir", conf})};
    // flink-cpp check waits until the cluster answers as expected.
    auto up = run_flink_cpp({"check", "--config-dir", conf, "--taskmanagers", "1", "--slots", "2"});
    BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.err);
    auto job_run =
      run_flink_cpp({"run", "--config-dir", conf, "-d", FLINKCPP_SEQUENCE_JOB, "--count",
                     "100000000", "--rate", "100", "--output", dir.file("out")});
    BOOST_TEST_REQUIRE(job_run.exit_code == 0, job_run.err);
    auto job = submitted_job_id(job_run);
    BOOST_REQUIRE(
      wait_until([&] { return checkpoints_below(checkpoints + "/" + job).size() >= 2; }));
    auto cancelled = run_flink_cpp({"cancel", "--config-dir", conf, job});
    BOOST_TEST(cancelled.exit_code == 0, cancelled.err);
    taskmanager.send_signal(SIGTERM);
    jobmanager.send_signal(SIGTERM);
    auto tm = taskmanager.wait();
    auto jm = jobmanager.wait();
    BOOST_TEST(jm.exit_code == 0);
    // The JVM's keys are listed once, as ignored; 1.x names are read as 2.x's.
    BOOST_TEST(jm.out.find("INFO  config       configuration keys ignored (they mean nothing to "
                           "flink-cpp): env.java.opts.all") != std::string::npos,
               jm.out);
    bool deprecated = jm.out.find("'state.checkpoints.dir' is deprecated; read as "
                                  "'execution.checkpointing.dir'") != std::string::npos;
    BOOST_TEST(deprecated == (version == 1), jm.out);
    BOOST_TEST(tm.out.find("TaskManager 127.0.0.1:") != std::string::npos, tm.out);
  }
}

BOOST_AUTO_TEST_CASE(standalone_job_ends_with_its_job_as_flinks_application_mode) {
  temp_dir dir;
  write_file(dir.file("in.txt"), "a b a\n");
  {
    local_cluster cluster;
    cluster.start_application({"--job-classname", "wordcount", "--input", dir.file("in.txt"),
                               "--output", dir.file("counts")});
    cluster.start_taskmanager(1);
    auto ended = cluster.stop_jobmanager(0); // nothing sent: it ends by itself
    BOOST_TEST(ended.exit_code == 0, ended.out);
    BOOST_TEST(ended.out.find("The application's job ended (FINISHED): shutting down") !=
                 std::string::npos,
               ended.out);
    BOOST_TEST(read_file(dir.file("counts")).find("(a,2)") != std::string::npos);
  }
  {
    local_cluster cluster;
    cluster.start_application({"--jars", FLINKCPP_TEST_JOBS, "--input", dir.file("in.txt"),
                               "--output", dir.file("failed"), "--fail-at", "1"});
    cluster.start_taskmanager(1);
    auto ended = cluster.stop_jobmanager(0);
    BOOST_TEST(ended.exit_code == (1443 & 0xff), ended.out); // Flink's FAILED application status
  }
}

BOOST_AUTO_TEST_SUITE_END()

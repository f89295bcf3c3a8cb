// Transcripts of the CLI as scripts written for Flink's `flink` use it, on a
// real cluster of processes on 127.0.0.1: the JobID read from stdout as a
// script greps it, Flink's lines and exit codes, every verb and its --help,
// the options Flink spells with several letters after one dash, and clear
// refusals of what flink-cpp does not run.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <regex>

#include "support/local_cluster.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

/// What `grep -oE 'JobID [0-9a-f]{32}'` finds in `text`.
std::vector<std::string> grep_job_ids(const std::string& text) {
  static const std::regex pattern{"JobID [0-9a-f]{32}"};
  std::vector<std::string> found;
  for (std::sregex_iterator i{text.begin(), text.end(), pattern}, end; i != end; ++i)
    found.push_back(i->str());
  return found;
}

struct cli_fixture {
  local_cluster cluster{{"execution.checkpointing.savepoint-dir=" +
                         (fs::path{temp_dir::default_base()} / "unused").string()}};
  std::string words;

  cli_fixture() {
    cluster.start_jobmanager();
    cluster.start_taskmanager(4);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
    words = cluster.dir().file("words.txt");
    write_file(words, "to be or not to be\n");
  }

  std::string m() const { return cluster.rest_address(); }

  std::string state(const std::string& job) const {
    return cluster.get("/jobs/" + job).second.value("state", std::string{});
  }

  /// A job that runs until it is stopped, with checkpoints every 50 ms.
  std::string start_endless(const std::string& name, std::vector<std::string> options = {}) {
    std::vector<std::string> args{"run", "-m", m(),
                                  "-d",  "-D", "execution.checkpointing.interval=50ms"};
    args.insert(args.end(), options.begin(), options.end());
    for (std::string a : {std::string{FLINKCPP_SEQUENCE_JOB}, std::string{"--count"},
                          std::string{"100000000"}, std::string{"--rate"}, std::string{"100"},
                          std::string{"--output"}, cluster.dir().file(name)})
      args.push_back(a);
    auto r = run_flink_cpp(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto job = submitted_job_id(r);
    BOOST_REQUIRE(wait_until([&] {
      return state(job) == "RUNNING" &&
             cluster.get("/jobs/" + job + "/checkpoints").second["counts"].value("completed", 0) >
               0;
    }));
    return job;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(cli, cli_fixture)

BOOST_AUTO_TEST_CASE(run_prints_flinks_lines_on_stdout_where_scripts_read_them) {
  auto attached = run_flink_cpp(
    {"run", "-m", m(), "wordcount", "--input", words, "--output", cluster.dir().file("counts")});
  BOOST_TEST_REQUIRE(attached.exit_code == 0, attached.err);
  auto ids = grep_job_ids(attached.out);
  BOOST_REQUIRE(ids.size() == 2u); // submitted, and finished
  auto id = ids[0].substr(6);
  auto lines = lines_of(attached.out);
  BOOST_REQUIRE(lines.size() == 4u);
  BOOST_TEST(lines[0] == "Job has been submitted with JobID " + id);
  BOOST_TEST(lines[1] == "Program execution finished");
  BOOST_TEST(lines[2] == "Job with JobID " + id + " has finished.");
  BOOST_TEST(std::regex_match(lines[3], std::regex{"Job Runtime: [0-9]+ ms"}), lines[3]);
  BOOST_TEST(state(id) == "FINISHED");

  // Detached, with Flink's long option and -m as a URL: the one line only.
  auto detached = run_flink_cpp({"run", "-m", "http://" + m() + "/", "--detached", "wordcount",
                                 "--input", words, "--output", cluster.dir().file("counts2")});
  BOOST_TEST_REQUIRE(detached.exit_code == 0, detached.err);
  BOOST_TEST(
    std::regex_match(detached.out, std::regex{"Job has been submitted with JobID [0-9a-f]{32}\n"}),
    detached.out);
}

BOOST_AUTO_TEST_CASE(run_follows_execution_target_without_t_or_m) {
  temp_dir conf;
  auto address = m();
  write_file(conf.file("config.yaml"), "rest:\n  address: 127.0.0.1\n  port: " +
                                         address.substr(address.rfind(':') + 1) + "\n");
  // Flink's default target is remote: the cluster at rest.address:rest.port.
  auto remote = run_flink_cpp({"run", "--config-dir", conf.path().string(), "wordcount", "--input",
                               words, "--output", cluster.dir().file("by-target")});
  BOOST_TEST_REQUIRE(remote.exit_code == 0, remote.err);
  BOOST_TEST(grep_job_ids(remote.out).size() == 2u, remote.out);
  // execution.target local: the embedded mini-cluster, output on stdout.
  auto local = run_flink_cpp({"run", "--config-dir", conf.path().string(), "-D",
                              "execution.target=local", "wordcount", "--input", words});
  BOOST_TEST_REQUIRE(local.exit_code == 0, local.err);
  BOOST_TEST(local.out.find("(be,2)") != std::string::npos, local.out);
  BOOST_TEST(grep_job_ids(local.out).empty()); // stdout is the job's own output
  // Nothing listening where the configuration points: one line naming it.
  auto nowhere = run_flink_cpp({"run", "-D", "rest.address=127.0.0.1", "-D",
                                "rest.port=" + std::to_string(free_port()), "wordcount"});
  BOOST_TEST(nowhere.exit_code == 1);
  BOOST_TEST(nowhere.err.find("cannot reach the jobmanager at http://127.0.0.1:") == 7u,
             nowhere.err);
  auto other = run_flink_cpp({"run", "-D", "execution.target=kubernetes-application", "wordcount"});
  BOOST_TEST(other.exit_code == 1);
  BOOST_TEST(other.err.find("invalid value 'kubernetes-application' for configuration key "
                            "'execution.target'") != std::string::npos,
             other.err);
}

BOOST_AUTO_TEST_CASE(class_picks_one_of_the_jobs_of_a_library) {
  auto out = cluster.dir().file("second");
  auto picked =
    run_flink_cpp({"run", "-m", m(), "-c", "second", FLINKCPP_TWO_JOBS, "--output", out});
  BOOST_TEST_REQUIRE(picked.exit_code == 0, picked.err);
  BOOST_TEST(read_file(out) == "second\n");
  auto local = run_flink_cpp({"run", "-t", "local", "--class", "first", FLINKCPP_TWO_JOBS,
                              "--output", cluster.dir().file("first")});
  BOOST_TEST_REQUIRE(local.exit_code == 0, local.err);
  BOOST_TEST(read_file(cluster.dir().file("first")) == "first\n");
  auto unnamed = run_flink_cpp({"run", "-t", "local", FLINKCPP_TWO_JOBS, "--output", out});
  BOOST_TEST(unnamed.exit_code == 1);
  BOOST_TEST(unnamed.err.find("registers 2 jobs (first, second): pick one with -c/--class") !=
               std::string::npos,
             unnamed.err);
  auto wrong =
    run_flink_cpp({"run", "-t", "local", "-c", "third", FLINKCPP_TWO_JOBS, "--output", out});
  BOOST_TEST(wrong.exit_code == 1);
  BOOST_TEST(wrong.err.find("registers no job 'third'; it registers first, second") !=
               std::string::npos,
             wrong.err);
}

BOOST_AUTO_TEST_CASE(shutdown_on_attached_exit_cancels_the_job_when_the_client_is_interrupted) {
  child_process client{flink_cpp(
    {"run", "-m", m(), "-sae", FLINKCPP_ENDLESS_JOB, "--output", cluster.dir().file("endless")})};
  std::string job;
  BOOST_REQUIRE(wait_until([&] {
    auto jobs = cluster.get("/jobs/overview").second["jobs"];
    for (const auto& j : jobs)
      if (j["name"] == "endless" && j["state"] == "RUNNING")
        job = j["jid"].get<std::string>();
    return !job.empty();
  }));
  client.send_signal(SIGINT);
  auto r = client.wait();
  BOOST_TEST(r.exit_code == 128 + SIGINT, r.err);
  BOOST_TEST(r.out.find("Cancelling job " + job) != std::string::npos, r.out);
  BOOST_TEST(r.err.find("job " + job + " was cancelled (-sae)") != std::string::npos, r.err);
  BOOST_REQUIRE(wait_until([&] { return state(job) == "CANCELED"; }));
}

BOOST_AUTO_TEST_CASE(restore_mode_claim_makes_the_snapshot_the_jobs_own) {
  auto job = start_endless("claimed");
  auto stopped = run_flink_cpp({"stop", "-m", m(), "-p", cluster.dir().file("savepoints"), job});
  BOOST_REQUIRE_MESSAGE(stopped.exit_code == 0, stopped.err);
  const std::string marker = "Savepoint completed. Path: ";
  auto at = stopped.out.find(marker) + marker.size();
  auto savepoint = stopped.out.substr(at, stopped.out.find('\n', at) - at);
  BOOST_REQUIRE(fs::exists(savepoint));
  // NO_CLAIM (the default) never touches it...
  auto kept = start_endless("no-claim", {"-s", savepoint, "-rm", "no_claim"});
  BOOST_TEST(fs::exists(savepoint));
  BOOST_TEST(run_flink_cpp({"cancel", "-m", m(), kept}).exit_code == 0);
  // ...CLAIM deletes it once a checkpoint of the job replaced it.
  auto claimed = start_endless("claim", {"-s", "file://" + savepoint, "--restoreMode", "CLAIM"});
  BOOST_TEST(wait_until([&] { return !fs::exists(savepoint); }));
  BOOST_TEST(run_flink_cpp({"cancel", "-m", m(), claimed}).exit_code == 0);
  auto legacy = run_flink_cpp({"run", "-m", m(), "-rm", "legacy", "wordcount"});
  BOOST_TEST(legacy.exit_code == 1);
  BOOST_TEST(legacy.err.find("invalid restore mode 'legacy' for -rm: expected claim or no_claim") !=
               std::string::npos,
             legacy.err);
}

BOOST_AUTO_TEST_CASE(checkpoint_savepoint_dispose_list_and_cancel_verbs) {
  auto job = start_endless("verbs");
  auto checkpoint = run_flink_cpp({"checkpoint", "-m", m(), job});
  BOOST_TEST_REQUIRE(checkpoint.exit_code == 0, checkpoint.err);
  auto lines = lines_of(checkpoint.out);
  BOOST_REQUIRE(lines.size() == 4u);
  BOOST_TEST(lines[0] == "Triggering checkpoint for job " + job + ".");
  BOOST_TEST(lines[1] == "Waiting for response...");
  BOOST_TEST(
    std::regex_match(lines[2], std::regex{"Checkpoint [0-9]+ for job " + job + " completed\\."}),
    lines[2]);
  auto full = run_flink_cpp({"checkpoint", "-m", m(), "-full", job});
  BOOST_TEST_REQUIRE(full.exit_code == 0, full.err);
  BOOST_TEST(std::regex_search(full.out, std::regex{"Checkpoint\\(FULL\\) [0-9]+ for job " + job}),
             full.out);

  auto savepoint = run_flink_cpp({"savepoint", "-m", m(), job, cluster.dir().file("sp")});
  BOOST_TEST_REQUIRE(savepoint.exit_code == 0, savepoint.err);
  lines = lines_of(savepoint.out);
  BOOST_REQUIRE(lines.size() == 4u);
  BOOST_TEST(lines[0] == "Triggering savepoint for job " + job + ".");
  BOOST_TEST(lines[2].rfind("Savepoint completed. Path: " + cluster.dir().file("sp") + "/", 0) ==
             0u);
  BOOST_TEST(lines[3] == "You can resume your program from this savepoint with the run command.");
  auto path = lines[2].substr(std::string{"Savepoint completed. Path: "}.size());
  auto disposed = run_flink_cpp({"savepoint", "-m", m(), "-d", path});
  BOOST_TEST_REQUIRE(disposed.exit_code == 0, disposed.err);
  BOOST_TEST(disposed.out == "Disposing savepoint '" + path +
                               "'.\nWaiting for response...\n"
                               "Savepoint '" +
                               path + "' disposed.\n");
  BOOST_TEST(!fs::exists(path));
  auto again = run_flink_cpp({"savepoint", "-m", m(), "--dispose", path});
  BOOST_TEST(again.exit_code == 1);
  BOOST_TEST(again.err.find("is no savepoint or checkpoint") != std::string::npos, again.err);

  auto running = run_flink_cpp({"list", "-m", m(), "-r"});
  BOOST_TEST(running.exit_code == 0);
  BOOST_TEST(running.out.find("Waiting for response...\n"
                              "------------------ Running/Restarting Jobs -------------------\n") ==
               0u,
             running.out);
  BOOST_TEST(running.out.find(" : " + job + " : sequence (RUNNING)\n") != std::string::npos);
  auto scheduled = run_flink_cpp({"list", "-m", m(), "-s"});
  BOOST_TEST(scheduled.out == "Waiting for response...\nNo scheduled jobs.\n");
  auto cancelled = run_flink_cpp({"cancel", "-m", m(), job});
  BOOST_TEST(cancelled.exit_code == 0);
  BOOST_TEST(cancelled.out == "Cancelling job " + job + ".\nCancelled job " + job + ".\n");
  BOOST_REQUIRE(wait_until([&] { return state(job) == "CANCELED"; }));
  auto all = run_flink_cpp({"list", "-m", m(), "-a"});
  BOOST_TEST(all.out.find("No running jobs.\nNo scheduled jobs.\n"
                          "---------------------- Terminated Jobs -----------------------\n") !=
               std::string::npos,
             all.out);
  BOOST_TEST(all.out.find(" : " + job + " : sequence (CANCELED)\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_verb_has_help_and_exit_codes_are_flinks) {
  for (std::string verb : {"run", "info", "list", "cancel", "stop", "savepoint", "checkpoint",
                           "jobmanager", "taskmanager", "standalone-job", "check", "list-jobs"}) {
    auto help = run_flink_cpp({verb, "--help"});
    BOOST_TEST(help.exit_code == 0, verb);
    BOOST_TEST(help.out.find("Usage:") != std::string::npos, verb << ": " << help.out);
    BOOST_TEST(run_flink_cpp({verb, "-h"}).exit_code == 0, verb);
  }
  BOOST_TEST(run_flink_cpp({"help"}).exit_code == 0);
  BOOST_TEST(run_flink_cpp({"--version"}).out.find("flink-cpp ") == 0u);
  auto unknown = run_flink_cpp({"frobnicate", "x"});
  BOOST_TEST(unknown.exit_code == 1);
  BOOST_TEST(
    unknown.err.find("unknown command 'frobnicate'\ncommands: run, info, list, cancel, stop, "
                     "savepoint, checkpoint,") == 7u,
    unknown.err);
  auto missing = run_flink_cpp({"cancel", "-m", m()});
  BOOST_TEST(missing.exit_code == 1);
  BOOST_TEST(run_flink_cpp({"cancel", "-m", m(), "nojob"}).exit_code == 1);
  // `flink` is another name of the binary (the image links it).
  temp_dir bin;
  fs::create_symlink(flink_cpp_binary(), bin.file("flink"));
  auto flink = run_process({bin.file("flink"), "list", "-m", m()});
  BOOST_TEST(flink.exit_code == 0, flink.err);
  BOOST_TEST(flink.out.find("Waiting for response...") == 0u);
}

BOOST_AUTO_TEST_CASE(what_flink_cpp_does_not_run_is_refused_saying_why) {
  struct refused {
    std::vector<std::string> args;
    std::string says;
  };
  const refused cases[] = {
    {{"run", "-py", "job.py"}, "'-py' runs a PyFlink job, which flink-cpp does not support"},
    {{"run", "--python", "job.py"}, "'--python' runs a PyFlink job"},
    {{"run", "-pym", "mymodule"}, "'-pym' runs a PyFlink job"},
    {{"run", "-pyfs", "deps.zip", "-py", "job.py"}, "'-pyfs' runs a PyFlink job"},
    {{"run", "-t", "local", "job.py"}, "'job.py' is a PyFlink job"},
    {{"run", "-t", "local", "WordCount.jar"}, "'WordCount.jar' is a Java job (a JAR)"},
    {{"run", "-yid", "application_1"}, "'-yid' is an option of Flink's YARN integration"},
    {{"run", "-t", "yarn-per-job", "wordcount"}, "unknown target 'yarn-per-job' for -t"},
  };
  for (const auto& c : cases) {
    auto r = run_flink_cpp(c.args);
    BOOST_TEST(r.exit_code == 1, c.args[1]);
    BOOST_TEST(r.err.find(c.says) != std::string::npos, r.err);
  }
  // Job arguments that look like Flink's options are the job's own.
  auto own = run_flink_cpp({"run", "-t", "local", "wordcount", "--input", words, "-py"});
  BOOST_TEST(own.exit_code == 1);
  BOOST_TEST(own.err.find("unknown job argument") != std::string::npos, own.err);
}

BOOST_AUTO_TEST_SUITE_END()

// Jobs on a cluster of real processes: a jobmanager and two taskmanagers on
// 127.0.0.1, jobs submitted through the CLI, results checked exactly.

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "support/local_cluster.hpp"
#include "support/wait.hpp"
#include "support/word_reference.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

struct cluster_fixture {
  local_cluster cluster{{"cluster.io-pool.size=4"}};
  cluster_fixture() {
    cluster.start_jobmanager();
    cluster.start_taskmanager(2);
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  }

  process_result run(std::vector<std::string> args) {
    std::vector<std::string> all{"run", "-m", cluster.rest_address()};
    all.insert(all.end(), args.begin(), args.end());
    return run_flink_cpp(all);
  }
};

std::string sample_text() {
  std::string text;
  for (int i = 0; i < 3000; ++i)
    text += "the quick Brown fox " + std::to_string(i % 97) +
            " jumps over the lazy dog, "
            "again & AGAIN\n";
  return text;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_jobs, cluster_fixture)

BOOST_AUTO_TEST_CASE(event_time_crosses_processes_with_the_records) {
  // -p 4 takes every slot of both taskmanagers: the window's subtask, on one
  // of them, gets records with their timestamps, and watermarks, from
  // sources on both. Each source subtask counts a contiguous range up, so no
  // record is late and every window is complete.
  temp_dir dir;
  auto out = dir.file("windows");
  auto r = run({"-p", "4", FLINKCPP_EVENT_TIME_JOB, "--count", "20000", "--window", "100", "--rate",
                "0", "--output", out});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::map<std::int64_t, std::int64_t> counts; // window -> numbers counted in it
  for (const auto& line : output_lines(out)) {
    std::int64_t first = -1, count = 0;
    BOOST_REQUIRE_MESSAGE(std::sscanf(line.c_str(), "(%ld,%ld)", &first, &count) == 2, line);
    BOOST_TEST(counts.count(first / 100) == 0u, "window " << first / 100 << " twice");
    counts[first / 100] = count;
  }
  BOOST_TEST(counts.size() == 200u);
  for (const auto& [window, count] : counts)
    BOOST_TEST(count == 100, "window " << window);
}

BOOST_AUTO_TEST_CASE(wordcount_is_exact_at_every_parallelism) {
  auto input = cluster.dir().file("input.txt");
  auto text = sample_text();
  write_file(input, text);
  auto expected = reference_word_counts(text);
  for (int p : {1, 2, 4}) {
    for (std::string mode : {"STREAMING", "BATCH"}) {
      auto output = cluster.dir().file("out-" + std::to_string(p) + mode);
      auto r = run({"-p", std::to_string(p), "-D", "execution.runtime-mode=" + mode, "wordcount",
                    "--input", input, "--output", output});
      BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
      BOOST_TEST(r.out.find("Job has been submitted with JobID") == 0u, r.out);
      BOOST_TEST(r.out.find("Program execution finished\nJob with JobID " + submitted_job_id(r) +
                            " has finished.\nJob Runtime: ") != std::string::npos,
                 r.out);
      BOOST_TEST(final_counts(output) == expected, "parallelism " << p << " " << mode);
    }
  }
  // Four slots of two taskmanagers: the p=4 job spread over both.
  auto [status, jobs] = cluster.get("/jobs/overview");
  BOOST_TEST(status == 200);
  BOOST_TEST(jobs["jobs"].size() == 6u);
}

BOOST_AUTO_TEST_CASE(job_libraries_run_by_local_uri_and_by_upload) {
  auto input = cluster.dir().file("words.txt");
  write_file(input, "a bb ccc bb a dddd\nee a\n");
  int n = 0;
  for (std::string job :
       {"local://" + std::string{FLINKCPP_EXAMPLE_JOB}, std::string{FLINKCPP_EXAMPLE_JOB}}) {
    auto output = cluster.dir().file("lengths" + std::to_string(n++));
    auto r = run(
      {"-p", "2", "-D", "execution.runtime-mode=BATCH", job, "--input", input, "--output", output});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    auto lines = lines_of(read_file(output));
    std::sort(lines.begin(), lines.end());
    BOOST_TEST((lines == std::vector<std::string>{"(1,3)", "(2,3)", "(3,1)", "(4,1)"}));
  }
  auto [status, jars] = cluster.get("/jars");
  BOOST_TEST(status == 200);
  BOOST_TEST(jars["files"].size() == 1u); // the uploaded one
}

BOOST_AUTO_TEST_CASE(a_throwing_function_fails_the_job_with_its_cause) {
  auto input = cluster.dir().file("lines.txt");
  std::string lines;
  for (int i = 0; i < 3000; ++i)
    lines += "line " + std::to_string(i) + "\n";
  write_file(input, lines);
  auto output = cluster.dir().file("fragile-out");
  auto r = run({"-p", "1", "-D", "restart-strategy.type=none", FLINKCPP_TEST_JOBS, "--input", input,
                "--output", output, "--fail-at", "100"});
  BOOST_TEST(r.exit_code == 1);
  auto last = lines_of(r.err).back();
  BOOST_TEST(last.find("error: job 'fail_after'") == 0u, last);
  BOOST_TEST(last.find("failed: Source: Text File Source -> fragile -> Sink: Text File Sink (1/1): "
                       "boom at line 100") != std::string::npos,
             last);
  BOOST_TEST(!fs::exists(output));
  auto id = submitted_job_id(r);
  auto [status, job] = cluster.get("/jobs/" + id);
  BOOST_TEST(status == 200);
  BOOST_TEST(job["state"] == "FAILED");
  auto [estatus, exceptions] = cluster.get("/jobs/" + id + "/exceptions");
  BOOST_TEST(estatus == 200);
  const auto& root = exceptions["exceptionHistory"]["entries"][0];
  BOOST_TEST(root["stacktrace"] == "boom at line 100");
  BOOST_TEST(root["taskName"] ==
             "Source: Text File Source -> fragile -> Sink: Text File Sink (1/1)");
  BOOST_TEST(root["timestamp"].get<std::int64_t>() > 0);
}

BOOST_AUTO_TEST_CASE(a_detached_job_can_be_listed_and_cancelled) {
  auto output = cluster.dir().file("never");
  auto r =
    run({"-d", FLINKCPP_SEQUENCE_JOB, "--count", "1000000", "--rate", "100", "--output", output});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto id = submitted_job_id(r);
  BOOST_REQUIRE(
    wait_until([&] { return cluster.get("/jobs/" + id).second["state"] == "RUNNING"; }));
  auto list = run_flink_cpp({"list", "-m", cluster.rest_address()});
  BOOST_TEST(list.exit_code == 0);
  BOOST_TEST(list.out.find(id + " : sequence (RUNNING)") != std::string::npos, list.out);
  auto cancel = run_flink_cpp({"cancel", "-m", cluster.rest_address(), id});
  BOOST_TEST(cancel.exit_code == 0, cancel.err);
  BOOST_TEST(cancel.out == "Cancelling job " + id + ".\nCancelled job " + id + ".\n");
  BOOST_REQUIRE(
    wait_until([&] { return cluster.get("/jobs/" + id).second["state"] == "CANCELED"; }));
  BOOST_TEST(!fs::exists(output));
  auto all = run_flink_cpp({"list", "-m", cluster.rest_address(), "-a"});
  BOOST_TEST(all.out.find(id + " : sequence (CANCELED)") != std::string::npos, all.out);
}

BOOST_AUTO_TEST_SUITE_END()

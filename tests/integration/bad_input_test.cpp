// Every bad input ends with one line saying what was wrong and what was
// expected, a non-zero exit code, and no output that looks complete.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

struct bad_input_fixture {
  temp_dir dir;
  std::string input = dir.file("input.txt");
  std::string output = dir.file("out");

  bad_input_fixture() { write_file(input, "some words\nmore words\n"); }

  /// Runs flink-cpp and checks the one-line error containing `expected`.
  /// A job that failed while running was submitted first, and says so.
  void expect_error(const std::vector<std::string>& args, const std::string& expected) {
    BOOST_TEST_CONTEXT("flink-cpp with " << args.size() << " args, expecting: " << expected) {
      auto r = run_flink_cpp(args);
      BOOST_TEST(r.exit_code == 1);
      auto lines = lines_of(r.err);
      if (!lines.empty() && lines[0].rfind("Job has been submitted with JobID ", 0) == 0)
        lines.erase(lines.begin());
      BOOST_TEST_REQUIRE(lines.size() == 1u, "stderr was:\n" << r.err);
      BOOST_TEST(lines[0].rfind("error: ", 0) == 0u, lines[0]);
      BOOST_TEST(lines[0].find(expected) != std::string::npos, lines[0]);
      BOOST_TEST(r.out.empty());
      BOOST_TEST(!fs::exists(output), "output left behind at " << output);
      for (const auto& e : fs::directory_iterator(dir.path()))
        BOOST_TEST(e.path().filename().string()[0] != '.', "in-progress file " << e.path());
    }
  }

  std::vector<std::string> wordcount(std::vector<std::string> options,
                                     std::vector<std::string> job_args) {
    std::vector<std::string> args{"run", "-t", "local"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back("wordcount");
    args.insert(args.end(), job_args.begin(), job_args.end());
    return args;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(bad_input, bad_input_fixture)

BOOST_AUTO_TEST_CASE(missing_or_unreadable_inputs) {
  expect_error(wordcount({}, {"--input", dir.file("missing.txt"), "--output", output}),
               "input '" + dir.file("missing.txt") + "' cannot be read: No such file or directory");
  expect_error(wordcount({}, {"--input", input + "/below", "--output", output}),
               "cannot be read: Not a directory");
  auto fifo = dir.file("fifo");
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  expect_error(wordcount({}, {"--input", fifo, "--output", output}),
               "is neither a regular file nor a directory");
  fs::remove(fifo);
}

BOOST_AUTO_TEST_CASE(unknown_jobs_and_libraries) {
  expect_error({"run", "-t", "local", "wordcuont"},
               "unknown job 'wordcuont'; built-in jobs: kafka-wordcount, nexmark, "
               "orders-shipments, sessions, sql, wordcount");
  expect_error({"run", "-t", "local", dir.file("missing.so")}, "does not exist or is not a file");
  write_file(dir.file("not-a-library.so"), "text");
  expect_error({"run", "-t", "local", dir.file("not-a-library.so")}, "cannot load job library");
  fs::remove(dir.file("not-a-library.so"));
  expect_error({"run", "-t", "local"}, "missing JOB");
}

BOOST_AUTO_TEST_CASE(bad_parallelism) {
  for (std::string p : {"0", "-1", "two"})
    expect_error(wordcount({"-p", p}, {"--input", input, "--output", output}),
                 "invalid parallelism '" + p + "' for -p: expected a positive integer");
  expect_error(wordcount({"-p", "4", "-D", "taskmanager.numberOfTaskSlots=2"},
                         {"--input", input, "--output", output}),
               "the job needs 4 slots (its highest parallelism) but the local cluster has 2");
  expect_error(wordcount({"-p", "4", "-D", "pipeline.max-parallelism=2"},
                         {"--input", input, "--output", output}),
               "exceeds its max parallelism 2");
}

BOOST_AUTO_TEST_CASE(bad_configuration) {
  expect_error(wordcount({"-D", "parallelism.default"}, {}),
               "malformed -D 'parallelism.default': expected -D key=value");
  expect_error(wordcount({"-D", "=4"}, {}), "malformed -D '=4'");
  expect_error(wordcount({"-D", "parallelism.default=zero"}, {}),
               "invalid value 'zero' for configuration key 'parallelism.default': expected a "
               "positive integer");
  expect_error(wordcount({"-D", "execution.runtime-mode=FAST"}, {}),
               "expected one of STREAMING | BATCH | AUTOMATIC");
  expect_error(wordcount({"-D", "execution.buffer-timeout=soon"}, {}), "expected a duration");
  expect_error(wordcount({"--config-dir", dir.file("nowhere")}, {}),
               "configuration directory '" + dir.file("nowhere") + "' does not exist");
  fs::create_directory(dir.file("conf"));
  write_file(dir.file("conf/config.yaml"), "taskmanager:\n  numberOfTaskSlots: -3\n");
  expect_error(wordcount({"--config-dir", dir.file("conf")}, {}),
               "invalid value '-3' for configuration key 'taskmanager.numberOfTaskSlots'");
  fs::remove_all(dir.file("conf"));
}

BOOST_AUTO_TEST_CASE(bad_job_arguments) {
  expect_error(
    wordcount({}, {"--inptu", input}),
    "unknown job argument --inptu for job 'wordcount'; it takes --input, --output, --rate");
  expect_error(wordcount({}, {"--input", input, "--rate", "10"}),
               "--rate repeats the built-in text: it does not go with --input");
  expect_error(wordcount({}, {"--rate", "fast"}), "--rate");
  expect_error(wordcount({}, {"--input"}), "job argument --input needs a value");
  expect_error(wordcount({}, {input}), "unexpected job argument '" + input + "'");
  expect_error(wordcount({}, {"--input", input, "--input", input}), "given more than once");
  expect_error({"run", "-t", "local", "--bogus", "wordcount"}, "unknown option '--bogus'");
  expect_error({"run", "-t", "cluster", "wordcount"}, "unknown target 'cluster' for -t");
}

BOOST_AUTO_TEST_CASE(existing_output_is_kept) {
  write_file(output, "precious");
  auto r = run_flink_cpp(wordcount({}, {"--input", input, "--output", output}));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(lines_of(r.err).size() == 1u);
  BOOST_TEST(r.err.find("already exists") != std::string::npos);
  BOOST_TEST(read_file(output) == "precious");
  fs::remove(output);
}

BOOST_AUTO_TEST_CASE(a_failure_at_runtime_leaves_no_output) {
  std::string lines;
  for (int i = 0; i < 5000; ++i)
    lines += "line " + std::to_string(i) + "\n";
  write_file(input, lines);
  for (std::string p : {"1", "2"})
    expect_error({"run", "-t", "local", "-p", p, FLINKCPP_TEST_JOBS, "--input", input, "--output",
                  output, "--fail-at", "1000"},
                 "job 'fail_after' failed: Source: Text File Source -> fragile -> Sink: Text File "
                 "Sink (");
  expect_error({"run", "-t", "local", "-p", "1", FLINKCPP_TEST_JOBS, "--input", input, "--output",
                output, "--fail-at", "1000"},
               "Sink: Text File Sink (1/1): boom at line 1000");
  // The same job without the failure does write its output.
  auto r = run_flink_cpp({"run", "-t", "local", "-p", "2", FLINKCPP_TEST_JOBS, "--input", input,
                          "--output", output, "--fail-at", "100000"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(output_lines(output).size() == 5000u);
  fs::remove_all(output);
}

BOOST_AUTO_TEST_CASE(a_signal_cancels_the_job_and_discards_its_output) {
  for (int sig : {SIGINT, SIGTERM}) {
    child_process job{flink_cpp({"run", "-t", "local", FLINKCPP_ENDLESS_JOB, "--output", output})};
    // Running once its in-progress part file exists.
    BOOST_REQUIRE(wait_until([&] {
      for (const auto& e : fs::directory_iterator(dir.path()))
        if (e.path().filename().string().rfind(".out.inprogress.", 0) == 0)
          return true;
      return false;
    }));
    job.send_signal(sig);
    auto r = job.wait();
    BOOST_TEST(r.exit_code == 128 + sig);
    BOOST_TEST(r.err.find("was cancelled by a signal") != std::string::npos);
    BOOST_TEST(!fs::exists(output));
    for (const auto& e : fs::directory_iterator(dir.path()))
      BOOST_TEST(e.path().filename().string()[0] != '.', "left behind: " << e.path());
  }
}

BOOST_AUTO_TEST_SUITE_END()

// WordCount through the flink-cpp binary, on inputs chosen to break
// tokenizers and file splitters, at several parallelisms, in both runtime
// modes, against a reference computed here.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"
#include "support/word_reference.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

using counts = std::map<std::string, std::int64_t>;

/// Parses "(word,count)" lines; checks that each word's counts run 1, 2, ...
/// in order when `streaming`, or appear once when not. Returns the totals.
counts parse_counts(const std::vector<std::string>& lines, bool streaming) {
  static const std::regex line_format{R"(^(?:[1-9][0-9]*> )?\(([a-z0-9]+),([0-9]+)\)$)"};
  counts totals;
  for (const auto& line : lines) {
    std::smatch m;
    BOOST_REQUIRE_MESSAGE(std::regex_match(line, m, line_format), "unexpected line: " << line);
    auto word = m[1].str();
    auto count = std::stoll(m[2].str());
    auto& total = totals[word];
    if (streaming)
      BOOST_REQUIRE_MESSAGE(count == total + 1,
                            "update " << count << " of '" << word << "' after " << total);
    else
      BOOST_REQUIRE_MESSAGE(total == 0, "'" << word << "' appears twice");
    total = count;
  }
  return totals;
}

std::string binary_bytes() {
  std::mt19937 rng{7};
  std::string s;
  for (int i = 0; i < 65536; ++i)
    s.push_back(static_cast<char>(rng() & 0xff));
  return s;
}

std::string long_line() {
  std::string s;
  std::mt19937 rng{3};
  while (s.size() < (1 << 20)) {
    s += "Word" + std::to_string(rng() % 500) + (rng() % 3 == 0 ? "," : " ");
  }
  return "before\n" + s + "\nafter\n";
}

struct input_case {
  const char* name;
  std::string content;
};

std::vector<input_case> input_cases() {
  return {
    {"binary", binary_bytes()},
    {"utf8", "Grüße aus Köln! naïve café — 東京 ÉCOLE école\nStraße STRASSE strasse\n"},
    {"crlf", "To be\r\nor not\r\nto BE\r\n\r\n"},
    {"empty_lines", "\n\n\nalpha\n\n\nbeta alpha\n\n"},
    {"one_megabyte_line", long_line()},
    {"no_final_newline", "the end\nis near the end"},
    {"empty", ""},
    {"numbers", "route 66, area 51 and 66 again; 007 is not 7\n"},
  };
}

void check_wordcount(const std::string& input, const counts& expected, const temp_dir& dir,
                     const std::string& label) {
  for (int p : {1, 2, 4, 8}) {
    for (bool batch : {false, true}) {
      auto output = dir.file(label + "-p" + std::to_string(p) + (batch ? "-batch" : "-stream"));
      std::vector<std::string> args{"run", "-t", "local", "-p", std::to_string(p)};
      if (batch) {
        args.push_back("-D");
        args.push_back("execution.runtime-mode=BATCH");
      }
      for (const char* a : {"wordcount", "--input"})
        args.push_back(a);
      args.push_back(input);
      args.push_back("--output");
      args.push_back(output);
      BOOST_TEST_CONTEXT(label << " at parallelism " << p << (batch ? " BATCH" : " STREAMING")) {
        auto r = run_flink_cpp(args);
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
        BOOST_TEST(r.out.empty());
        BOOST_TEST(parse_counts(lines_of(read_file(output)), !batch) == expected);
      }
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(wordcount)

BOOST_AUTO_TEST_CASE(counts_equal_the_reference_on_every_input) {
  temp_dir dir;
  for (const auto& c : input_cases()) {
    auto input = dir.file(std::string{c.name} + ".txt");
    write_file(input, c.content);
    check_wordcount(input, reference_word_counts(c.content), dir, c.name);
  }
}

BOOST_AUTO_TEST_CASE(a_directory_is_read_file_by_file_skipping_hidden_files) {
  temp_dir dir;
  auto in = dir.path() / "in";
  fs::create_directories(in / "nested");
  std::string all;
  int i = 0;
  for (const auto& c : input_cases()) {
    auto path = (i % 2 ? in / "nested" : in) / (std::string{c.name} + ".txt");
    write_file(path.string(), c.content);
    all += c.content + "\n"; // files are separate: their words never join
    ++i;
  }
  write_file((in / ".hidden").string(), "hidden words never count");
  write_file((in / "_SUCCESS").string(), "marker words never count");
  check_wordcount(in.string(), reference_word_counts(all), dir, "directory");
}

BOOST_AUTO_TEST_CASE(without_arguments_the_sample_is_printed) {
  for (int p : {1, 3}) {
    auto r = run_flink_cpp({"run", "-t", "local", "-p", std::to_string(p), "wordcount"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    auto lines = lines_of(r.out);
    auto totals = parse_counts(lines, true);
    BOOST_TEST(totals["to"] == 13);
    BOOST_TEST(totals["sleep"] == 5);
    for (const auto& line : lines)
      BOOST_TEST((p == 1) == (line[0] == '('), "prefix expected only in parallel: " << line);
    BOOST_TEST(r.err.find("Job has been submitted with JobID") != std::string::npos);
    BOOST_TEST(r.err.find("has finished.") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_streaming_print_shows_each_update_while_its_input_waits) {
  // Two lines a second: print() holds its lines for larger writes, but the
  // runtime hands them on within the buffer timeout, not at a full buffer.
  temp_dir dir;
  auto out = dir.file("stdout");
  child_process run{{"/bin/sh", "-c", "exec \"$0\" run -t local -p 1 wordcount --rate 2 > \"$1\"",
                     flink_cpp_binary(), out}};
  bool printed = wait_until([&] { return read_file(out).find("(be,2)\n") != std::string::npos; });
  run.send_signal(SIGINT);
  auto r = run.wait();
  BOOST_TEST(printed, "no update on stdout while the job ran: " << read_file(out) << r.err);
}

BOOST_AUTO_TEST_CASE(a_job_library_runs_by_path) {
  temp_dir dir;
  std::string text = "a bb ccc bb a dddd\nee a\n";
  write_file(dir.file("in.txt"), text);
  int run = 0;
  for (const auto& job :
       {std::string{FLINKCPP_EXAMPLE_JOB}, "local://" + std::string{FLINKCPP_EXAMPLE_JOB}}) {
    auto out = dir.file("out" + std::to_string(run++));
    auto r = run_flink_cpp({"run", "-t", "local", "-p", "2", "-D", "execution.runtime-mode=BATCH",
                            job, "--input", dir.file("in.txt"), "--output", out});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    auto lines = lines_of(read_file(out));
    std::sort(lines.begin(), lines.end());
    BOOST_TEST((lines == std::vector<std::string>{"(1,3)", "(2,3)", "(3,1)", "(4,1)"}));
  }
}

BOOST_AUTO_TEST_CASE(info_prints_the_plan) {
  auto r = run_flink_cpp({"info", "-p", "3", "wordcount", "--input", "x", "--output", "y"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto plan = nlohmann::json::parse(r.out).at("plan");
  BOOST_TEST(plan.at("name").get<std::string>() == "wordcount");
  const auto& nodes = plan.at("nodes");
  BOOST_REQUIRE(nodes.size() == 3u);
  BOOST_TEST(nodes[0].at("description").get<std::string>() == "Source: file-input -&gt; tokenizer");
  BOOST_TEST(nodes[1].at("description").get<std::string>() == "counter");
  BOOST_TEST(nodes[1].at("inputs")[0].at("ship_strategy").get<std::string>() == "HASH");
  BOOST_TEST(nodes[2].at("parallelism").get<int>() == 1);
  BOOST_TEST(nodes[2].at("inputs")[0].at("ship_strategy").get<std::string>() == "REBALANCE");
  auto list = run_flink_cpp({"list-jobs"});
  BOOST_TEST(list.out.find("kafka-wordcount") == 0u, list.out); // in name order
  BOOST_TEST(list.out.find("\nsessions") != std::string::npos, list.out);
  BOOST_TEST(list.out.find("\nwordcount") != std::string::npos, list.out);
}

BOOST_AUTO_TEST_SUITE_END()

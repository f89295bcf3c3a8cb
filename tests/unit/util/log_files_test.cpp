#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "support/temp_dir.hpp"
#include "util/log_files.hpp"
#include "util/logging.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;

BOOST_AUTO_TEST_SUITE(log_files)

BOOST_AUTO_TEST_CASE(a_log_is_its_file_its_rotated_files_and_its_stdout_file) {
  temp_dir dir;
  auto log = dir.file("jobmanager.log");
  write_file(log, "now\n");
  write_file(dir.file("jobmanager.1.log"), "before\n"); // spdlog's rotated names
  write_file(dir.file("jobmanager.2.log"), "long before\n");
  write_file(dir.file("jobmanager.out"), "printed\n");
  write_file(dir.file("jobmanager.x.log"), "not a rotation\n");
  write_file(dir.file("taskmanager.log"), "another process\n");
  std::vector<std::string> names;
  for (const auto& f : list_log_files(log))
    names.push_back(f.name);
  std::sort(names.begin(), names.end());
  BOOST_TEST(names == (std::vector<std::string>{"jobmanager.1.log", "jobmanager.2.log",
                                                "jobmanager.log", "jobmanager.out"}),
             boost::test_tools::per_element());
  BOOST_TEST(*read_log_file(log, "jobmanager.1.log") == "before\n");
  BOOST_TEST(*read_log_file(log, "") == "now\n"); // the log itself
  BOOST_TEST(read_log_file(log, "taskmanager.log").error() ==
             "there is no log file 'taskmanager.log'");
  BOOST_TEST(!read_log_file(log, "../etc/passwd"));
  BOOST_TEST(!read_log_file("", "jobmanager.log"));
  BOOST_TEST(list_log_files("").empty());
  BOOST_TEST(*read_log_file(log, "jobmanager.2.log", 7) == "before\n"); // the end of a larger file
}

BOOST_AUTO_TEST_CASE(log_lines_go_to_the_file_with_log4j_levels) {
  temp_dir dir;
  auto file = dir.file("process.log");
  BOOST_REQUIRE(init_logging(log_destination::standard_error, "INFO", {}, file));
  logger("component")->info("a line");
  logger("component")->warn("a warning");
  logger("component")->debug("not at INFO");
  auto text = testing::read_file(file);
  BOOST_TEST(text.find(" INFO  component    a line\n") != std::string::npos, text);
  BOOST_TEST(text.find(" WARN  component    a warning\n") != std::string::npos, text);
  BOOST_TEST(text.find("not at INFO") == std::string::npos);
  auto refused = init_logging(log_destination::standard_error, "INFO", {}, "/proc/no/such/file");
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().find("cannot write the log file '/proc/no/such/file' (log.file)") ==
             0u);
  BOOST_REQUIRE(init_logging(log_destination::standard_error, "WARN"));
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include "config/config_values.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(config_values)

BOOST_AUTO_TEST_CASE(integers_within_bounds) {
  BOOST_TEST(*parse_integer("4", 1, 10) == 4);
  BOOST_TEST(*parse_integer(" 10 ", 1, 10) == 10);
  BOOST_TEST(!parse_integer("0", 1, 10));
  BOOST_TEST(!parse_integer("11", 1, 10));
  BOOST_TEST(!parse_integer("4x", 1, 10));
  BOOST_TEST(!parse_integer("", 1, 10));
  BOOST_TEST(parse_integer("0", 1, 10).error() == "an integer between 1 and 10");
  BOOST_TEST(parse_integer("-1", 1, INT64_MAX).error() == "a positive integer");
}

BOOST_AUTO_TEST_CASE(booleans_ignore_case) {
  BOOST_TEST(*parse_boolean("TRUE"));
  BOOST_TEST(!*parse_boolean("false"));
  BOOST_TEST(parse_boolean("yes").error() == "true or false");
}

BOOST_AUTO_TEST_CASE(durations_in_flink_syntax) {
  BOOST_TEST(parse_duration("100 ms")->count() == 100);
  BOOST_TEST(parse_duration("100ms")->count() == 100);
  BOOST_TEST(parse_duration("250")->count() == 250); // no unit: milliseconds
  BOOST_TEST(parse_duration("5 s")->count() == 5000);
  BOOST_TEST(parse_duration("1 min")->count() == 60000);
  BOOST_TEST(parse_duration("2h")->count() == 7200000);
  BOOST_TEST(parse_duration("0")->count() == 0);
  BOOST_TEST(parse_duration("-1")->count() == -1);
  BOOST_TEST(!parse_duration("soon"));
  BOOST_TEST(!parse_duration("10 parsecs"));
  BOOST_TEST(!parse_duration("-5 s"));
}

BOOST_AUTO_TEST_CASE(durations_too_large_for_64_bits_of_nanoseconds_are_refused) {
  BOOST_TEST(parse_duration("106751 d")->count() == 106751LL * 86'400'000);
  BOOST_TEST(parse_duration("106752 d").error() == "a duration of at most 106751 days (292 years)");
  BOOST_TEST(!parse_duration("9223372036854775807 min"));
}

BOOST_AUTO_TEST_CASE(memory_sizes_in_flink_syntax) {
  BOOST_TEST(*parse_memory_size("32kb") == 32u * 1024);
  BOOST_TEST(*parse_memory_size("32 KB") == 32u * 1024);
  BOOST_TEST(*parse_memory_size("1m") == 1u << 20);
  BOOST_TEST(*parse_memory_size("2g") == 2ull << 30);
  BOOST_TEST(*parse_memory_size("4096") == 4096u);
  BOOST_TEST(!parse_memory_size("lots"));
  BOOST_TEST(!parse_memory_size("-1kb"));
}

BOOST_AUTO_TEST_CASE(memory_sizes_of_8_eib_or_more_are_refused) {
  BOOST_TEST(*parse_memory_size("8388607 tb") == 8388607ull << 40);
  BOOST_TEST(parse_memory_size("8388608 tb").error() == "a memory size of at most 8 EiB");
}

BOOST_AUTO_TEST_CASE(choices_ignore_case_and_list_the_options) {
  BOOST_TEST(*parse_choice("batch", {"STREAMING", "BATCH"}) == "BATCH");
  BOOST_TEST(parse_choice("fast", {"STREAMING", "BATCH"}).error() == "one of STREAMING | BATCH");
}

BOOST_AUTO_TEST_CASE(local_paths_in_every_form_flink_accepts) {
  BOOST_TEST(*parse_local_path("/data/ckpt") == "/data/ckpt");
  BOOST_TEST(*parse_local_path("file:/data/ckpt") == "/data/ckpt");
  BOOST_TEST(*parse_local_path("file:///data/ckpt/") == "/data/ckpt");
  BOOST_TEST(*parse_local_path("FILE://localhost/data/ckpt") == "/data/ckpt");
  BOOST_TEST(*parse_local_path("file:///data//x/../ckpt") == "/data/ckpt");
  BOOST_TEST(*parse_local_path("file:///a%20b") == "/a b");
  BOOST_TEST(*parse_local_path("/") == "/");
  BOOST_TEST(*parse_local_path("/a%20b") == "/a%20b"); // escapes belong to URIs only
  BOOST_TEST(!parse_local_path("file:///a%2"));
  BOOST_TEST(!parse_local_path(""));
  BOOST_TEST(!parse_local_path("ckpt"));
  BOOST_TEST(!parse_local_path("./ckpt"));
  BOOST_TEST(!parse_local_path("file:ckpt"));
  BOOST_TEST(!parse_local_path("file://"));
  BOOST_TEST(!parse_local_path("file:///data/a%00/../../etc")); // NUL would cut the path short
  BOOST_TEST(!parse_local_path("/data/a\tb"));
  BOOST_TEST(parse_local_path("file://nn:8020/ckpt").error() ==
             "an absolute local path (/path, file:/path or file:///path), not a file URI of "
             "host 'nn:8020': only this machine's files (file:///path) can be written");
  BOOST_TEST(parse_local_path("hdfs:///ckpt").error() ==
             "an absolute local path (/path, file:/path or file:///path), not a URI of scheme "
             "'hdfs': flink-cpp writes local or mounted file systems only");
  BOOST_TEST(!parse_local_path("s3a://bucket/x"));
  BOOST_TEST(!parse_local_path("gs://bucket/x"));
}

BOOST_AUTO_TEST_CASE(port_ranges_and_log_levels) {
  BOOST_TEST((*parse_port_range("9249") == std::pair<int, int>{9249, 9249}));
  BOOST_TEST((*parse_port_range("9250-9260") == std::pair<int, int>{9250, 9260}));
  BOOST_TEST(!parse_port_range("9260-9250"));
  BOOST_TEST(!parse_port_range("70000"));
  BOOST_TEST(!parse_port_range("prom"));
  auto levels = parse_log_levels("taskexecutor=debug, jobmaster=WARN");
  BOOST_REQUIRE(levels);
  BOOST_TEST(levels->at("taskexecutor") == "DEBUG");
  BOOST_TEST(levels->at("jobmaster") == "WARN");
  BOOST_TEST(parse_log_levels("")->empty());
  BOOST_TEST(!parse_log_levels("taskexecutor"));
  BOOST_TEST(!parse_log_levels("taskexecutor=LOUD"));
  BOOST_TEST(!parse_log_levels("=INFO"));
}

BOOST_AUTO_TEST_SUITE_END()

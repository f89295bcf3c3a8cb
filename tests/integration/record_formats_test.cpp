// The formats in jobs: CSV and JSON files read by the file source and
// written by the file sink, JSON read from Kafka and CSV written to it, all
// compared with what went in; lines a format cannot read fail the job
// naming file, line and column, or are skipped when the source says so.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/csv_format.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/json_format.hpp"
#include "flinkcpp/kafka_sink.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "support/kafka_cluster.hpp"
#include "support/local_job.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::kafka_cluster;
using flinkcpp::testing::run_job;
using flinkcpp::testing::temp_dir;

namespace sample {

struct order {
  std::int64_t id = 0;
  std::int64_t timestamp = 0;
  std::string customer;
  double amount = 0;
  std::optional<std::string> note;
};

template <class Inspector>
auto inspect(Inspector& f, order& x) {
  return f(field("id", x.id), field("timestamp", x.timestamp), field("customer", x.customer),
           field("amount", x.amount), field("note", x.note));
}

} // namespace sample

namespace {

job_settings with(int parallelism) {
  return testing::job_settings_of("record-formats", parallelism);
}

/// Order `i` as csv_format<order> writes it: customers with the delimiter
/// and quotes in them, notes absent, empty and present.
std::string order_line(int i) {
  std::string customer = i % 7 == 0 ? "\"Smith, \"\"J\"\"\"" : "c" + std::to_string(i % 13);
  std::string note = i % 3 == 0 ? "" : i % 3 == 1 ? "\"\"" : "n" + std::to_string(i);
  const char* cents[] = {"", ".25", ".5", ".75"};
  return std::to_string(i) + "," + std::to_string(1700000000000 + std::int64_t{i} * 250) + "," +
         customer + "," + std::to_string(i % 100) + cents[i % 4] + "," + note;
}

/// The lines of the visible files in `dir` (none if there is no `dir`),
/// sorted.
std::vector<std::string> lines_of_files_in(const std::filesystem::path& dir) {
  std::vector<std::string> lines;
  if (!std::filesystem::exists(dir))
    return lines;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto name = entry.path().filename().string();
    if (name.front() == '.' || name.front() == '_')
      continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

void write_file(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const auto& line : lines)
    out << line << '\n';
}

std::string run(const testing::job_builder& build, int parallelism) {
  auto r = run_job(build, with(parallelism));
  return r.status == job_status::finished ? std::string{} : "failed: " + r.failure;
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_formats)

BOOST_AUTO_TEST_CASE(csv_files_become_json_files_and_back_unchanged) {
  temp_dir dir;
  std::filesystem::create_directory(dir.file("csv"));
  std::vector<std::string> first;
  std::vector<std::string> second;
  for (int i = 0; i < 3000; ++i)
    (i % 2 == 0 ? first : second).push_back(order_line(i));
  write_file(dir.file("csv/a.csv"), first);
  write_file(dir.file("csv/b.csv"), second);

  BOOST_TEST_REQUIRE(run(
                       [&](stream_environment& env) {
                         env
                           .from_source(file_source{dir.file("csv"), csv_format<sample::order>{}},
                                        watermark_strategy<sample::order>::no_watermarks(), "csv")
                           .sink_to(file_sink<sample::order>::for_row_format(
                             dir.file("json"), json_format<sample::order>{}));
                       },
                       2) == "");
  auto json_lines = lines_of_files_in(dir.file("json"));
  BOOST_TEST_REQUIRE(json_lines.size() == 3000u);
  // Every object as json_format writes it, field by field.
  json_format<sample::order> json;
  csv_format<sample::order> csv;
  std::vector<std::string> expected_json;
  expected_json.reserve(3000);
  for (int i = 0; i < 3000; ++i)
    expected_json.push_back(serialize_to_string(json, csv.deserialize(order_line(i))));
  std::sort(expected_json.begin(), expected_json.end());
  BOOST_TEST(json_lines == expected_json, boost::test_tools::per_element());
  BOOST_TEST(std::count_if(json_lines.begin(), json_lines.end(), [](const std::string& l) {
               return l.find(R"("customer":"Smith, \"J\"")") != std::string::npos;
             }) == 429);

  BOOST_TEST_REQUIRE(run(
                       [&](stream_environment& env) {
                         env
                           .from_source(file_source{dir.file("json"), json_format<sample::order>{}},
                                        watermark_strategy<sample::order>::no_watermarks(), "json")
                           .sink_to(
                             file_sink<sample::order>::for_row_format(dir.file("back"), csv));
                       },
                       2) == "");
  auto all = first;
  all.insert(all.end(), second.begin(), second.end());
  std::sort(all.begin(), all.end());
  BOOST_TEST(lines_of_files_in(dir.file("back")) == all, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_line_the_format_cannot_read_fails_the_job_naming_file_line_and_column) {
  temp_dir dir;
  write_file(dir.file("orders.csv"), {order_line(1), order_line(2), "3,17,c,12.x,", order_line(4)});
  auto job = [&](bool skip) {
    return [&dir, skip](stream_environment& env) {
      file_source source{dir.file("orders.csv"), csv_format<sample::order>{}};
      if (skip)
        source.skip_unreadable_lines();
      env.from_source(source, watermark_strategy<sample::order>::no_watermarks(), "csv")
        .map([](const sample::order& o) { return o.id; })
        .sink_to(file_sink<std::int64_t>{dir.file(skip ? "skipped" : "failed")});
    };
  };
  auto failure = run(job(false), 1);
  BOOST_TEST(failure.find("cannot read line 3 of " + dir.file("orders.csv") +
                          ": column 4 (amount): expected a number, got '12.x'") !=
               std::string::npos,
             failure);
  // Nothing of a failed job becomes visible.
  BOOST_TEST(lines_of_files_in(dir.file("failed")).empty());

  BOOST_TEST_REQUIRE(run(job(true), 1) == "");
  BOOST_TEST(lines_of_files_in(dir.file("skipped")) == (std::vector<std::string>{"1", "2", "4"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_missing_input_fails_the_job_before_it_starts) {
  temp_dir dir;
  auto graph = testing::build_graph([&](stream_environment& env) {
    env
      .from_source(file_source{dir.file("nowhere"), json_format<sample::order>{}},
                   watermark_strategy<sample::order>::no_watermarks(), "json")
      .discard();
  });
  auto checked = graph->validate_resources(false);
  BOOST_TEST_REQUIRE(!checked);
  BOOST_TEST(checked.error() ==
             "input '" + dir.file("nowhere") + "' cannot be read: No such file or directory");
}

BOOST_AUTO_TEST_CASE(json_from_kafka_becomes_csv_in_kafka) {
  kafka_cluster kafka;
  kafka.create_topic("orders-json", 4);
  kafka.create_topic("orders-csv", 2);
  json_format<sample::order> json;
  csv_format<sample::order> csv;
  std::vector<std::string> expected;
  for (int p = 0; p < 4; ++p) {
    std::vector<std::string> values;
    for (int i = p; i < 800; i += 4) {
      auto o = csv.deserialize(order_line(i));
      values.push_back(serialize_to_string(json, o));
      expected.push_back(order_line(i));
    }
    kafka.produce("orders-json", p, values);
  }
  auto source = kafka_source<sample::order>::builder()
                  .set_bootstrap_servers(kafka.bootstrap_servers())
                  .set_topics({"orders-json"})
                  .set_group_id("formats")
                  .set_starting_offsets(offsets_initializer::earliest())
                  .set_value_only_deserializer(json)
                  .set_bounded(offsets_initializer::latest())
                  .build();
  auto sink = kafka_sink<sample::order>::builder()
                .set_bootstrap_servers(kafka.bootstrap_servers())
                .set_record_serializer(kafka_record_serializer<sample::order>::builder()
                                         .set_topic("orders-csv")
                                         .set_value_serialization_schema(csv)
                                         .build())
                .set_delivery_guarantee(delivery_guarantee::at_least_once)
                .build();
  BOOST_TEST_REQUIRE(
    run(
      [&](stream_environment& env) {
        env.from_source(source, watermark_strategy<sample::order>::no_watermarks(), "kafka")
          .sink_to(sink);
      },
      2) == "");
  auto got = kafka.consume("orders-csv");
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(got == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

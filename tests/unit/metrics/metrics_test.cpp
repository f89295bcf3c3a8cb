// Metrics: Flink's names and labels, rates over the sampled history, time
// shares that add up to a second, and the REST views built from samples.

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "metrics/metric_registry.hpp"
#include "metrics/metric_sample.hpp"
#include "rest/metric_views.hpp"

using namespace flinkcpp;

namespace {

constexpr std::int64_t second = 1'000'000'000;

/// The samples of the task registered with `scope`'s job, by name.
std::map<std::string, double> task_values(std::int64_t now, const std::string& job) {
  std::map<std::string, double> out;
  for (const auto& s : metric_registry::instance().collect(now))
    if (s.scope_kind() == metric_scope::task && s.label("job_id") == job)
      out[s.name] = s.value;
  return out;
}

metric_sample task_sample(const std::string& name, int subtask, double value) {
  return {static_cast<std::uint8_t>(metric_scope::task),
          name,
          {{"job_id", "j"}, {"task_id", "v"}, {"subtask_index", std::to_string(subtask)}},
          value};
}

} // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(names_are_flinks_prometheus_names) {
  metric_sample s{
    static_cast<std::uint8_t>(metric_scope::taskmanager), "Status.Process.CPU.Load", {}, 0};
  BOOST_TEST(prometheus_name(s) == "flink_taskmanager_Status_Process_CPU_Load");
  s.scope = static_cast<std::uint8_t>(metric_scope::task);
  s.name = "buffers.inPoolUsage";
  BOOST_TEST(prometheus_name(s) == "flink_taskmanager_job_task_buffers_inPoolUsage");
  s.scope = static_cast<std::uint8_t>(metric_scope::jobmanager_job);
  s.name = "numRestarts";
  BOOST_TEST(prometheus_name(s) == "flink_jobmanager_job_numRestarts");
}

BOOST_AUTO_TEST_CASE(label_values_are_filtered_as_flinks_reporter_does) {
  BOOST_TEST(prometheus_label_value("Source: words -> split") == "Source:_words____split");
  BOOST_TEST(prometheus_label_value("127.0.0.1:6122-0b0e0f") == "127_0_0_1:6122_0b0e0f");
  BOOST_TEST(prometheus_label_value("plain_name:1") == "plain_name:1");
}

BOOST_AUTO_TEST_CASE(rates_and_time_shares_come_from_the_sampled_history) {
  auto& registry = metric_registry::instance();
  registry.set_process({true, "host-a", "tm-1"});
  auto m = std::make_shared<task_metrics>();
  auto job = job_id::random();
  auto registration =
    registry.add_task({job, "the job", vertex_id::random(), "Map", 1, 0, "attempt", {}}, m);
  auto start = metric_registry::now_ns();
  // 70 seconds of 500 records and 200 ms busy each: the windows (60 s for
  // counts, 5 s for times) reach back to samples, not to the registration.
  for (int s = 1; s <= 70; ++s) {
    m->records_in += 500;
    m->records_out += 1000;
    m->busy_ns += 200'000'000;
    registry.update(start + s * second);
  }
  // Held up by the outputs for the last 300 ms, and still now.
  m->back_pressured_since_ns = start + 70 * second - 300'000'000;
  m->back_pressured = true;
  auto v = task_values(start + 70 * second, job.to_string());
  BOOST_TEST(v["numRecordsIn"] == 35000);
  BOOST_TEST(v["numRecordsInPerSecond"] == 500, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(v["numRecordsOutPerSecond"] == 1000, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(v["busyTimeMsPerSecond"] == 200, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(v["backPressuredTimeMsPerSecond"] == 60, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(v["idleTimeMsPerSecond"] == 740, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(v["isBackPressured"] == 1);
  // Labels: Flink's task scope variables.
  for (const auto& s : registry.collect(start + 70 * second))
    if (s.scope_kind() == metric_scope::task && s.label("job_id") == job.to_string()) {
      BOOST_TEST(s.label("tm_id") == "tm-1");
      BOOST_TEST(s.label("host") == "host-a");
      BOOST_TEST(s.label("job_name") == "the job");
      BOOST_TEST(s.label("task_name") == "Map");
      BOOST_TEST(s.label("subtask_index") == "1");
    }
  registration = {};
  BOOST_TEST(task_values(start + 70 * second, job.to_string()).empty());
}

BOOST_AUTO_TEST_CASE(chained_operators_take_what_the_one_before_emitted) {
  auto& registry = metric_registry::instance();
  registry.set_process({true, "host-a", "tm-1"});
  // Source -> Filter -> Map chained in one task: the source's input is
  // what it emitted, each other operator's what the one feeding it emitted.
  auto m = std::make_shared<task_metrics>(3);
  auto job = job_id::random();
  std::vector<operator_scope> chain{
    {"a0", "Source", -1, true}, {"b1", "Filter", 0, false}, {"c2", "Map", 1, false}};
  auto registration = registry.add_task(
    {job, "chained", vertex_id::random(), "Source -> Filter -> Map", 0, 0, "attempt", chain}, m);
  m->operator_metrics[2].add_group("parse").counter("skipped").inc(3); // user metrics
  m->operator_metrics[2].counter("numLateRecordsDropped").inc();
  m->operator_metrics[2].gauge("queued", [] { return 2.5; });
  auto& latency = m->operator_metrics[2].histogram("latency", 100);
  for (int v = 1; v <= 100; ++v)
    latency.update(v);
  auto start = metric_registry::now_ns();
  for (int s = 1; s <= 70; ++s) { // past the 60 s window, as above
    m->operator_records_out[0] += 100;
    m->operator_records_out[1] += 40;
    m->operator_records_out[2] += 40;
    m->records_out += 40;
    registry.update(start + s * second);
  }
  std::map<std::string, std::map<std::string, double>> by_operator;
  for (const auto& s : registry.collect(start + 70 * second))
    if (s.scope_kind() == metric_scope::task_operator && s.label("job_id") == job.to_string()) {
      BOOST_TEST(s.label("task_name") == "Source -> Filter -> Map");
      BOOST_TEST(prometheus_name(s).rfind("flink_taskmanager_job_task_operator_", 0) == 0);
      auto quantile = s.label("quantile");
      by_operator[std::string{s.label("operator_name")} + "/" + std::string{s.label("operator_id")}]
                 [s.name + (quantile.empty() ? "" : "{" + std::string{quantile} + "}")] = s.value;
    }
  BOOST_TEST(by_operator.size() == 3u);
  BOOST_TEST(by_operator["Source/a0"]["numRecordsIn"] == 7000); // what it emitted (FLIP-33)
  BOOST_TEST(by_operator["Source/a0"]["numRecordsInPerSecond"] == 100,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(by_operator["Source/a0"]["numRecordsOut"] == 7000);
  BOOST_TEST(by_operator["Filter/b1"]["numRecordsIn"] == 7000);
  BOOST_TEST(by_operator["Filter/b1"]["numRecordsOut"] == 2800);
  BOOST_TEST(by_operator["Map/c2"]["numRecordsIn"] == 2800);
  BOOST_TEST(by_operator["Filter/b1"]["numRecordsInPerSecond"] == 100,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(by_operator["Map/c2"]["numRecordsOutPerSecond"] == 40,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(by_operator["Map/c2"]["parse.skipped"] == 3);
  BOOST_TEST(by_operator["Map/c2"]["numLateRecordsDropped"] == 1);
  BOOST_TEST(by_operator["Filter/b1"].count("parse.skipped") == 0u);
  BOOST_TEST(by_operator["Map/c2"]["queued"] == 2.5);
  // A histogram as Flink's Prometheus reporter writes one: its quantiles
  // (label quantile) and its count.
  BOOST_TEST(by_operator["Map/c2"]["latency{0.5}"] == 50.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(by_operator["Map/c2"]["latency{0.99}"] == 99.01, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(by_operator["Map/c2"]["latency{0.999}"] == 99.901, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(by_operator["Map/c2"]["latency_count"] == 100);
  BOOST_TEST(by_operator["Map/c2"]["latency_max"] == 100);
  metric_sample user{
    static_cast<std::uint8_t>(metric_scope::task_operator), "parse.skipped", {}, 3};
  BOOST_TEST(prometheus_name(user) == "flink_taskmanager_job_task_operator_parse_skipped");
}

BOOST_AUTO_TEST_CASE(a_metric_group_holds_counters_gauges_meters_and_histograms_by_name) {
  metric_group group;
  auto parse = group.add_group("parse");
  parse.counter("skipped").inc(2);
  std::atomic<int> depth{7};
  group.gauge("depth", [&depth] { return static_cast<double>(depth.load()); });
  auto& rate = group.meter("events");
  auto& sizes = group.histogram("sizes", 4);
  parse.counter("skipped").inc();                    // the same counter
  group.gauge("parse.skipped", [] { return -1.0; }); // the name is taken: not reported
  constexpr std::int64_t second = 1'000'000'000;
  BOOST_TEST(rate.rate(0) == 0.0); // the first reading: nothing to compare with
  rate.mark_event(30);
  BOOST_TEST(rate.rate(10 * second) == 3.0, boost::test_tools::tolerance(1e-9));
  rate.mark_event(120);
  // Over the last 60 s only: from the reading at 10 s once 70 s have passed.
  BOOST_TEST(rate.rate(70 * second) == 2.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(rate.count() == 150);
  for (int v : {9, 1, 5, 3, 7}) // a window of 4: 9 goes
    sizes.update(v);
  auto stats = sizes.statistics();
  BOOST_TEST(sizes.count() == 5);
  BOOST_TEST(stats.size == 4u);
  BOOST_TEST(stats.min == 1);
  BOOST_TEST(stats.max == 7);
  BOOST_TEST(stats.mean == 4);
  BOOST_TEST(stats.stddev == std::sqrt(20.0 / 3), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(stats.quantile(0.5) == 4, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(stats.quantile(1) == 7);
  auto readings = group.read(70 * second);
  BOOST_REQUIRE(readings.size() == 4u);
  BOOST_TEST(readings[0].name == "parse.skipped");
  BOOST_TEST(readings[0].value == 3);
  BOOST_TEST(readings[1].name == "depth");
  BOOST_TEST((readings[1].kind == metric_kind::gauge));
  BOOST_TEST(readings[1].value == 7);
  BOOST_TEST((readings[2].kind == metric_kind::meter));
  BOOST_TEST(readings[3].name == "sizes");
  BOOST_TEST(readings[3].count == 5);
  BOOST_TEST(readings[3].statistics->max == 7);
}

BOOST_AUTO_TEST_CASE(rest_views_answer_in_flinks_shapes) {
  std::vector<metric_sample> jm{{0, "taskSlotsTotal", {}, 4},
                                {0, "Status.Process.CPU.Load", {}, 0.25}};
  BOOST_TEST(rest::metric_list_view(jm, std::nullopt).dump() ==
             R"([{"id":"Status.Process.CPU.Load"},{"id":"taskSlotsTotal"}])");
  BOOST_TEST(
    rest::metric_list_view(jm, std::string{"taskSlotsTotal,Status.Process.CPU.Load,x"}).dump() ==
    R"([{"id":"taskSlotsTotal","value":"4"},{"id":"Status.Process.CPU.Load","value":"0.250000"}])");

  std::vector<metric_sample> tasks{task_sample("numRecordsIn", 0, 10),
                                   task_sample("numRecordsIn", 1, 30),
                                   task_sample("backPressuredTimeMsPerSecond", 0, 50),
                                   task_sample("backPressuredTimeMsPerSecond", 1, 600)};
  auto vertex = rest::vertex_samples(tasks, "j", "v");
  BOOST_TEST(rest::metric_list_view(vertex, std::string{"1.numRecordsIn"}).dump() ==
             R"([{"id":"1.numRecordsIn","value":"30"}])");
  auto series = rest::series_of(vertex, true);
  BOOST_TEST(
    rest::aggregated_metrics_view(series, std::string{"numRecordsIn"})->dump() ==
    R"([{"avg":20.0,"id":"numRecordsIn","max":30.0,"min":10.0,"skew":33.33333333333333,"sum":40.0}])");
  BOOST_TEST(
    rest::aggregated_metrics_view(series, std::string{"numRecordsIn"}, std::string{"max,sum"})
      ->dump() == R"([{"id":"numRecordsIn","max":30.0,"sum":40.0}])");
  BOOST_TEST(
    !rest::aggregated_metrics_view(series, std::string{"numRecordsIn"}, std::string{"median"}));
  BOOST_TEST(rest::vertex_samples(tasks, "j", "other").empty());

  // Operator metrics: "<subtask>.<operator>.<metric>", histogram quantiles
  // as <metric>_p50 ...; only the task's own watermarks are the vertex's.
  auto of_operator = [](metric_sample s, std::string quantile = "") {
    s.scope = static_cast<std::uint8_t>(metric_scope::task_operator);
    s.labels.emplace_back("operator_name", "Map");
    if (!quantile.empty())
      s.labels.emplace_back("quantile", quantile);
    return s;
  };
  std::vector<metric_sample> with_operators{
    task_sample("currentInputWatermark", 0, 5), of_operator(task_sample("parse.skipped", 1, 3)),
    of_operator(task_sample("latency", 0, 12), "0.5"),
    of_operator(task_sample("latency", 0, 99), "0.999"),
    of_operator(task_sample("currentInputWatermark", 0, 4))};
  auto operators = rest::vertex_samples(with_operators, "j", "v");
  BOOST_TEST(rest::metric_list_view(operators, std::nullopt).dump() ==
             R"([{"id":"0.Map.currentInputWatermark"},{"id":"0.Map.latency_p50"},)"
             R"({"id":"0.Map.latency_p999"},{"id":"0.currentInputWatermark"},)"
             R"({"id":"1.Map.parse.skipped"}])");
  BOOST_TEST(rest::watermarks_view(operators).dump() ==
             R"([{"id":"0.currentInputWatermark","value":"5"}])");

  auto pressure = rest::backpressure_view(vertex, 1234);
  BOOST_TEST(pressure["backpressureLevel"] == "high"); // the worst subtask's
  BOOST_TEST(pressure["end-timestamp"] == 1234);
  BOOST_TEST(pressure["subtasks"][0]["backpressureLevel"] == "ok");
  BOOST_TEST(pressure["subtasks"][1]["ratio"] == 0.6);
  BOOST_TEST(pressure["subtasks"][1]["attempt-number"] == 0);
  auto restarted = tasks;
  for (auto& s : restarted)
    s.labels.emplace_back("task_attempt_num", "2");
  BOOST_TEST(rest::backpressure_view(rest::vertex_samples(restarted, "j", "v"),
                                     1234)["subtasks"][1]["attempt-number"] == 2);
}

BOOST_AUTO_TEST_CASE(metric_samples_cross_processes_exactly_infinities_and_nan_included) {
  for (double value :
       {1.5, -0.0, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::denorm_min()}) {
    metric_sample sent{static_cast<std::uint8_t>(metric_scope::task), "gauge", {{"k", "v"}}, value};
    std::vector<char> bytes;
    caf::binary_serializer sink{nullptr, bytes};
    BOOST_REQUIRE(!sink(sent)); // CAF's own packing of an infinity never returned
    metric_sample received;
    caf::binary_deserializer source{nullptr, bytes};
    BOOST_REQUIRE(!source(received));
    BOOST_TEST(std::bit_cast<std::uint64_t>(received.value) == std::bit_cast<std::uint64_t>(value));
    BOOST_TEST(received.name == "gauge");
    BOOST_TEST(received.label("k") == "v");
  }
}

BOOST_AUTO_TEST_SUITE_END()

// The REST API's views as the pure functions they are: a job_info, metric
// samples or taskmanagers in, Flink's JSON shapes out, with no server and no
// cluster. (tests/integration/rest_contract checks the served shapes against
// Flink's OpenAPI document.)

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "rest/checkpoint_views.hpp"
#include "rest/cluster_views.hpp"
#include "rest/job_views.hpp"
#include "rest/metric_views.hpp"
#include "rest/rest_router.hpp"
#include "rest/vertex_views.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;
using namespace flinkcpp::rest;

namespace {

subtask_info subtask_in(execution_state state, std::int64_t start = -1, std::int64_t end = -1) {
  subtask_info s;
  s.state = state;
  s.start_time = start;
  s.end_time = end;
  return s;
}

/// A job of a source (parallelism 2) and a sink (1), started at 1000.
job_info two_vertex_job() {
  job_info job;
  job.id = job_id::derived_from("rest_views_test");
  job.name = "two vertices";
  job.graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(1);
  });
  job.start_time = 1000;
  job.subtasks = {
    {subtask_in(execution_state::running, 1100), subtask_in(execution_state::running, 1200)},
    {subtask_in(execution_state::deploying)}};
  return job;
}

metric_sample task_sample(const std::string& job, const std::string& vertex, int subtask,
                          const std::string& name, double value) {
  return {static_cast<std::uint8_t>(metric_scope::task),
          name,
          {{"job_id", job}, {"task_id", vertex}, {"subtask_index", std::to_string(subtask)}},
          value};
}

} // namespace

BOOST_AUTO_TEST_SUITE(rest_views)

BOOST_AUTO_TEST_CASE(a_vertex_shows_the_state_of_its_furthest_behind_subtask) {
  using s = execution_state;
  BOOST_TEST(to_string(aggregate_state({})) == "CREATED");
  BOOST_TEST(to_string(aggregate_state({subtask_in(s::running), subtask_in(s::finished)})) ==
             "RUNNING");
  BOOST_TEST(to_string(aggregate_state({subtask_in(s::running), subtask_in(s::deploying)})) ==
             "DEPLOYING");
  BOOST_TEST(to_string(aggregate_state({subtask_in(s::running), subtask_in(s::failed)})) ==
             "FAILED");
  auto counts =
    state_counts({subtask_in(s::running), subtask_in(s::running), subtask_in(s::failed)});
  BOOST_TEST(counts["RUNNING"] == 2);
  BOOST_TEST(counts["FAILED"] == 1);
  BOOST_TEST(counts["CREATED"] == 0); // every state is listed
}

BOOST_AUTO_TEST_CASE(durations_run_to_now_until_there_is_an_end) {
  BOOST_TEST(duration_of(-1, -1, 5000) == -1);
  BOOST_TEST(duration_of(1000, -1, 5000) == 4000);
  BOOST_TEST(duration_of(1000, 3000, 5000) == 2000);
}

BOOST_AUTO_TEST_CASE(a_job_summary_counts_its_subtasks_by_state) {
  auto job = two_vertex_job();
  job.status = job_status::running;
  auto overview = jobs_overview_view({job}, 4000);
  BOOST_REQUIRE(overview["jobs"].size() == 1u);
  const auto& j = overview["jobs"][0];
  BOOST_TEST(j["jid"] == job.id.to_string());
  BOOST_TEST(j["state"] == "RUNNING");
  BOOST_TEST(j["duration"] == 3000);
  BOOST_TEST(j["end-time"] == -1);
  BOOST_TEST(j["tasks"]["total"] == 3);
  BOOST_TEST(j["tasks"]["running"] == 2);
  BOOST_TEST(j["tasks"]["deploying"] == 1);
  auto details = job_details_view(job, {}, 4000);
  BOOST_TEST(details["job-type"] == "STREAMING");
  BOOST_TEST(details["now"] == 4000);
  BOOST_REQUIRE(details["vertices"].size() == 2u);
  BOOST_TEST(details["vertices"][0]["status"] == "RUNNING");
  BOOST_TEST(details["vertices"][0]["start-time"] == 1100); // its first subtask's start
  BOOST_TEST(details["vertices"][1]["status"] == "DEPLOYING");
}

BOOST_AUTO_TEST_CASE(
  the_exception_history_lists_root_causes_newest_first_with_their_concurrent_ones) {
  auto job = two_vertex_job();
  BOOST_TEST(job_exceptions_view(job)["all-exceptions"].empty());
  BOOST_TEST(!job_exceptions_view(job).contains("root-exception")); // as Flink, none at all
  exception_info first{"first", "Source (1/2)", "127.0.0.1:1", 10, {}};
  exception_info second{"second", "", "", 20, {}};
  second.concurrent.push_back({"after it", "Sink (1/1)", "127.0.0.1:2", 21, {}});
  job.exceptions = {first, second};
  auto view = job_exceptions_view(job);
  BOOST_TEST(view["root-exception"] == "second");
  BOOST_TEST(view["timestamp"] == 20);
  const auto& entries = view["exceptionHistory"]["entries"];
  BOOST_REQUIRE(entries.size() == 2u);
  BOOST_TEST(entries[0]["stacktrace"] == "second");
  BOOST_TEST(entries[0]["taskName"].is_null()); // a job-level failure
  BOOST_REQUIRE(entries[0]["concurrentExceptions"].size() == 1u);
  BOOST_TEST(entries[0]["concurrentExceptions"][0]["taskName"] == "Sink (1/1)");
  BOOST_TEST(entries[1]["stacktrace"] == "first");
  BOOST_TEST(entries[1]["taskManagerId"] == "127.0.0.1:1");
}

BOOST_AUTO_TEST_CASE(an_execution_result_is_in_progress_until_the_job_ends) {
  auto job = two_vertex_job();
  job.status = job_status::running;
  BOOST_TEST(execution_result_view(job)["status"]["id"] == "IN_PROGRESS");
  job.status = job_status::failed;
  job.end_time = 1500;
  job.exceptions = {{"it broke", "", "", 1400, {}}};
  auto done = execution_result_view(job);
  BOOST_TEST(done["status"]["id"] == "COMPLETED");
  const auto& result = done["job-execution-result"];
  BOOST_TEST(result["application-status"] == "FAILED");
  BOOST_TEST(result["net-runtime"] == 500);
  BOOST_TEST(result["failure-cause"]["stack-trace"] == "it broke");
  job.status = job_status::finished;
  BOOST_TEST(!execution_result_view(job)["job-execution-result"].contains("failure-cause"));
}

BOOST_AUTO_TEST_CASE(resource_requirements_must_bound_every_vertex_within_its_max_parallelism) {
  auto job = two_vertex_job();
  auto requirements = resource_requirements_view(job);
  BOOST_REQUIRE(requirements.size() == 2u);
  auto ids = std::vector<std::string>{};
  for (const auto& [id, r] : requirements.items()) {
    ids.push_back(id);
    BOOST_TEST(r["parallelism"]["lowerBound"] == r["parallelism"]["upperBound"]); // not adaptive
  }
  auto bounds = [](int low, int high) {
    return nlohmann::json{{"parallelism", {{"lowerBound", low}, {"upperBound", high}}}};
  };
  auto asked = requested_parallelism(job, {{ids[0], bounds(1, 4)}, {ids[1], bounds(1, 3)}});
  BOOST_REQUIRE(asked.ok());
  BOOST_TEST(asked.value() == 3); // the smallest upper bound
  auto partial = requested_parallelism(job, {{ids[0], bounds(1, 4)}});
  BOOST_TEST(!partial.ok());
  BOOST_TEST((partial.ok() ? "" : partial.error()).find("every vertex") != std::string::npos);
  auto inverted = requested_parallelism(job, {{ids[0], bounds(4, 1)}, {ids[1], bounds(1, 3)}});
  BOOST_TEST((inverted.ok() ? "" : inverted.error()).find("1 <= L <= U") != std::string::npos);
  auto unknown = requested_parallelism(job, {{"nope", bounds(1, 1)}, {ids[1], bounds(1, 3)}});
  BOOST_TEST((unknown.ok() ? "" : unknown.error()).find("has no vertex nope") != std::string::npos);
  BOOST_TEST(!requested_parallelism(job, nlohmann::json::array()).ok());
}

BOOST_AUTO_TEST_CASE(io_is_complete_only_when_every_subtask_is_known) {
  task_io_totals a;
  a.records_in = 5;
  a.bytes_out = 7;
  auto known = io_metrics_view({a, a});
  BOOST_TEST(known["read-records"] == 10);
  BOOST_TEST(known["write-bytes"] == 14);
  BOOST_TEST(known["read-records-complete"] == true);
  auto partial = io_metrics_view({a, std::nullopt});
  BOOST_TEST(partial["read-records"] == 5);
  BOOST_TEST(partial["read-records-complete"] == false);
  BOOST_TEST(io_metrics_view({})["write-records-complete"] == false);
}

BOOST_AUTO_TEST_CASE(a_subtask_io_is_final_once_it_ended_and_reported_while_it_runs) {
  auto job = two_vertex_job();
  auto vertex = job.graph->vertices()[0].id.to_string();
  task_io_totals reported;
  reported.records_out = 42;
  io_index io{{{vertex, 1}, reported}};
  job.subtasks[0][0].io.records_out = 7;
  job.subtasks[0][0].io_final = true;
  BOOST_TEST(subtask_io(job, 0, 0, io)->records_out == 7u);
  BOOST_TEST(subtask_io(job, 0, 1, io)->records_out == 42u);
  BOOST_TEST(!subtask_io(job, 1, 0, io).has_value());
}

BOOST_AUTO_TEST_CASE(metric_lists_give_ids_or_the_values_asked_for_as_strings) {
  std::vector<metric_sample> samples{{0, "numRecordsIn", {}, 12}, {0, "load", {}, 0.5}};
  auto ids = metric_list_view(samples, std::nullopt);
  BOOST_TEST(ids.dump() == R"([{"id":"load"},{"id":"numRecordsIn"}])");
  auto values = metric_list_view(samples, std::string{"numRecordsIn,missing,load"});
  BOOST_REQUIRE(values.size() == 2u); // unknown names are left out
  BOOST_TEST(values[0]["value"] == "12");
  BOOST_TEST(values[1]["value"] == "0.500000");
}

BOOST_AUTO_TEST_CASE(vertex_metrics_are_named_by_subtask_and_watermarks_picked_from_them) {
  std::vector<metric_sample> samples{
    task_sample("j", "v", 0, "currentInputWatermark", 1000),
    task_sample("j", "v", 1, "currentInputWatermark", 9223372036854775808.0),
    task_sample("j", "other", 0, "currentInputWatermark", 5),
    task_sample("j", "v", 1, "numRecordsIn", 3)};
  auto of_vertex = vertex_samples(samples, "j", "v");
  BOOST_REQUIRE(of_vertex.size() == 3u);
  BOOST_TEST(of_vertex[0].name == "0.currentInputWatermark");
  auto watermarks = watermarks_view(of_vertex);
  BOOST_REQUIRE(watermarks.size() == 2u);
  BOOST_TEST(watermarks[0]["value"] == "1000");
  BOOST_TEST(watermarks[1]["value"] == std::to_string(max_watermark)); // 2^63 as a double
}

BOOST_AUTO_TEST_CASE(aggregated_metrics_compute_flinks_aggregations) {
  metric_series series{{"busy", {100, 300}}, {"idle", {0, 0}}};
  auto ids = aggregated_metrics_view(series, std::nullopt);
  BOOST_REQUIRE(ids.ok());
  BOOST_TEST(ids.value().dump() == R"([{"id":"busy"},{"id":"idle"}])");
  auto all = aggregated_metrics_view(series, std::string{"busy,idle"});
  BOOST_REQUIRE(all.ok());
  const auto& busy = all.value()[0];
  BOOST_TEST(busy["min"] == 100.0);
  BOOST_TEST(busy["max"] == 300.0);
  BOOST_TEST(busy["avg"] == 200.0);
  BOOST_TEST(busy["sum"] == 400.0);
  BOOST_TEST(busy["skew"].get<double>() == 100.0 / 3.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(all.value()[1]["skew"] == 0.0); // no division by a zero max
  auto some = aggregated_metrics_view(series, std::string{"busy"}, std::string{"max,sum"});
  BOOST_TEST(some.value()[0].dump() == R"({"id":"busy","max":300.0,"sum":400.0})");
  auto bad = aggregated_metrics_view(series, std::string{"busy"}, std::string{"median"});
  BOOST_TEST(!bad.ok());
  BOOST_TEST((bad.ok() ? "" : bad.error()) ==
             "unknown aggregation 'median' in agg: expected min, max, avg, sum or skew");
  auto stripped = series_of({{0, "0.busy", {}, 1}, {0, "1.busy", {}, 2}}, true);
  BOOST_TEST(stripped["busy"].size() == 2u);
}

BOOST_AUTO_TEST_CASE(backpressure_levels_follow_flinks_ratios) {
  std::vector<metric_sample> samples{{0, "0.backPressuredTimeMsPerSecond", {}, 100},
                                     {0, "1.backPressuredTimeMsPerSecond", {}, 101},
                                     {0, "1.busyTimeMsPerSecond", {}, 400},
                                     {0, "2.backPressuredTimeMsPerSecond", {}, 600}};
  auto view = backpressure_view(samples, 77);
  BOOST_TEST(view["end-timestamp"] == 77);
  BOOST_TEST(view["backpressureLevel"] == "high"); // the worst subtask's
  const auto& subtasks = view["subtasks"];
  BOOST_REQUIRE(subtasks.size() == 3u);
  BOOST_TEST(subtasks[0]["backpressureLevel"] == "ok"); // up to 0.1
  BOOST_TEST(subtasks[1]["backpressureLevel"] == "low");
  BOOST_TEST(subtasks[1]["busyRatio"] == 0.4);
  BOOST_TEST(subtasks[2]["backpressureLevel"] == "high"); // above 0.5
}

BOOST_AUTO_TEST_CASE(asynchronous_operations_report_progress_result_or_failure) {
  BOOST_TEST(checkpoint_status_view(false, 0, "")["status"]["id"] == "IN_PROGRESS");
  auto done = checkpoint_status_view(true, 7, "");
  BOOST_TEST(done["status"]["id"] == "COMPLETED");
  BOOST_TEST(done["operation"]["checkpointId"] == 7);
  auto failed = savepoint_status_view(true, "", "no space");
  BOOST_TEST(failed["operation"]["failure-cause"]["stack-trace"] == "no space");
  BOOST_TEST(savepoint_status_view(true, "/sp/1", "")["operation"]["location"] == "/sp/1");
  BOOST_TEST(disposal_status_view("")["operation"].empty());
  auto job = two_vertex_job();
  BOOST_TEST(checkpoint_details_view(job, checkpoint_id{3}).is_null());
  BOOST_TEST(checkpoint_subtasks_view(job, checkpoint_id{3}, 0).is_null());
}

BOOST_AUTO_TEST_CASE(the_overview_counts_slots_and_jobs_by_how_they_ended) {
  task_manager_status tm;
  tm.slots = 4;
  tm.free_slots = 1;
  auto running = two_vertex_job();
  running.status = job_status::restarting;
  auto failed = running;
  failed.status = job_status::failed;
  auto view = overview_view({tm, tm}, {running, failed});
  BOOST_TEST(view["taskmanagers"] == 2);
  BOOST_TEST(view["slots-total"] == 8);
  BOOST_TEST(view["slots-available"] == 2);
  BOOST_TEST(view["jobs-running"] == 1); // every job that has not ended
  BOOST_TEST(view["jobs-failed"] == 1);
  BOOST_TEST(error_view("bad").dump() == R"({"errors":["bad"]})");
  BOOST_TEST(config_view(false, true)["features"]["web-submit"] == false);
}

BOOST_AUTO_TEST_CASE(failures_map_to_http_statuses_by_their_kind) {
  BOOST_TEST(status_of(errc::not_found) == 404);
  BOOST_TEST(status_of(errc::conflict) == 409);
  BOOST_TEST(status_of(errc::invalid_argument) == 400);
  BOOST_TEST(status_of(errc::unavailable) == 503);
  BOOST_TEST(status_of(errc::unspecified) == 500);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(secrets_are_hidden_from_the_configuration_and_environment_views) {
  configuration config;
  config.set("security.ssl.internal.keystore-password", "hunter2");
  config.set("parallelism.default", "2");
  auto entries = config_entries_view(config);
  BOOST_TEST(entries.dump().find("hunter2") == std::string::npos);
  BOOST_TEST(entries.dump().find(R"({"key":"parallelism.default","value":"2"})") !=
             std::string::npos);
  auto environment =
    environment_view({"jobmanager", "-D", "security.ssl.rest.key-password=s3cret",
                      "-Drest.authentication.token-file=/run/token", "-Dparallelism.default=2"});
  auto options = environment["jvm"]["options"].dump();
  BOOST_TEST(options == R"(["jobmanager","-D","security.ssl.rest.key-password=******",)"
                        R"("-Drest.authentication.token-file=******","-Dparallelism.default=2"])");
}

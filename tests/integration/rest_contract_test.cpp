// Flink's REST contract, checked against Flink's own OpenAPI document of its
// REST API (../shared/flink-rest/rest_v1_dispatcher.yml: v1, Flink 1.19).
// A real cluster (a jobmanager and two taskmanagers on 127.0.0.1) runs jobs
// that are running, finished, failed and cancelled, with and without
// checkpoints; every operation flink-cpp serves is called on them and its
// answers must be what the operation's response schema says: every field,
// no other, their types, enum values and nesting. Where Flink's own
// serializers write other JSON than the generated document says (listed in
// contract() with the Flink class that writes it), Flink's clients read what
// the serializers write, and so is it checked. Without the document (a
// machine without ../shared) the test says so and is skipped.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include <httplib.h>

#include "support/local_cluster.hpp"
#include "support/openapi_contract.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string document =
  std::string{FLINKCPP_PROJECT_DIR} + "/../shared/flink-rest/rest_v1_dispatcher.yml";

/// The document, corrected where Flink's serializers write other JSON.
openapi_contract contract() {
  auto c = openapi_contract::load(document);
  BOOST_REQUIRE(c);
  // MetricCollectionResponseBody.Serializer writes the metrics as an array;
  // "value" only when asked for with ?get.
  c->correct_schema("MetricCollectionResponseBody",
                    {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Metric"}}}});
  // AggregatedMetricsResponseBody.Serializer: an array of aggregated metrics,
  // each with the aggregations asked for.
  json number = {{"type", "number"}};
  c->correct_schema("AggregatedMetric", {{"type", "object"},
                                         {"properties",
                                          {{"id", {{"type", "string"}}},
                                           {"min", number},
                                           {"max", number},
                                           {"avg", number},
                                           {"sum", number},
                                           {"skew", number}}}});
  c->correct_schema(
    "AggregatedMetricsResponseBody",
    {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/AggregatedMetric"}}}});
  // JobResultSerializer (the "job-execution-result" of
  // JobExecutionResultResponseBody.Serializer).
  c->correct_schema(
    "JobResult", {{"type", "object"},
                  {"properties",
                   {{"id", {{"$ref", "#/components/schemas/JobID"}}},
                    {"application-status", {{"$ref", "#/components/schemas/ApplicationStatus"}}},
                    {"accumulator-results", {{"type", "object"}, {"additionalProperties", true}}},
                    {"net-runtime", {{"type", "integer"}, {"format", "int64"}}},
                    {"failure-cause", {{"$ref", "#/components/schemas/SerializedThrowable"}}}}}});
  c->correct_schema("JobExecutionResultResponseBody",
                    {{"type", "object"},
                     {"properties",
                      {{"status", {{"$ref", "#/components/schemas/QueueStatus"}}},
                       {"job-execution-result", {{"$ref", "#/components/schemas/JobResult"}}}}}});
  // CheckpointConfigInfo.ProcessingModeSerializer writes the mode in lower case.
  c->correct_schema("ProcessingMode",
                    {{"type", "string"}, {"enum", {"at_least_once", "exactly_once"}}});
  // JobConfigInfo.Serializer.
  c->correct_schema(
    "JobConfigInfo",
    {{"type", "object"},
     {"properties",
      {{"jid", {{"$ref", "#/components/schemas/JobID"}}},
       {"name", {{"type", "string"}}},
       {"execution-config", {{"$ref", "#/components/schemas/ExecutionConfigInfo"}}}}}});
  c->allow_missing({
    "Metric.value", // only with ?get
    "AggregatedMetric.min", "AggregatedMetric.max", "AggregatedMetric.avg", "AggregatedMetric.sum",
    "AggregatedMetric.skew",                               // only those asked for
    "JobExecutionResultResponseBody.job-execution-result", // not while IN_PROGRESS
    "JobResult.failure-cause",                             // only when it failed
    "AsynchronousOperationInfo.failure-cause",             // @JsonInclude(NON_NULL)
    "CheckpointInfo.failureCause", "CheckpointInfo.checkpointId", "SavepointInfo.failure-cause",
    "SavepointInfo.location",
    "JobExceptionsInfoWithHistory.root-exception", // @JsonInclude(NON_NULL): only
    "JobExceptionsInfoWithHistory.timestamp",      // after a failure
  });
  c->allow_extra({
    "SerializedThrowable.class",
    "SerializedThrowable.stack-trace", // SerializedThrowableSerializer
    "JobDetailsInfo.job-type",         // Flink 1.20
    "RootExceptionInfo.endpoint",
    "ExceptionInfo.endpoint",                      // Flink 1.17+, beside location
    "SubtaskExecutionAttemptDetailsInfo.endpoint", // beside host
    "JobVertexTaskManagerInfo.endpoint",
    "SubtaskTimeInfo.endpoint",
  });
  return std::move(*c);
}

/// Operations of the document flink-cpp does not serve (a 404 names the path).
const std::set<std::string> unserved = {
  "GET /datasets",
  "GET /datasets/delete/{triggerid}",
  "DELETE /datasets/{datasetid}",
  "GET /jobs/{jobid}/vertices/{vertexid}/flamegraph",
  "PATCH /jobs/{jobid}/rescaling",
  "GET /jobs/{jobid}/rescaling/{triggerid}",
  "GET /jobs/{jobid}/jobmanager/log-url",
  "GET /jobs/{jobid}/taskmanagers/{taskmanagerid}/log-url",
};

std::string key_of(const api_operation& op) {
  return op.method + " " + op.path;
}

struct contract_fixture {
  temp_dir dir;
  local_cluster cluster{{"execution.checkpointing.savepoint-dir=" + dir.file("savepoints"),
                         "execution.checkpointing.dir=" + dir.file("checkpoints")}};
  std::optional<openapi_contract> spec;
  std::set<std::string> answered;          ///< operations that answered with success
  std::map<std::string, std::string> jobs; ///< by what they are

  contract_fixture() {
    if (!fs::exists(document))
      return;
    spec = contract();
    cluster.start_jobmanager();
    cluster.start_taskmanager(4);
    cluster.start_taskmanager(4);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  }

  /// Submits a job (options, JOB, args) detached; returns its id.
  std::string submit(std::vector<std::string> args) {
    args.insert(args.begin(), {"run", "-m", cluster.rest_address(), "-d"});
    auto r = run_flink_cpp(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto id = submitted_job_id(r);
    BOOST_REQUIRE(!id.empty());
    return id;
  }

  std::string state(const std::string& job) const {
    return cluster.get("/jobs/" + job).second.value("state", std::string{});
  }

  /// Calls `op` at `path` and checks a success against the schema; returns
  /// the status and body.
  std::pair<int, json> call(const api_operation& op, const std::string& path,
                            const json& body = nullptr) {
    auto [status, reply] = body.is_null() ? cluster.request(op.method, path)
                                          : cluster.request(op.method, path, body.dump());
    if (status >= 200 && status < 300) {
      answered.insert(key_of(op));
      auto violations = spec->check_response(op, status, reply);
      std::string all;
      for (const auto& v : violations)
        all += "\n  " + v;
      BOOST_TEST(violations.empty(), op.method << " " << path << " -> " << status << all);
    }
    return {status, reply};
  }

  /// Calls `op` expecting a success.
  json ok(const api_operation& op, const std::string& path, const json& body = nullptr) {
    auto [status, reply] = call(op, path, body);
    BOOST_TEST((status >= 200 && status < 300),
               op.method << " " << path << " -> " << status << " " << reply.dump());
    return reply;
  }

  /// Waits for an asynchronous operation's status to be COMPLETED.
  json completed(const api_operation& op, const std::string& path) {
    json reply;
    BOOST_REQUIRE(wait_until([&] {
      reply = ok(op, path);
      return reply["status"]["id"] == "COMPLETED";
    }));
    return reply;
  }

  /// Every GET under /jobs/{jobid} of the document for job `job`, its first
  /// vertex, subtask 0 of the current attempt, its newest checkpoint (if it
  /// has one) and a taskmanager; `expected_errors` maps operations to the
  /// status they answer for this job instead.
  void check_job_reads(const std::string& job, const std::map<std::string, int>& expected_errors) {
    auto details = cluster.get("/jobs/" + job).second;
    auto vertex = details["vertices"][0]["id"].get<std::string>();
    auto attempt = cluster.get("/jobs/" + job + "/vertices/" + vertex)
                     .second["subtasks"][0]["attempt"]
                     .get<int>();
    auto history = cluster.get("/jobs/" + job + "/checkpoints").second["history"];
    std::string checkpoint = history.empty() ? "1" : std::to_string(history[0]["id"].get<long>());
    auto taskmanager =
      cluster.get("/taskmanagers").second["taskmanagers"][0]["id"].get<std::string>();
    for (const auto& op : spec->operations()) {
      if (op.method != "GET" || op.path.rfind("/jobs/{jobid}", 0) != 0 ||
          unserved.count(key_of(op)) || op.path.find("{triggerid}") != std::string::npos)
        continue;
      auto path = std::regex_replace(op.path, std::regex{"\\{jobid\\}"}, job);
      path = std::regex_replace(path, std::regex{"\\{vertexid\\}"}, vertex);
      path = std::regex_replace(path, std::regex{"\\{subtaskindex\\}"}, "0");
      path = std::regex_replace(path, std::regex{"\\{attempt\\}"}, std::to_string(attempt));
      path = std::regex_replace(path, std::regex{"\\{checkpointid\\}"}, checkpoint);
      path = std::regex_replace(path, std::regex{"\\{taskmanagerid\\}"}, taskmanager);
      auto [status, reply] = call(op, path);
      auto expected = expected_errors.find(key_of(op));
      if (expected != expected_errors.end()) {
        BOOST_TEST(status == expected->second, path << " -> " << status << " " << reply.dump());
        BOOST_TEST(reply["errors"].is_array(), path);
      } else {
        BOOST_TEST((status >= 200 && status < 300),
                   path << " -> " << status << " " << reply.dump());
      }
    }
  }
};

api_operation get(const std::string& path) {
  return {"GET", path};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(rest_contract, contract_fixture)

BOOST_AUTO_TEST_CASE(every_operation_answers_as_flinks_document_says) {
  if (!spec) {
    BOOST_TEST_MESSAGE("SKIPPED: Flink's OpenAPI document is not at " + document);
    return;
  }
  // Jobs in every state: finished (with and without checkpoints), failed,
  // cancelled, running (with and without checkpoints), and an adaptive one.
  auto words = dir.file("words.txt");
  write_file(words, "to be or not to be\nthat is the question\n");
  auto finished = submit({"-p", "2", "-D", "execution.runtime-mode=BATCH", "wordcount", "--input",
                          words, "--output", dir.file("counts")});
  auto finished_checkpointed =
    submit({"-p", "2", "-D", "execution.checkpointing.interval=50ms", FLINKCPP_EXACTLY_ONCE_JOB,
            "--output", dir.file("sequences"), "--keys", "4", "--per-key", "200", "--rate", "800"});
  write_file(dir.file("lines.txt"), "a\nb\nc\n");
  auto failed = submit({FLINKCPP_TEST_JOBS, "--input", dir.file("lines.txt"), "--output",
                        dir.file("failed"), "--fail-at", "2"});
  auto cancelled = submit({FLINKCPP_ENDLESS_JOB, "--output", dir.file("cancelled")});
  auto running =
    submit({"-p", "2", "-D", "execution.checkpointing.interval=100ms", FLINKCPP_SEQUENCE_JOB,
            "--count", "100000000", "--rate", "200", "--output", dir.file("running")});
  auto plain = submit({FLINKCPP_ENDLESS_JOB, "--output", dir.file("plain")});
  BOOST_REQUIRE(wait_until([&] { return state(finished) == "FINISHED"; }));
  BOOST_REQUIRE(wait_until([&] { return state(finished_checkpointed) == "FINISHED"; }));
  BOOST_REQUIRE(wait_until([&] { return state(failed) == "FAILED"; }));
  BOOST_REQUIRE(wait_until([&] { return state(cancelled) == "RUNNING"; }));
  ok({"PATCH", "/jobs/{jobid}"}, "/jobs/" + cancelled + "?mode=cancel");
  BOOST_REQUIRE(wait_until([&] { return state(cancelled) == "CANCELED"; }));
  BOOST_REQUIRE(wait_until([&] {
    return state(running) == "RUNNING" &&
           cluster.get("/jobs/" + running + "/checkpoints").second["counts"].value("completed", 0) >
             0;
  }));
  BOOST_REQUIRE(wait_until([&] { return state(plain) == "RUNNING"; }));

  // Every read of every job.
  const std::map<std::string, int> no_checkpoints = {
    {"GET /jobs/{jobid}/checkpoints/config", 404},
    {"GET /jobs/{jobid}/checkpoints/details/{checkpointid}", 404},
    {"GET /jobs/{jobid}/checkpoints/details/{checkpointid}/subtasks/{vertexid}", 404}};
  for (const auto& job : {finished, failed, cancelled, plain})
    check_job_reads(job, no_checkpoints);
  for (const auto& job : {finished_checkpointed, running})
    check_job_reads(job, {});

  // What the reads say, beyond their shapes.
  auto result =
    ok(get("/jobs/{jobid}/execution-result"), "/jobs/" + finished + "/execution-result");
  BOOST_TEST(result["job-execution-result"]["application-status"] == "SUCCEEDED");
  BOOST_TEST(ok(get("/jobs/{jobid}/execution-result"),
                "/jobs/" + failed +
                  "/execution-result")["job-execution-result"]["application-status"] == "FAILED");
  BOOST_TEST(ok(get("/jobs/{jobid}/execution-result"),
                "/jobs/" + cancelled +
                  "/execution-result")["job-execution-result"]["application-status"] == "CANCELED");
  BOOST_TEST(ok(get("/jobs/{jobid}/execution-result"),
                "/jobs/" + running + "/execution-result")["status"]["id"] == "IN_PROGRESS");
  BOOST_TEST(ok(get("/jobs/{jobid}/status"), "/jobs/" + running + "/status")["status"] ==
             "RUNNING");
  auto counted = ok(get("/jobs/{jobid}"), "/jobs/" + finished);
  long written = 0;
  for (const auto& v : counted["vertices"]) {
    BOOST_TEST(v["metrics"]["write-records-complete"] == true);
    written += v["metrics"]["write-records"].get<long>();
  }
  BOOST_TEST(written > 0, counted.dump()); // records and bytes are counted now
  auto checkpoints = ok(get("/jobs/{jobid}/checkpoints"), "/jobs/" + running + "/checkpoints");
  BOOST_TEST(checkpoints["latest"]["completed"]["className"] == "completed");
  BOOST_TEST(!checkpoints["latest"]["completed"]["tasks"].empty());
  auto config = ok(get("/jobs/{jobid}/config"), "/jobs/" + running + "/config");
  BOOST_TEST(config["execution-config"]["user-config"]["execution.checkpointing.interval"] ==
             "100ms");

  // Checkpoints and savepoints on request, with their status.
  auto triggered = ok({"POST", "/jobs/{jobid}/checkpoints"}, "/jobs/" + running + "/checkpoints",
                      {{"checkpointType", "FULL"}});
  auto checkpoint =
    completed(get("/jobs/{jobid}/checkpoints/{triggerid}"),
              "/jobs/" + running + "/checkpoints/" + triggered["request-id"].get<std::string>());
  BOOST_TEST(checkpoint["operation"]["checkpointId"].get<long>() > 0, checkpoint.dump());
  triggered = ok({"POST", "/jobs/{jobid}/savepoints"}, "/jobs/" + running + "/savepoints",
                 {{"target-directory", "file://" + dir.file("by-rest")}});
  auto savepoint =
    completed(get("/jobs/{jobid}/savepoints/{triggerid}"),
              "/jobs/" + running + "/savepoints/" + triggered["request-id"].get<std::string>());
  auto location = savepoint["operation"]["location"].get<std::string>();
  BOOST_TEST(location.rfind(dir.file("by-rest") + "/savepoint-", 0) == 0u, location);
  ok({"PATCH", "/jobs/{jobid}/clientHeartbeat"}, "/jobs/" + running + "/clientHeartbeat",
     {{"expiredTimestamp", 0}});
  // A savepoint no job uses goes; one a job started from stays while it runs.
  triggered =
    ok({"POST", "/savepoint-disposal"}, "/savepoint-disposal", {{"savepoint-path", location}});
  auto disposed = completed(get("/savepoint-disposal/{triggerid}"),
                            "/savepoint-disposal/" + triggered["request-id"].get<std::string>());
  BOOST_TEST(!disposed["operation"].contains("failure-cause"), disposed.dump());
  BOOST_TEST(!fs::exists(location));

  // An adaptive job changes its parallelism through its resource requirements.
  auto adaptive =
    submit({"-p", "2", "-D", "jobmanager.scheduler=adaptive", "-D",
            "execution.checkpointing.interval=100ms", FLINKCPP_SEQUENCE_JOB, "--count", "100000000",
            "--rate", "100", "--output", dir.file("adaptive")});
  BOOST_REQUIRE(wait_until([&] { return state(adaptive) == "RUNNING"; }));
  auto requirements =
    ok(get("/jobs/{jobid}/resource-requirements"), "/jobs/" + adaptive + "/resource-requirements");
  for (auto& [vertex, r] : requirements.items()) {
    BOOST_TEST(r["parallelism"]["upperBound"] == 2, requirements.dump());
    r["parallelism"]["upperBound"] = 1;
  }
  BOOST_REQUIRE(wait_until([&] {
    return cluster.get("/jobs/" + adaptive + "/checkpoints")
             .second["counts"]
             .value("completed", 0) > 0;
  }));
  ok({"PUT", "/jobs/{jobid}/resource-requirements"}, "/jobs/" + adaptive + "/resource-requirements",
     requirements);
  BOOST_REQUIRE(wait_until([&] {
    auto d = cluster.get("/jobs/" + adaptive).second;
    return d.value("state", std::string{}) == "RUNNING" && d["vertices"][0]["parallelism"] == 1 &&
           d["vertices"][0]["status"] == "RUNNING";
  }));
  BOOST_TEST(cluster.get("/jobs/" + adaptive + "/checkpoints").second["counts"]["restored"] == 1);
  auto [refused, why] =
    cluster.request("PUT", "/jobs/" + running + "/resource-requirements", requirements.dump());
  BOOST_TEST(refused == 409, why.dump()); // the default scheduler keeps its parallelism

  // The cluster: overview, configuration, environment, logs, threads, metrics.
  for (const auto& path :
       {"/config", "/overview", "/jobs", "/jobs/overview", "/jobmanager/config",
        "/jobmanager/environment", "/jobmanager/logs", "/jobmanager/metrics",
        "/jobmanager/thread-dump", "/taskmanagers", "/taskmanagers/metrics", "/jobs/metrics"})
    ok(get(path), path);
  ok(get("/jobmanager/metrics"), "/jobmanager/metrics?get=taskSlotsTotal");
  ok(get("/taskmanagers/metrics"),
     "/taskmanagers/metrics?get=Status.Process.Memory.RSS&agg=max,sum");
  ok(get("/jobs/metrics"), "/jobs/metrics?get=uptime");
  ok(get("/jobs/{jobid}/metrics"), "/jobs/" + running + "/metrics?get=numRestarts");
  auto overview = ok(get("/overview"), "/overview");
  BOOST_TEST(overview["taskmanagers"] == 2);
  auto taskmanagers = ok(get("/taskmanagers"), "/taskmanagers")["taskmanagers"];
  for (const auto& tm : taskmanagers) {
    auto id = tm["id"].get<std::string>();
    BOOST_TEST(tm["hardware"]["cpuCores"].get<int>() > 0);
    BOOST_TEST(tm["hardware"]["physicalMemory"].get<long>() > 0);
    BOOST_TEST(tm["memoryConfiguration"]["totalProcessMemory"].get<long>() > 0);
    ok(get("/taskmanagers/{taskmanagerid}"), "/taskmanagers/" + id);
    ok(get("/taskmanagers/{taskmanagerid}/metrics"), "/taskmanagers/" + id + "/metrics");
    auto threads = ok(get("/taskmanagers/{taskmanagerid}/thread-dump"),
                      "/taskmanagers/" + id + "/thread-dump")["threadInfos"];
    BOOST_TEST(threads.size() > 1u);
    auto logs =
      ok(get("/taskmanagers/{taskmanagerid}/logs"), "/taskmanagers/" + id + "/logs")["logs"];
    BOOST_REQUIRE(!logs.empty());
    auto [status, text] = cluster.get_text("/taskmanagers/" + id + "/log");
    BOOST_TEST(status == 200);
    BOOST_TEST(text.find("TaskManager " + id + " starting") != std::string::npos, text);
    auto [named, same] =
      cluster.get_text("/taskmanagers/" + id + "/logs/" + logs[0]["name"].get<std::string>());
    BOOST_TEST(named == 200);
    BOOST_TEST(same.find("INFO  taskmanager") != std::string::npos);
    BOOST_TEST(cluster.get_text("/taskmanagers/" + id + "/logs/..%2Fjobmanager.log").first == 400);
    BOOST_TEST(cluster.get_text("/taskmanagers/" + id + "/logs/jobmanager.log").first == 404);
  }
  auto [jm_status, jm_log] = cluster.get_text("/jobmanager/log");
  BOOST_TEST(jm_status == 200);
  BOOST_TEST(jm_log.find("JobManager started") != std::string::npos);
  BOOST_TEST(cluster.get_text("/jobmanager/logs/jobmanager.log").first == 200);
  BOOST_TEST(cluster.get_text("/jobmanager/logs/other.txt").first == 404);
  BOOST_TEST(cluster.get_text("/jobmanager/stdout").first == 404); // it logs to the console
  auto dump = ok(get("/jobmanager/thread-dump"), "/jobmanager/thread-dump");
  BOOST_TEST(dump["threadInfos"][0]["stringifiedThreadInfo"].get<std::string>().find(" Id=") !=
             std::string::npos);

  // Job libraries: upload, list, plan, run with a job id of the caller's, delete.
  httplib::Client client{"127.0.0.1",
                         static_cast<std::uint16_t>(std::stoi(cluster.rest_address().substr(10)))};
  auto bytes = read_file(FLINKCPP_EXAMPLE_JOB);
  auto uploaded = client.Post(
    "/jars/upload", httplib::MultipartFormDataItems{
                      {"jarfile", bytes, "libword_length_job.so", "application/octet-stream"}});
  BOOST_REQUIRE(uploaded);
  auto upload_reply = json::parse(uploaded->body);
  BOOST_TEST(spec->check_response({"POST", "/jars/upload"}, uploaded->status, upload_reply).empty(),
             upload_reply.dump());
  answered.insert("POST /jars/upload");
  auto jar = fs::path{upload_reply["filename"].get<std::string>()}.filename().string();
  auto jars = ok(get("/jars"), "/jars");
  for (const auto& file : jars["files"])
    if (file["id"] == jar)
      BOOST_TEST(file["entry"][0]["name"] == "word_length", file.dump());
  ok({"POST", "/jars/{jarid}/plan"}, "/jars/" + jar + "/plan",
     {{"programArgsList", {"--input", words}}});
  const std::string chosen = "0123456789abcdef0123456789abcdef";
  auto run = ok({"POST", "/jars/{jarid}/run"}, "/jars/" + jar + "/run",
                {{"programArgs", "--input " + words}, {"jobId", chosen}, {"parallelism", 1}});
  BOOST_TEST(run["jobid"] == chosen);
  BOOST_REQUIRE(wait_until([&] { return state(chosen) == "FINISHED"; }));
  auto [again, duplicate] =
    cluster.request("POST", "/jars/" + jar + "/run", json{{"jobId", chosen}}.dump());
  BOOST_TEST(again == 409, duplicate.dump());
  ok({"DELETE", "/jars/{jarid}"}, "/jars/" + jar);
  auto submitted =
    ok({"POST", "/jobs"}, "/jobs", {{"job", "wordcount"}, {"programArgsList", {"--input", words}}});
  BOOST_TEST(submitted["jobUrl"].get<std::string>().rfind("/jobs/", 0) == 0u);

  // Stop with a savepoint, then shut the cluster down.
  triggered = ok({"POST", "/jobs/{jobid}/stop"}, "/jobs/" + running + "/stop", {{"drain", false}});
  completed(get("/jobs/{jobid}/savepoints/{triggerid}"),
            "/jobs/" + running + "/savepoints/" + triggered["request-id"].get<std::string>());
  ok({"DELETE", "/cluster"}, "/cluster");
  BOOST_TEST(cluster.stop_jobmanager(0).exit_code == 0);

  // Every operation of the document but those listed as unserved answered.
  for (const auto& op : spec->operations()) {
    auto key = key_of(op);
    if (unserved.count(key))
      BOOST_TEST(!answered.count(key), key << " is served now: take it off the unserved list");
    else
      BOOST_TEST(answered.count(key), key << " was not answered with a success");
  }
}

BOOST_AUTO_TEST_SUITE_END()

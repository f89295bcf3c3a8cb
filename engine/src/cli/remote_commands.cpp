#include "cli/remote_commands.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/rest_client.hpp"
#include "config/config_values.hpp"
#include "util/id.hpp"

namespace flinkcpp {

namespace {

using nlohmann::json;

int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

bool terminal(const std::string& state) {
  return state == "FINISHED" || state == "FAILED" || state == "CANCELED";
}

/// The body of a run request: arguments, parallelism and -D configuration.
result<json> run_body(const remote_run_request& r) {
  json body = json::object();
  body["programArgsList"] = r.job_args;
  if (r.parallelism) {
    auto p = parse_integer(*r.parallelism, 1, INT32_MAX);
    if (!p)
      return failure{"invalid parallelism '" + *r.parallelism + "' for -p: expected " +
                     p.error()};
    body["parallelism"] = *p;
  }
  json config = json::object();
  for (const auto& property : r.properties) {
    auto eq = property.find('=');
    if (eq == std::string::npos || eq == 0)
      return failure{"malformed -D '" + property + "': expected -D key=value"};
    config[property.substr(0, eq)] = property.substr(eq + 1);
  }
  body["flinkConfiguration"] = config;
  return body;
}

/// Submits and returns the job id.
result<std::string> submit(rest_client& client, const remote_run_request& r) {
  auto body = run_body(r);
  if (!body)
    return failure{body.error()};
  namespace fs = std::filesystem;
  std::error_code ec;
  bool upload = r.job.rfind("local://", 0) != 0 && fs::is_regular_file(r.job, ec);
  if (!upload) {
    (*body)["job"] = r.job;
    auto answer = client.post("/jobs", *body);
    if (!answer)
      return failure{answer.error()};
    auto url = answer->value("jobUrl", std::string{});
    return url.substr(url.rfind('/') + 1);
  }
  std::ifstream in(r.job, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in)
    return failure{"cannot read job library '" + r.job + "'"};
  auto uploaded = client.upload("/jars/upload", "jarfile", fs::path{r.job}.filename().string(),
                                content.str());
  if (!uploaded)
    return failure{"uploading '" + r.job + "' failed: " + uploaded.error()};
  auto jar = fs::path{uploaded->value("filename", std::string{})}.filename().string();
  auto answer = client.post("/jars/" + jar + "/run", *body);
  if (!answer)
    return failure{answer.error()};
  return answer->value("jobid", std::string{});
}

/// Polls the job until it ends; gives up after the jobmanager stayed
/// unreachable for about ten seconds.
result<json> wait_for_end(rest_client& client, const std::string& id) {
  int unreachable = 0;
  for (;;) {
    auto details = client.get("/jobs/" + id);
    if (details) {
      unreachable = 0;
      if (terminal(details->value("state", std::string{})))
        return details;
    } else if (++unreachable > 100) {
      return failure{"lost the jobmanager while waiting for job " + id + ": " + details.error()};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
}

std::string format_time(std::int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%d.%m.%Y %H:%M:%S", &tm);
  return buffer;
}

} // namespace

int run_remote(const remote_run_request& request) {
  auto client = rest_client::connect_to(request.address);
  if (!client)
    return fail(client.error());
  auto id = submit(*client, request);
  if (!id)
    return fail(id.error());
  std::fprintf(stderr, "Job has been submitted with JobID %s\n", id->c_str());
  if (request.detached)
    return 0;
  auto details = wait_for_end(*client, *id);
  if (!details)
    return fail(details.error());
  auto state = details->value("state", std::string{});
  auto name = details->value("name", std::string{});
  if (state == "FINISHED") {
    std::fprintf(stderr, "Job with JobID %s has finished.\nJob Runtime: %lld ms\n", id->c_str(),
                 static_cast<long long>(details->value("duration", std::int64_t{0})));
    return 0;
  }
  if (state == "CANCELED")
    return fail("job '" + name + "' (" + *id + ") was cancelled");
  std::string cause = "unknown cause";
  if (auto exceptions = client->get("/jobs/" + *id + "/exceptions"); exceptions) {
    const auto& entries = (*exceptions)["exceptionHistory"]["entries"];
    if (!entries.empty()) {
      const auto& root = entries.back(); // newest first: the last is the first failure
      cause = root["stacktrace"].get<std::string>();
      if (root["taskName"].is_string())
        cause = root["taskName"].get<std::string>() + ": " + cause;
    }
  }
  return fail("job '" + name + "' (" + *id + ") failed: " + cause);
}

int list_remote(const std::string& address, bool all) {
  auto client = rest_client::connect_to(address);
  if (!client)
    return fail(client.error());
  auto jobs = client->get("/jobs/overview");
  if (!jobs)
    return fail(jobs.error());
  std::vector<std::string> running;
  std::vector<std::string> ended;
  for (const auto& j : (*jobs)["jobs"]) {
    auto state = j.value("state", std::string{});
    auto line = format_time(j.value("start-time", std::int64_t{0})) + " : " +
                j.value("jid", std::string{}) + " : " + j.value("name", std::string{}) + " (" +
                state + ")";
    (terminal(state) ? ended : running).push_back(line);
  }
  if (running.empty()) {
    std::printf("No running jobs.\n");
  } else {
    std::printf("------------------ Running/Restarting Jobs -------------------\n");
    for (const auto& l : running)
      std::printf("%s\n", l.c_str());
    std::printf("--------------------------------------------------------------\n");
  }
  if (all) {
    if (ended.empty()) {
      std::printf("No terminated jobs.\n");
    } else {
      std::printf("---------------------- Terminated Jobs -----------------------\n");
      for (const auto& l : ended)
        std::printf("%s\n", l.c_str());
      std::printf("--------------------------------------------------------------\n");
    }
  }
  return 0;
}

int savepoint_remote(const std::string& address, const std::string& job,
                     const std::string& directory, bool stop, bool drain) {
  if (!job_id::parse(job))
    return fail("'" + job + "' is not a job id: expected 32 hex digits (see flink-cpp list)");
  auto client = rest_client::connect_to(address);
  if (!client)
    return fail(client.error());
  json body = json::object();
  if (!directory.empty())
    body[stop ? "targetDirectory" : "target-directory"] = directory;
  if (drain)
    body["drain"] = true;
  auto path = "/jobs/" + job + (stop ? "/stop" : "/savepoints");
  auto triggered = client->post(path, body);
  if (!triggered)
    return fail(std::string{"cannot "} + (stop ? "stop" : "take a savepoint of") + " job " +
                job + ": " + triggered.error());
  auto trigger = triggered->value("request-id", std::string{});
  std::fprintf(stderr, "%s job %s with a savepoint.\n", stop ? "Suspending" : "Triggering savepoint for",
               job.c_str());
  int unreachable = 0;
  for (;;) {
    auto status = client->get("/jobs/" + job + "/savepoints/" + trigger);
    if (!status) {
      if (++unreachable > 100)
        return fail("lost the jobmanager while waiting for the savepoint: " + status.error());
    } else if ((*status)["status"].value("id", std::string{}) == "COMPLETED") {
      const auto& op = (*status)["operation"];
      if (op.contains("failure-cause"))
        return fail("the savepoint of job " + job + " failed: " +
                    op["failure-cause"].value("stack-trace", std::string{"unknown cause"}));
      std::printf("Savepoint completed. Path: %s\n", op.value("location", std::string{}).c_str());
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
}

int cancel_remote(const std::string& address, const std::string& job) {
  if (!job_id::parse(job))
    return fail("'" + job + "' is not a job id: expected 32 hex digits (see flink-cpp list)");
  auto client = rest_client::connect_to(address);
  if (!client)
    return fail(client.error());
  auto answer = client->patch("/jobs/" + job + "?mode=cancel");
  if (!answer)
    return fail("cannot cancel job " + job + ": " + answer.error());
  std::printf("Cancelled job %s.\n", job.c_str());
  return 0;
}

int check_remote(const std::string& address, const cluster_expectation& expected) {
  auto client = rest_client::connect_to(address);
  if (!client)
    return fail(client.error());
  auto deadline = std::chrono::steady_clock::now() + expected.timeout;
  std::string found;
  for (;;) {
    auto overview = client->get("/overview");
    if (overview) {
      int taskmanagers = overview->value("taskmanagers", -1);
      int slots = overview->value("slots-total", -1);
      found = std::to_string(taskmanagers) + " taskmanagers with " + std::to_string(slots) +
              " slots";
      bool cluster_ok = taskmanagers == expected.taskmanagers && slots == expected.slots;
      std::string state = "RUNNING";
      if (!expected.job.empty()) {
        auto job = client->get("/jobs/" + expected.job);
        state = job ? job->value("state", std::string{"unknown"}) : "not known to the jobmanager";
        found += ", job " + expected.job + " " + state;
        if (state == "FAILED" || state == "FAILING" || state == "CANCELED")
          return fail("expected job " + expected.job + " to run, but it is " + state);
      }
      if (cluster_ok && (state == "RUNNING" || state == "FINISHED")) {
        std::printf("OK: %s\n", found.c_str());
        return 0;
      }
    } else {
      found = overview.error();
    }
    if (std::chrono::steady_clock::now() >= deadline)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
  }
  std::string want = std::to_string(expected.taskmanagers) + " taskmanagers with " +
                     std::to_string(expected.slots) + " slots";
  if (!expected.job.empty())
    want += " and job " + expected.job + " running or finished";
  return fail("expected " + want + " within " + std::to_string(expected.timeout.count()) +
              " s, found " + found);
}

} // namespace flinkcpp

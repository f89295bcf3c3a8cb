#include "cli/remote_commands.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
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

/// A line on stdout, flushed: scripts read it while the command goes on.
void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

bool terminal(const std::string& state) {
  return state == "FINISHED" || state == "FAILED" || state == "CANCELED";
}

/// The body of a run request: arguments, parallelism, entry and -D
/// configuration.
result<json> run_body(const remote_run_request& r) {
  json body = json::object();
  body["programArgsList"] = r.job_args;
  if (r.parallelism) {
    auto p = parse_integer(*r.parallelism, 1, INT32_MAX);
    if (!p)
      return failure{"invalid parallelism '" + *r.parallelism + "' for -p: expected " + p.error()};
    body["parallelism"] = *p;
  }
  if (!r.entry.empty())
    body["entryClass"] = r.entry;
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
  auto uploaded =
    client.upload("/jars/upload", "jarfile", fs::path{r.job}.filename().string(), content.str());
  if (!uploaded)
    return failure{"uploading '" + r.job + "' failed: " + uploaded.error()};
  auto jar = fs::path{uploaded->value("filename", std::string{})}.filename().string();
  auto answer = client.post("/jars/" + jar + "/run", *body);
  if (!answer)
    return failure{answer.error()};
  return answer->value("jobid", std::string{});
}

/// The signal that asked an attached client to stop (-sae), or 0.
volatile std::sig_atomic_t interrupted = 0;

void on_interrupt(int sig) {
  interrupted = sig;
}

/// From now on SIGINT and SIGTERM set `interrupted` instead of ending the
/// process, also where the shell started it ignoring SIGINT (in the
/// background).
void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

/// Polls the job until it ends; gives up after the jobmanager stayed
/// unreachable for about ten seconds. With `cancel_on_interrupt` (-sae,
/// after catch_interrupts()) a SIGINT or SIGTERM cancels the job and ends
/// the wait.
result<json> wait_for_end(rest_client& client, const std::string& id, bool cancel_on_interrupt) {
  int unreachable = 0;
  for (;;) {
    if (cancel_on_interrupt && interrupted != 0) {
      say("Cancelling job " + id + " (-sae: the client was interrupted).");
      if (auto cancelled = client.patch("/jobs/" + id + "?mode=cancel"); !cancelled)
        return failure{"interrupted, and cannot cancel job " + id + ": " + cancelled.error()};
      return failure{"interrupted: job " + id + " was cancelled (-sae)"};
    }
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

/// Waits for one of Flink's asynchronous operations (GET `path` until its
/// status is COMPLETED) and returns its "operation": a result, or a failure
/// with its cause. `what` names the operation in messages.
result<json> wait_for_operation(rest_client& client, const std::string& path,
                                const std::string& what) {
  int unreachable = 0;
  for (;;) {
    auto status = client.get(path);
    if (!status) {
      if (++unreachable > 100)
        return failure{"lost the jobmanager while waiting for " + what + ": " + status.error()};
    } else if ((*status)["status"].value("id", std::string{}) == "COMPLETED") {
      const auto& op = (*status)["operation"];
      if (op.is_object() && op.contains("failure-cause"))
        return failure{what + " failed: " +
                       op["failure-cause"].value("stack-trace", std::string{"unknown cause"})};
      return op;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
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

/// One section of `list`: its lines under a header, or `none` when empty
/// (an empty `none`: nothing at all).
void print_section(std::vector<json> jobs, const std::string& header, const std::string& none) {
  if (jobs.empty()) {
    if (!none.empty())
      say(none);
    return;
  }
  std::stable_sort(jobs.begin(), jobs.end(), [](const json& a, const json& b) {
    return a.value("start-time", std::int64_t{0}) < b.value("start-time", std::int64_t{0});
  });
  say(header);
  for (const auto& j : jobs)
    say(format_time(j.value("start-time", std::int64_t{0})) + " : " +
        j.value("jid", std::string{}) + " : " + j.value("name", std::string{}) + " (" +
        j.value("state", std::string{}) + ")");
  say("--------------------------------------------------------------");
}

result<void> check_job_id(const std::string& job) {
  if (!job_id::parse(job))
    return failure{"'" + job + "' is not a job id: expected 32 hex digits (see flink-cpp list)"};
  return {};
}

} // namespace

int run_remote(const remote_run_request& request) {
  // Before submitting: an interrupt that comes while the job is submitted
  // cancels it as soon as its id is known.
  if (request.shutdown_on_attached_exit && !request.detached)
    catch_interrupts();
  auto client = rest_client::connect_to(request.jobmanager);
  if (!client)
    return fail(client.error());
  auto id = submit(*client, request);
  if (!id)
    return fail(id.error());
  say("Job has been submitted with JobID " + *id);
  if (request.detached)
    return 0;
  auto details = wait_for_end(*client, *id, request.shutdown_on_attached_exit);
  if (!details) {
    std::fprintf(stderr, "error: %s\n", details.error().c_str());
    return interrupted != 0 ? 128 + interrupted : 1;
  }
  auto state = details->value("state", std::string{});
  auto name = details->value("name", std::string{});
  if (state == "FINISHED") {
    say("Program execution finished");
    say("Job with JobID " + *id + " has finished.");
    say("Job Runtime: " + std::to_string(details->value("duration", std::int64_t{0})) + " ms");
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

int list_remote(const rest_endpoint& jobmanager, list_selection selection) {
  if (!selection.running && !selection.scheduled && !selection.all)
    selection.running = selection.scheduled = true;
  auto client = rest_client::connect_to(jobmanager);
  if (!client)
    return fail(client.error());
  say("Waiting for response...");
  auto jobs = client->get("/jobs/overview");
  if (!jobs)
    return fail("failed to retrieve the job list: " + jobs.error());
  std::vector<json> running, scheduled, terminated;
  for (const auto& j : (*jobs)["jobs"]) {
    auto state = j.value("state", std::string{});
    if (state == "CREATED" || state == "INITIALIZING")
      scheduled.push_back(j);
    else if (terminal(state))
      terminated.push_back(j);
    else
      running.push_back(j);
  }
  if (selection.running || selection.all)
    print_section(std::move(running),
                  "------------------ Running/Restarting Jobs -------------------",
                  "No running jobs.");
  if (selection.scheduled || selection.all)
    print_section(std::move(scheduled),
                  "----------------------- Scheduled Jobs -----------------------",
                  "No scheduled jobs.");
  if (selection.all)
    print_section(std::move(terminated),
                  "---------------------- Terminated Jobs -----------------------", "");
  return 0;
}

int savepoint_remote(const rest_endpoint& jobmanager, const std::string& job,
                     const std::string& directory, bool stop, bool drain) {
  if (auto valid = check_job_id(job); !valid)
    return fail(valid.error());
  json body = json::object();
  if (!directory.empty()) {
    auto path = parse_local_path(directory);
    if (!path)
      return fail("invalid savepoint directory '" + directory + "': expected " + path.error());
    body[stop ? "targetDirectory" : "target-directory"] = *path;
  }
  if (drain)
    body["drain"] = true;
  auto client = rest_client::connect_to(jobmanager);
  if (!client)
    return fail(client.error());
  if (stop)
    say(std::string{drain ? "Draining job \"" : "Suspending job \""} + job +
        "\" with a CANONICAL savepoint.");
  else
    say("Triggering savepoint for job " + job + ".");
  auto triggered = client->post("/jobs/" + job + (stop ? "/stop" : "/savepoints"), body);
  if (!triggered)
    return fail(std::string{"cannot "} + (stop ? "stop" : "take a savepoint of") + " job " + job +
                ": " + triggered.error());
  if (!stop)
    say("Waiting for response...");
  auto trigger = triggered->value("request-id", std::string{});
  auto done = wait_for_operation(*client, "/jobs/" + job + "/savepoints/" + trigger,
                                 "the savepoint of job " + job);
  if (!done)
    return fail(done.error());
  say("Savepoint completed. Path: " + done->value("location", std::string{}));
  if (!stop)
    say("You can resume your program from this savepoint with the run command.");
  return 0;
}

int dispose_remote(const rest_endpoint& jobmanager, const std::string& path) {
  auto local = parse_local_path(path);
  if (!local)
    return fail("invalid savepoint path '" + path + "' for --dispose: expected " + local.error());
  auto client = rest_client::connect_to(jobmanager);
  if (!client)
    return fail(client.error());
  say("Disposing savepoint '" + path + "'.");
  auto triggered = client->post("/savepoint-disposal", {{"savepoint-path", *local}});
  if (!triggered)
    return fail("cannot dispose savepoint '" + path + "': " + triggered.error());
  say("Waiting for response...");
  auto done = wait_for_operation(
    *client, "/savepoint-disposal/" + triggered->value("request-id", std::string{}),
    "disposing savepoint '" + path + "'");
  if (!done)
    return fail(done.error());
  say("Savepoint '" + path + "' disposed.");
  return 0;
}

int checkpoint_remote(const rest_endpoint& jobmanager, const std::string& job, bool full) {
  if (auto valid = check_job_id(job); !valid)
    return fail(valid.error());
  auto client = rest_client::connect_to(jobmanager);
  if (!client)
    return fail(client.error());
  say("Triggering checkpoint for job " + job + ".");
  auto triggered = client->post("/jobs/" + job + "/checkpoints",
                                {{"checkpointType", full ? "FULL" : "CONFIGURED"}});
  if (!triggered)
    return fail("cannot trigger a checkpoint of job " + job + ": " + triggered.error());
  say("Waiting for response...");
  auto done = wait_for_operation(
    *client, "/jobs/" + job + "/checkpoints/" + triggered->value("request-id", std::string{}),
    "the checkpoint of job " + job);
  if (!done)
    return fail(done.error());
  say(std::string{full ? "Checkpoint(FULL) " : "Checkpoint "} +
      std::to_string(done->value("checkpointId", std::int64_t{0})) + " for job " + job +
      " completed.");
  say("You can resume your program from this checkpoint with the run command.");
  return 0;
}

int cancel_remote(const rest_endpoint& jobmanager, const std::string& job) {
  if (auto valid = check_job_id(job); !valid)
    return fail(valid.error());
  auto client = rest_client::connect_to(jobmanager);
  if (!client)
    return fail(client.error());
  say("Cancelling job " + job + ".");
  auto answer = client->patch("/jobs/" + job + "?mode=cancel");
  if (!answer)
    return fail("cannot cancel job " + job + ": " + answer.error());
  say("Cancelled job " + job + ".");
  return 0;
}

int check_remote(const rest_endpoint& jobmanager, const cluster_expectation& expected) {
  auto client = rest_client::connect_to(jobmanager);
  if (!client)
    return fail(client.error());
  auto deadline = std::chrono::steady_clock::now() + expected.timeout;
  std::string found;
  for (;;) {
    auto overview = client->get("/overview");
    if (overview) {
      int taskmanagers = overview->value("taskmanagers", -1);
      int slots = overview->value("slots-total", -1);
      found =
        std::to_string(taskmanagers) + " taskmanagers with " + std::to_string(slots) + " slots";
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

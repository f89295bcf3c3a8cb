// Requests to the REST API, as httplib hands them over once parsed: any
// method, path, query, headers and body, against a cluster of one running
// job and one taskmanager, with and without a bearer token required. Every
// request gets an answer of a 2xx-5xx status with a JSON (or text) body;
// nothing escapes, nothing crashes, and no answer is a 500 (a 500 means a
// handler failed in a way it did not foresee).
//
// Input: one byte (bit 0: a token is required, "fuzz-token"; the next three
// bits choose the method), the request target up to a newline, header lines
// ("Name: value") up to an empty line, then the body.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <httplib.h>

#include "cluster/cluster_gateway.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "fuzz/fuzz_input.hpp"
#include "rest/request_handler.hpp"
#include "support/local_job.hpp"
#include "util/logging.hpp"

using namespace flinkcpp;

namespace {

/// A cluster that always looks the same: one running job of a source
/// (parallelism 2) and a sink, one taskmanager, a few metrics.
class still_cluster final : public cluster_gateway {
public:
  still_cluster() {
    job_.id = *job_id::parse("f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
    job_.name = "still";
    job_.status = job_status::running;
    job_.graph = testing::build_graph([](stream_environment& env) {
      env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(1);
    });
    job_.start_time = 1000;
    job_.spec = std::make_shared<job_spec>();
    subtask_info running;
    running.state = execution_state::running;
    running.start_time = 1100;
    job_.subtasks = {{running, running}, {running}};
    task_manager_.id = "taskmanager-1";
    task_manager_.host = "127.0.0.1";
    task_manager_.slots = 2;
    task_manager_.slot_jobs = {job_.id};
    samples_.push_back({static_cast<std::uint8_t>(metric_scope::task),
                        "numRecordsIn",
                        {{"job_id", job_.id.to_string()},
                         {"task_id", job_.graph->vertices().front().id.to_string()},
                         {"subtask_index", "0"},
                         {"tm_id", task_manager_.id}},
                        42});
  }

  std::vector<job_info> jobs() override { return {job_}; }
  std::optional<job_info> job(const job_id& id) override {
    return id == job_.id ? std::optional{job_} : std::nullopt;
  }
  std::vector<task_manager_status> task_managers() override { return {task_manager_}; }
  result<void> submit(job_submission) override { return {}; }
  job_result await(const job_id& id) override { return {id, job_status::finished, {}, {}}; }
  result<void> cancel(const job_id& id) override {
    if (id != job_.id)
      return failure{errc::not_found, "no job " + id.to_string()};
    return {};
  }
  std::string trigger_savepoint(const job_id&, const std::string&, after_savepoint) override {
    return "savepoint-trigger";
  }
  std::string trigger_checkpoint(const job_id&, bool) override { return "checkpoint-trigger"; }
  result<void> set_parallelism_bound(const job_id&, std::int32_t) override {
    return failure{errc::conflict, "the job is not adaptive"};
  }
  result<std::vector<log_file_info>> task_manager_logs(const std::string&) override {
    return std::vector<log_file_info>{};
  }
  result<std::string> task_manager_log(const std::string&, const std::string& name) override {
    return failure{errc::not_found, "no log file " + name};
  }
  result<std::vector<thread_snapshot>> task_manager_threads(const std::string&) override {
    return std::vector<thread_snapshot>{};
  }
  std::vector<metric_sample> jobmanager_metrics() override { return {}; }
  std::vector<metric_sample> reported_metrics() override { return samples_; }
  std::vector<metric_sample> reported_metrics(const std::string&) override { return samples_; }
  std::optional<savepoint_status> savepoint(const std::string& trigger) override {
    if (trigger != "savepoint-trigger")
      return std::nullopt;
    return savepoint_status{true, checkpoint_id{3}, "/savepoints/savepoint-3", {}};
  }

private:
  job_info job_;
  task_manager_status task_manager_;
  std::vector<metric_sample> samples_;
};

const rest::request_handler& handler(bool with_token) {
  static const bool quiet = init_logging(log_destination::standard_error, "OFF").ok();
  static still_cluster cluster;
  static const auto make = [](bool token) {
    configuration config;
    config.set("web.upload.dir", fuzzing::scratch_file("uploads"));
    if (token)
      config.set("rest.authentication.token-file",
                 fuzzing::write_scratch_file("token", "fuzz-token\n"));
    auto made = rest::request_handler::make(cluster, config, [] {});
    if (!made)
      throw std::runtime_error("fuzzing: " + made.error());
    return std::move(*made);
  };
  static const auto open = make(false);
  static const auto guarded = make(true);
  (void)quiet;
  return with_token ? *guarded : *open;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const methods[] = {"GET",    "POST", "PUT",     "PATCH",
                                        "DELETE", "HEAD", "OPTIONS", "PROPFIND"};
  fuzzing::fuzz_input in{data, size};
  auto choice = in.byte();
  httplib::Request req;
  req.method = methods[(choice >> 1) % 8];
  req.target = std::string{in.until('\n')};
  auto query = req.target.find('?');
  req.path = httplib::detail::decode_url(req.target.substr(0, query), false);
  if (query != std::string::npos)
    httplib::detail::parse_query_text(req.target.substr(query + 1), req.params);
  for (auto line = in.until('\n'); !line.empty(); line = in.until('\n')) {
    auto colon = line.find(':');
    auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    req.headers.emplace(std::string{line.substr(0, colon)}, std::string{value});
  }
  req.body = std::string{in.rest()};
  httplib::Response res;
  handler((choice & 1) != 0).handle(req, res);
  if (res.status < 200 || res.status > 599 || res.status == 500 || res.body.empty())
    throw std::logic_error("REST answered " + std::to_string(res.status) + " to " + req.method +
                           " " + req.target + ": " + res.body);
  return 0;
}

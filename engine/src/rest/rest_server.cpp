#include "rest/rest_server.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include <httplib.h>

#include "cluster/job_submitter.hpp"
#include "config/config_loader.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"
#include "graph/plan_json.hpp"
#include "metrics/metric_registry.hpp"
#include "metrics/reported_metrics.hpp"
#include "rest/checkpoint_views.hpp"
#include "rest/metric_views.hpp"
#include "rest/web_assets.hpp"
#include "rest/rest_views.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

using rest::json;

struct reply {
  int status = 200;
  json body;
};

/// An expected failure of a request: its status and message.
struct request_error {
  int status;
  std::string message;
};

using handler = std::function<reply(const httplib::Request&, const std::smatch&)>;

struct route {
  std::string method;
  std::regex pattern;
  handler run;
};

job_id job_id_param(const std::string& text) {
  auto id = job_id::parse(text);
  if (!id)
    throw request_error{400, "'" + text + "' is not a job id: expected 32 hex digits"};
  return *id;
}

/// The jar id of an uploaded library: "<32 hex>_<name>.so", nothing else (so
/// that no parameter can reach outside the upload directory).
std::string jar_id_param(const std::string& text) {
  static const std::regex form{R"(^[0-9a-f]{32}_[A-Za-z0-9][A-Za-z0-9._-]*\.so$)"};
  if (!std::regex_match(text, form) || text.find("..") != std::string::npos)
    throw request_error{400, "'" + text + "' is not a jar id: expected an id /jars lists"};
  return text;
}

/// A path given in a request (/abs, file:/abs, file:///abs), as a local path.
std::string local_path_param(const std::string& field, const std::string& text) {
  auto path = parse_local_path(text);
  if (!path)
    throw request_error{400, "invalid '" + field + "' '" + text + "': expected " + path.error()};
  return *path;
}

/// Refuses fields a request does not define.
void allow_fields(const json& body, const std::vector<std::string>& allowed) {
  for (const auto& [key, value] : body.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed)
        list += (list.empty() ? "" : ", ") + a;
      throw request_error{400, "unknown field '" + key + "' in the request; expected " + list};
    }
}

std::string string_field(const json& body, const std::string& name) {
  auto i = body.find(name);
  if (i == body.end() || i->is_null())
    return {};
  if (!i->is_string())
    throw request_error{400, "'" + name + "' must be a string"};
  return i->get<std::string>();
}

bool boolean_field(const json& body, const std::string& name) {
  auto i = body.find(name);
  if (i == body.end() || i->is_null())
    return false;
  if (!i->is_boolean())
    throw request_error{400, "'" + name + "' must be true or false"};
  return i->get<bool>();
}

json parse_body(const httplib::Request& req) {
  if (req.body.empty())
    return json::object();
  try {
    auto body = json::parse(req.body);
    if (!body.is_object())
      throw request_error{400, "the request body must be a JSON object"};
    return body;
  } catch (const json::parse_error& e) {
    throw request_error{400, std::string{"the request body is not valid JSON: "} + e.what()};
  }
}

/// The fields of a run request (POST /jobs, POST /jars/:jarid/run) into a
/// job spec on top of the cluster configuration.
void read_run_request(const json& body, const std::vector<std::string>& allowed, job_spec& spec) {
  allow_fields(body, allowed);
  if (auto i = body.find("programArgsList"); i != body.end()) {
    if (!i->is_array())
      throw request_error{400, "'programArgsList' must be a list of strings"};
    for (const auto& a : *i) {
      if (!a.is_string())
        throw request_error{400, "'programArgsList' must be a list of strings"};
      spec.args.push_back(a.get<std::string>());
    }
  }
  if (auto i = body.find("flinkConfiguration"); i != body.end()) {
    if (!i->is_object())
      throw request_error{400, "'flinkConfiguration' must be an object of key: value strings"};
    configuration layer;
    for (const auto& [key, value] : i->items()) {
      if (!value.is_string() && !value.is_number() && !value.is_boolean())
        throw request_error{400, "the value of '" + key + "' in 'flinkConfiguration' must be a "
                                 "string, number or boolean"};
      layer.set(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    config_report report; // what the job's submission logs
    auto normalized = normalize_keys(std::move(layer), "'flinkConfiguration'", report);
    if (!normalized)
      throw request_error{400, normalized.error()};
    for (const auto& [key, value] : normalized->entries())
      spec.config[key] = value;
  }
  if (auto path = string_field(body, "savepointPath"); !path.empty())
    spec.config[options::savepoint_path.key()] = local_path_param("savepointPath", path);
  if (boolean_field(body, "allowNonRestoredState"))
    spec.config[options::savepoint_ignore_unclaimed_state.key()] = "true";
  if (auto i = body.find("parallelism"); i != body.end() && !i->is_null()) {
    if (!i->is_number_integer() || i->get<std::int64_t>() < 1 || i->get<std::int64_t>() > INT32_MAX)
      throw request_error{400, "'parallelism' must be a positive integer"};
    spec.config[options::parallelism_default.key()] = std::to_string(i->get<std::int64_t>());
  }
}

} // namespace

struct rest_server::impl {
  impl(cluster_gateway& gateway, configuration cluster_config)
    : cluster(gateway), config(std::move(cluster_config)) {
    web_submit = options::web_submit_enable.get(this->config);
    web_cancel = options::web_cancel_enable.get(this->config);
    upload_dir = options::web_upload_dir.get(this->config);
    if (upload_dir.empty())
      upload_dir = (std::filesystem::temp_directory_path() / "flink-cpp-web-upload").string();
    define_routes();
    server.set_payload_max_length(
      static_cast<std::size_t>(options::rest_max_content_length.get(this->config)));
    for (auto method : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
                        &httplib::Server::Patch, &httplib::Server::Delete})
      (server.*method)(".*", [this](const httplib::Request& req, httplib::Response& res) {
        serve(req, res);
      });
    // cpp-httplib 0.11 reads the body of a POST, PUT, PATCH or DELETE that has
    // neither Content-Length nor Transfer-Encoding until the peer closes (curl
    // -X PATCH sends such requests). HTTP/1.1 says such a request has no body
    // (RFC 9112, 6.3), so it is answered before httplib starts reading one.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.method == "GET" || req.has_header("Content-Length") ||
          req.has_header("Transfer-Encoding"))
        return httplib::Server::HandlerResponse::Unhandled;
      serve(req, res);
      return httplib::Server::HandlerResponse::Handled;
    });
    server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty())
        return;
      std::string message;
      switch (res.status) {
        case 400:
          message = "malformed HTTP request for " + req.path;
          break;
        case 413:
          message = "the request body is too large (rest.server.max-content-length)";
          break;
        default:
          message = "request to " + req.path + " failed with HTTP " + std::to_string(res.status);
      }
      res.set_content(rest::error_view(message).dump(), "application/json");
    });
  }

  void define_routes();
  reply submit(job_spec spec);
  void serve(const httplib::Request& req, httplib::Response& res);

  void add(std::string method, const std::string& pattern, handler h) {
    routes.push_back({std::move(method), std::regex{"^" + pattern + "$"}, std::move(h)});
  }

  /// Starts a savepoint of a running job into the directory the body's
  /// `target_field` names (else the default); 202 with Flink's request id.
  reply trigger_savepoint(const std::string& job_text, const json& body,
                          const std::string& target_field, cluster_gateway::after_savepoint then) {
    auto target = string_field(body, target_field);
    if (!target.empty())
      target = local_path_param(target_field, target);
    auto job = job_or_404(job_text);
    if (job.status != job_status::running)
      throw request_error{409, "job " + job.id.to_string() + " is not running (" +
                                 std::string{to_string(job.status)} + ")"};
    if (target.empty() && options::savepoints_dir.get(config).empty() &&
        job.checkpoints.settings.savepoints_dir.empty())
      throw request_error{400, "no savepoint directory: give one in the request, or set "
                               "state.savepoints.dir"};
    auto trigger = cluster.trigger_savepoint(job.id, target, then);
    return reply{202, {{"request-id", trigger}}};
  }

  void require_web_submit() const {
    if (!web_submit)
      throw request_error{403, "job libraries cannot be uploaded or run here: "
                               "web.submit.enable is false"};
  }

  job_info job_or_404(const std::string& text) {
    auto id = job_id_param(text);
    auto job = cluster.job(id);
    if (!job)
      throw request_error{404, "job " + text + " not found"};
    return std::move(*job);
  }

  /// The index of vertex `id` in `job`'s graph.
  static std::size_t vertex_or_404(const job_info& job, const std::string& id) {
    const auto& vertices = job.graph->vertices();
    for (std::size_t v = 0; v < vertices.size(); ++v)
      if (vertices[v].id.to_string() == id)
        return v;
    throw request_error{404, "job " + job.id.to_string() + " has no vertex " + id};
  }

  /// What the subtasks of vertex `vertex` of `job` reported last.
  std::vector<metric_sample> vertex_metrics(const std::smatch& m) {
    auto job = job_or_404(m[1]);
    vertex_or_404(job, m[2]);
    return rest::vertex_samples(reported_metrics::instance().all(), job.id.to_string(), m[2]);
  }

  static std::optional<std::string> get_param(const httplib::Request& req) {
    if (!req.has_param("get"))
      return std::nullopt;
    return req.get_param_value("get");
  }

  /// Samples of `scope` only.
  static std::vector<metric_sample> of_scope(std::vector<metric_sample> samples,
                                             metric_scope scope) {
    samples.erase(std::remove_if(samples.begin(), samples.end(),
                                 [scope](const auto& s) { return s.scope_kind() != scope; }),
                  samples.end());
    return samples;
  }

  cluster_gateway& cluster;
  configuration config;
  bool web_submit = true;
  bool web_cancel = true;
  std::string upload_dir;
  std::vector<route> routes;
  httplib::Server server;
  std::thread thread;
  std::shared_ptr<spdlog::logger> log = logger("rest");
};

reply rest_server::impl::submit(job_spec spec) {
  auto id = job_id::random();
  auto submission = prepare_submission(spec, id);
  if (!submission)
    throw request_error{400, submission.error()};
  auto name = submission->graph->name();
  if (auto submitted = cluster.submit(std::move(submission.value())); !submitted)
    throw request_error{500, submitted.error()};
  log->info("Submitted job {} ({}).", name, id.to_string());
  return {202, {{"jobUrl", "/jobs/" + id.to_string()}}};
}

void rest_server::impl::define_routes() {
  add("GET", "/config",
      [this](auto&, auto&) { return reply{200, rest::config_view(web_submit, web_cancel)}; });
  add("GET", "/overview", [this](auto&, auto&) {
    return reply{200, rest::overview_view(cluster.task_managers(), cluster.jobs())};
  });
  add("GET", "/jobs", [this](auto&, auto&) { return reply{200, rest::jobs_view(cluster.jobs())}; });
  add("POST", "/jobs", [this](const httplib::Request& req, auto&) {
    auto body = parse_body(req);
    auto job = body.find("job");
    if (job == body.end() || !job->is_string() || job->get<std::string>().empty())
      throw request_error{400, "the request needs 'job': a built-in job's name or the "
                               "local:// path of a job library"};
    job_spec spec;
    spec.job = job->get<std::string>();
    for (const auto& [key, value] : config.entries())
      spec.config[key] = value;
    read_run_request(body, {"job", "programArgsList", "parallelism", "flinkConfiguration", "savepointPath",
                      "allowNonRestoredState"}, spec);
    return submit(std::move(spec));
  });
  add("GET", "/jobs/overview", [this](auto&, auto&) {
    return reply{200, rest::jobs_overview_view(cluster.jobs(), epoch_millis())};
  });
  add("GET", "/jobs/([^/]+)", [this](auto&, const std::smatch& m) {
    return reply{200, rest::job_details_view(job_or_404(m[1]), epoch_millis())};
  });
  add("PATCH", "/jobs/([^/]+)", [this](const httplib::Request& req, const std::smatch& m) {
    auto id = job_id_param(m[1]);
    auto mode = req.has_param("mode") ? req.get_param_value("mode") : std::string{"cancel"};
    if (mode != "cancel")
      throw request_error{400, "unsupported mode '" + mode + "': expected mode=cancel"};
    if (!web_cancel)
      throw request_error{403, "jobs cannot be cancelled here: web.cancel.enable is false"};
    if (!cluster.cancel(id)) {
      if (cluster.job(id))
        throw request_error{409, "job " + id.to_string() + " is not running"};
      throw request_error{404, "job " + id.to_string() + " not found"};
    }
    return reply{202, json::object()};
  });
  add("GET", "/jobs/([^/]+)/plan", [this](auto&, const std::smatch& m) {
    auto job = job_or_404(m[1]);
    return reply{200, plan_json(*job.graph, job.id)};
  });
  add("GET", "/jobs/([^/]+)/checkpoints", [this](auto&, const std::smatch& m) {
    return reply{200, rest::checkpoints_view(job_or_404(m[1]))};
  });
  add("GET", "/jobs/([^/]+)/checkpoints/config", [this](auto&, const std::smatch& m) {
    auto job = job_or_404(m[1]);
    if (!job.checkpoints.settings.periodic())
      throw request_error{404, "checkpointing is not enabled for job " + job.id.to_string() +
                                 " (execution.checkpointing.interval)"};
    return reply{200, rest::checkpoint_config_view(job)};
  });
  add("POST", "/jobs/([^/]+)/checkpoints", [this](const httplib::Request& req,
                                                  const std::smatch& m) {
    allow_fields(parse_body(req), {"checkpointType", "triggerId"});
    auto job = job_or_404(m[1]);
    if (job.status != job_status::running)
      throw request_error{409, "job " + job.id.to_string() + " is not running (" +
                                 std::string{to_string(job.status)} + ")"};
    return reply{202, {{"request-id", cluster.trigger_checkpoint(job.id)}}};
  });
  add("GET", "/jobs/([^/]+)/checkpoints/([^/]+)", [this](auto&, const std::smatch& m) {
    job_or_404(m[1]);
    auto status = cluster.savepoint(m[2]);
    if (!status)
      throw request_error{404, "there is no checkpoint operation " + m[2].str() + " for job " +
                                 m[1].str()};
    return reply{200, rest::checkpoint_status_view(status->done, status->checkpoint,
                                                   status->failure)};
  });
  add("POST", "/jobs/([^/]+)/savepoints", [this](const httplib::Request& req,
                                                 const std::smatch& m) {
    auto body = parse_body(req);
    allow_fields(body, {"target-directory", "cancel-job", "formatType", "triggerId"});
    bool cancel = boolean_field(body, "cancel-job");
    return trigger_savepoint(m[1], body, "target-directory",
                             cancel ? cluster_gateway::after_savepoint::cancel
                                    : cluster_gateway::after_savepoint::keep_running);
  });
  add("POST", "/jobs/([^/]+)/stop", [this](const httplib::Request& req, const std::smatch& m) {
    auto body = parse_body(req);
    allow_fields(body, {"targetDirectory", "drain", "formatType", "triggerId"});
    bool drain = boolean_field(body, "drain");
    return trigger_savepoint(m[1], body, "targetDirectory",
                             drain ? cluster_gateway::after_savepoint::stop_and_drain
                                   : cluster_gateway::after_savepoint::stop);
  });
  add("GET", "/jobs/([^/]+)/savepoints/([^/]+)", [this](auto&, const std::smatch& m) {
    job_or_404(m[1]);
    auto status = cluster.savepoint(m[2]);
    if (!status)
      throw request_error{404, "there is no savepoint operation " + m[2].str() + " for job " +
                                 m[1].str()};
    return reply{200, rest::savepoint_status_view(status->done, status->location,
                                                  status->failure)};
  });
  add("GET", "/jobs/([^/]+)/exceptions", [this](auto&, const std::smatch& m) {
    return reply{200, rest::job_exceptions_view(job_or_404(m[1]))};
  });
  add("GET", "/jobs/([^/]+)/vertices/([^/]+)", [this](auto&, const std::smatch& m) {
    auto job = job_or_404(m[1]);
    return reply{200, rest::vertex_view(job, vertex_or_404(job, m[2]), epoch_millis())};
  });
  add("GET", "/jobs/([^/]+)/vertices/([^/]+)/metrics",
      [this](const httplib::Request& req, const std::smatch& m) {
        return reply{200, rest::metric_list_view(vertex_metrics(m), get_param(req))};
      });
  add("GET", "/jobs/([^/]+)/vertices/([^/]+)/subtasks/metrics",
      [this](const httplib::Request& req, const std::smatch& m) {
        return reply{200, rest::aggregated_metrics_view(vertex_metrics(m), get_param(req))};
      });
  add("GET", "/jobs/([^/]+)/vertices/([^/]+)/watermarks", [this](auto&, const std::smatch& m) {
    return reply{200, rest::watermarks_view(vertex_metrics(m))};
  });
  add("GET", "/jobs/([^/]+)/vertices/([^/]+)/backpressure", [this](auto&, const std::smatch& m) {
    return reply{200, rest::backpressure_view(vertex_metrics(m), epoch_millis())};
  });
  add("GET", "/jobmanager/metrics", [](const httplib::Request& req, auto&) {
    auto samples = metric_registry::instance().collect(metric_registry::now_ns());
    return reply{200, rest::metric_list_view(of_scope(std::move(samples), metric_scope::jobmanager),
                                             get_param(req))};
  });
  add("GET", "/taskmanagers/([^/]+)/metrics",
      [this](const httplib::Request& req, const std::smatch& m) {
        bool known = false;
        for (const auto& tm : cluster.task_managers())
          known |= tm.id == m[1];
        if (!known)
          throw request_error{404, "taskmanager " + m[1].str() + " not found"};
        return reply{200, rest::metric_list_view(
                            of_scope(reported_metrics::instance().of(m[1]), metric_scope::taskmanager),
                            get_param(req))};
      });
  add("GET", "/taskmanagers", [this](auto&, auto&) {
    return reply{200, rest::task_managers_view(cluster.task_managers(), epoch_millis())};
  });
  add("GET", "/taskmanagers/([^/]+)", [this](auto&, const std::smatch& m) {
    for (const auto& tm : cluster.task_managers())
      if (tm.id == m[1])
        return reply{200, rest::task_manager_view(tm, epoch_millis())};
    throw request_error{404, "taskmanager " + m[1].str() + " not found"};
  });
  add("GET", "/jobmanager/config",
      [this](auto&, auto&) { return reply{200, rest::cluster_config_view(config)}; });
  add("GET", "/jars", [this](const httplib::Request& req, auto&) {
    namespace fs = std::filesystem;
    json files = json::array();
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(upload_dir, ec)) {
      auto id = e.path().filename().string();
      auto time = fs::last_write_time(e.path(), ec);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::file_clock::to_sys(time).time_since_epoch())
                  .count();
      files.push_back(
        {{"id", id}, {"name", id.substr(33)}, {"uploaded", ms}, {"entry", json::array()}});
    }
    return reply{200, {{"address", "http://" + req.get_header_value("Host")}, {"files", files}}};
  });
  add("POST", "/jars/upload", [this](const httplib::Request& req, auto&) {
    require_web_submit();
    if (!req.has_file("jarfile"))
      throw request_error{400, "expected the job library as multipart field 'jarfile'"};
    auto file = req.get_file_value("jarfile");
    auto name = std::filesystem::path{file.filename}.filename().string();
    for (auto& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
        c = '_';
    if (name.size() < 4 || name.compare(name.size() - 3, 3, ".so") != 0 || name[0] == '.')
      throw request_error{400, "'" + file.filename + "' is not a job library: expected a .so file"};
    std::error_code ec;
    std::filesystem::create_directories(upload_dir, ec);
    auto path = std::filesystem::path{upload_dir} / (job_id::random().to_string() + "_" + name);
    std::ofstream out(path, std::ios::binary);
    out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
    if (!out)
      throw request_error{500, "cannot store the upload in " + upload_dir + " (web.upload.dir)"};
    return reply{200, {{"filename", path.string()}, {"status", "success"}}};
  });
  add("POST", "/jars/([^/]+)/run", [this](const httplib::Request& req, const std::smatch& m) {
    require_web_submit();
    auto id = jar_id_param(m[1]);
    std::ifstream in(std::filesystem::path{upload_dir} / id, std::ios::binary | std::ios::ate);
    if (!in)
      throw request_error{404, "jar " + id + " not found"};
    job_spec spec;
    spec.job = id;
    spec.library.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(spec.library.data(), static_cast<std::streamsize>(spec.library.size()));
    for (const auto& [key, value] : config.entries())
      spec.config[key] = value;
    read_run_request(parse_body(req), {"programArgsList", "parallelism", "flinkConfiguration", "savepointPath",
                      "allowNonRestoredState"},
                     spec);
    auto submitted = submit(std::move(spec));
    auto url = submitted.body["jobUrl"].get<std::string>();
    return reply{200, {{"jobid", url.substr(url.rfind('/') + 1)}}};
  });
  add("DELETE", "/jars/([^/]+)", [this](auto&, const std::smatch& m) {
    require_web_submit();
    auto id = jar_id_param(m[1]);
    std::error_code ec;
    if (!std::filesystem::remove(std::filesystem::path{upload_dir} / id, ec))
      throw request_error{404, "jar " + id + " not found"};
    return reply{200, json::object()};
  });
}

void rest_server::impl::serve(const httplib::Request& req, httplib::Response& res) {
  if (req.method == "GET") {
    if (const auto* asset = find_web_asset(req.path)) { // the web UI
      res.status = 200;
      res.set_content(asset->bytes.data(), asset->bytes.size(), std::string{asset->content_type});
      return;
    }
  }
  std::string path = req.path;
  if (path.rfind("/v1/", 0) == 0)
    path.erase(0, 3);
  reply r;
  try {
    static const std::regex dot_segment{R"((^|/)\.\.?(/|$))"};
    if (std::regex_search(path, dot_segment))
      throw request_error{400, "the path " + path + " must not contain '.' or '..' segments"};
    std::string allowed;
    bool answered = false;
    for (const auto& route : routes) {
      std::smatch m;
      if (!std::regex_match(path, m, route.pattern))
        continue;
      if (route.method == req.method) {
        r = route.run(req, m);
        answered = true;
        break;
      }
      allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    if (!answered && !allowed.empty()) {
      res.set_header("Allow", allowed);
      throw request_error{405, "method " + req.method + " is not allowed for " + path +
                                 "; allowed: " + allowed};
    }
    if (!answered)
      throw request_error{404, "not found: " + path};
  } catch (const request_error& e) {
    r = {e.status, rest::error_view(e.message)};
  } catch (const std::exception& e) {
    log->error("REST request {} {} failed: {}", req.method, req.path, e.what());
    r = {500, rest::error_view(std::string{"internal server error: "} + e.what())};
  }
  res.status = r.status;
  res.set_content(r.body.dump(), "application/json");
}

rest_server::rest_server(cluster_gateway& cluster, configuration config)
  : impl_(std::make_unique<impl>(cluster, std::move(config))) {}

rest_server::~rest_server() {
  stop();
}

result<std::uint16_t> rest_server::start(const std::string& address, std::uint16_t port) {
  int bound = port;
  if (port == 0)
    bound = impl_->server.bind_to_any_port(address);
  else if (!impl_->server.bind_to_port(address, port))
    bound = -1;
  if (bound <= 0)
    return failure{"cannot serve the REST API on " + address + ":" + std::to_string(port) +
                   " (rest.bind-address, rest.port): the address is in use or not available"};
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  return static_cast<std::uint16_t>(bound);
}

void rest_server::stop() {
  if (!impl_->thread.joinable())
    return;
  impl_->server.stop();
  impl_->thread.join();
}

} // namespace flinkcpp

#include "rest/rest_router.hpp"

#include <algorithm>
#include <charconv>

#include "config/config_values.hpp"

namespace flinkcpp::rest {

void router::add(std::string method, const std::string& pattern, handler h) {
  routes_.push_back({std::move(method), std::regex{"^" + pattern + "$"}, std::move(h)});
}

reply router::route(const httplib::Request& req, const std::string& path,
                    std::string& allowed) const {
  for (const auto& r : routes_) {
    std::smatch m;
    if (!std::regex_match(path, m, r.pattern))
      continue;
    if (r.method == req.method)
      return r.run(req, m);
    allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  if (!allowed.empty())
    throw request_error{405, "method " + req.method + " is not allowed for " + path +
                               "; allowed: " + allowed};
  throw request_error{404, "not found: " + path};
}

int status_of(errc code) {
  switch (code) {
    case errc::not_found:
      return 404;
    case errc::conflict:
      return 409;
    case errc::invalid_argument:
      return 400;
    case errc::unavailable:
      return 503;
    case errc::unspecified:
      break;
  }
  return 500;
}

job_id job_id_param(const std::string& text) {
  auto id = job_id::parse(text);
  if (!id)
    throw request_error{400, "'" + text + "' is not a job id: expected 32 hex digits"};
  return *id;
}

std::int64_t index_param(const std::string& name, const std::string& text) {
  std::int64_t value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0)
    throw request_error{400, "'" + text + "' is not a " + name +
                               ": expected an integer of at "
                               "least 0"};
  return value;
}

std::string local_path_param(const std::string& field, const std::string& text) {
  auto path = parse_local_path(text);
  if (!path)
    throw request_error{400, "invalid '" + field + "' '" + text + "': expected " + path.error()};
  return *path;
}

std::optional<std::string> query_param(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name.c_str()))
    return std::nullopt;
  return req.get_param_value(name.c_str());
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
  } catch (const json::out_of_range& e) { // a number beyond a double's range
    throw request_error{400,
                        std::string{"the request body holds a number out of range: "} + e.what()};
  }
}

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

job_info job_or_404(cluster_gateway& cluster, const std::string& text) {
  auto id = job_id_param(text);
  auto job = cluster.job(id);
  if (!job)
    throw request_error{404, "job " + text + " not found"};
  return std::move(*job);
}

std::size_t vertex_or_404(const job_info& job, const std::string& id) {
  const auto& vertices = job.graph->vertices();
  for (std::size_t v = 0; v < vertices.size(); ++v)
    if (vertices[v].id.to_string() == id)
      return v;
  throw request_error{404, "job " + job.id.to_string() + " has no vertex " + id};
}

task_manager_status task_manager_or_404(cluster_gateway& cluster, const std::string& id) {
  for (auto& tm : cluster.task_managers())
    if (tm.id == id)
      return std::move(tm);
  throw request_error{404, "taskmanager " + id + " not found"};
}

void require_running(const job_info& job) {
  if (job.status != job_status::running)
    throw request_error{409, "job " + job.id.to_string() + " is not running (" +
                               std::string{to_string(job.status)} + ")"};
}

} // namespace flinkcpp::rest

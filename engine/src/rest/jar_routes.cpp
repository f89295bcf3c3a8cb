// Job libraries uploaded over REST (Flink's jars): list, upload, run, plan,
// delete. Uploads and runs need web.submit.enable.

#include "api/job_library_store.hpp"
#include "api/job_registry.hpp"
#include "graph/plan_json.hpp"
#include "rest/run_request.hpp"

namespace flinkcpp::rest {

namespace {

/// Jar `text` of the path, checked to be a jar id (so that no parameter can
/// reach outside the upload directory).
std::string jar_id_param(const std::string& text) {
  if (!job_library_store::is_jar_id(text))
    throw request_error{400, "'" + text + "' is not a jar id: expected an id /jars lists"};
  return text;
}

void require_web_submit(const rest_context& c) {
  if (!c.web_submit)
    throw request_error{403, "job libraries cannot be uploaded or run here: "
                             "web.submit.enable is false"};
}

/// The spec of running uploaded library `id` as `req` asks.
run_request jar_run_request(const rest_context& c, const httplib::Request& req,
                            const std::string& id) {
  auto library = c.libraries.read(jar_id_param(id));
  if (!library)
    throw request_error{404, "jar " + id + " not found"};
  auto r = read_run_request(req, parse_body(req),
                            {"programArgs", "programArgsList", "parallelism", "entryClass", "jobId",
                             "flinkConfiguration", "savepointPath", "allowNonRestoredState",
                             "restoreMode"},
                            c.config);
  r.spec.job = id;
  r.spec.library = job_library::of(std::move(*library));
  return r;
}

/// Flink's JarEntryInfo of each job library `path` registers (none when it
/// cannot be loaded).
json entries_of(const std::string& path) {
  json entries = json::array();
  if (auto jobs = job_registry::instance().load_library(path))
    for (const auto* j : *jobs)
      entries.push_back({{"name", j->name}, {"description", j->description}});
  return entries;
}

} // namespace

void add_jar_routes(router& r, rest_context& c) {
  r.add("GET", "/jars", [&c](const httplib::Request& req, auto&) {
    json files = json::array();
    for (const auto& jar : c.libraries.list())
      files.push_back({{"id", jar.id},
                       {"name", jar.name},
                       {"uploaded", jar.uploaded_ms},
                       {"entry", entries_of(jar.path)}});
    return reply{
      200, {{"address", "http://" + req.get_header_value("Host")}, {"files", files}}, {}};
  });
  r.add("POST", "/jars/upload", [&c](const httplib::Request& req, auto&) {
    require_web_submit(c);
    if (!req.has_file("jarfile"))
      throw request_error{400, "expected the job library as multipart field 'jarfile'"};
    auto file = req.get_file_value("jarfile");
    auto stored = c.libraries.upload(file.filename, file.content);
    if (!stored)
      throw request_error{status_of(stored.code()), stored.code() == errc::invalid_argument
                                                      ? stored.error()
                                                      : stored.error() + " (web.upload.dir)"};
    return reply{200, {{"filename", stored->path}, {"status", "success"}}, {}};
  });
  r.add("POST", "/jars/([^/]+)/run", [&c](const httplib::Request& req, const std::smatch& m) {
    require_web_submit(c);
    auto id = submit(c, jar_run_request(c, req, m[1]));
    return reply{200, {{"jobid", id.to_string()}}, {}};
  });
  r.add("POST", "/jars/([^/]+)/plan", [&c](const httplib::Request& req, const std::smatch& m) {
    require_web_submit(c);
    auto request = jar_run_request(c, req, m[1]);
    auto graph = build_job_graph(request.spec);
    if (!graph)
      throw request_error{400, graph.error()};
    return reply{200, plan_json(**graph, request.id ? *request.id : job_id::random()), {}};
  });
  r.add("DELETE", "/jars/([^/]+)", [&c](auto&, const std::smatch& m) {
    require_web_submit(c);
    auto id = jar_id_param(m[1]);
    if (!c.libraries.remove(id))
      throw request_error{404, "jar " + id + " not found"};
    return reply{200, json::object(), {}};
  });
}

} // namespace flinkcpp::rest

// Job libraries uploaded over REST (Flink's jars): list, upload, run, plan,
// delete. Uploads and runs need web.submit.enable.

#include <cctype>
#include <filesystem>

#include "api/job_registry.hpp"
#include "graph/plan_json.hpp"
#include "rest/run_request.hpp"
#include "util/durable_file.hpp"
#include "util/file_system.hpp"

namespace flinkcpp::rest {

namespace {

namespace fs = std::filesystem;

/// The jar id of an uploaded library: "<32 hex>_<name>.so", nothing else (so
/// that no parameter can reach outside the upload directory).
std::string jar_id_param(const std::string& text) {
  static const std::regex form{R"(^[0-9a-f]{32}_[A-Za-z0-9][A-Za-z0-9._-]*\.so$)"};
  if (!std::regex_match(text, form) || text.find("..") != std::string::npos)
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
  auto path = fs::path{c.upload_dir} / jar_id_param(id);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw request_error{404, "jar " + id + " not found"};
  auto r = read_run_request(req, parse_body(req),
                            {"programArgs", "programArgsList", "parallelism", "entryClass", "jobId",
                             "flinkConfiguration", "savepointPath", "allowNonRestoredState",
                             "restoreMode"},
                            c.config);
  r.spec.job = id;
  r.spec.library.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  in.read(r.spec.library.data(), static_cast<std::streamsize>(r.spec.library.size()));
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
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(c.upload_dir, ec)) {
      auto id = e.path().filename().string();
      auto time = fs::last_write_time(e.path(), ec);
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::file_clock::to_sys(time).time_since_epoch())
                  .count();
      files.push_back({{"id", id},
                       {"name", id.substr(33)},
                       {"uploaded", ms},
                       {"entry", entries_of(e.path().string())}});
    }
    return reply{
      200, {{"address", "http://" + req.get_header_value("Host")}, {"files", files}}, {}};
  });
  r.add("POST", "/jars/upload", [&c](const httplib::Request& req, auto&) {
    require_web_submit(c);
    if (!req.has_file("jarfile"))
      throw request_error{400, "expected the job library as multipart field 'jarfile'"};
    auto file = req.get_file_value("jarfile");
    auto name = fs::path{file.filename}.filename().string();
    for (auto& ch : name)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-')
        ch = '_';
    if (name.size() < 4 || name.compare(name.size() - 3, 3, ".so") != 0 || name[0] == '.')
      throw request_error{400, "'" + file.filename + "' is not a job library: expected a .so file"};
    auto path = (fs::path{c.upload_dir} / (job_id::random().to_string() + "_" + name)).string();
    auto stored = file_system::current().create_directories(c.upload_dir);
    if (stored)
      stored = create_file_durably(path, file.content);
    if (!stored)
      throw request_error{500, "cannot store the upload (web.upload.dir): " + stored.error()};
    return reply{200, {{"filename", path}, {"status", "success"}}, {}};
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
    std::error_code ec;
    if (!fs::remove(fs::path{c.upload_dir} / id, ec))
      throw request_error{404, "jar " + id + " not found"};
    return reply{200, json::object(), {}};
  });
}

} // namespace flinkcpp::rest

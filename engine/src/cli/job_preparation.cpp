#include "cli/job_preparation.hpp"

#include <cstdlib>
#include <filesystem>

#include "api/job_registry.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"
#include "sql/sql_script.hpp"

namespace flinkcpp {

std::string user_library_directory() {
  namespace fs = std::filesystem;
  if (const char* home = std::getenv("FLINK_HOME"); home != nullptr && *home != '\0')
    return (fs::path{home} / "usrlib").string();
  std::error_code ec;
  auto binary = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return {};
  return (binary.parent_path().parent_path() / "usrlib").string();
}

result<void> check_job_kind(const std::string& job) {
  auto ends_with = [&](std::string_view suffix) {
    return job.size() >= suffix.size() &&
           job.compare(job.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".jar"))
    return failure{"'" + job +
                   "' is a Java job (a JAR): flink-cpp runs built-in jobs and C++ "
                   "job libraries (.so, see flink-cpp list-jobs)"};
  if (ends_with(".py"))
    return failure{"'" + job +
                   "' is a PyFlink job, which flink-cpp does not support: give a "
                   "built-in job or a C++ job library (.so)"};
  return {};
}

result<std::vector<std::string>> sql_script_properties(const std::vector<std::string>& job_args) {
  try {
    auto script = sql::read_script_source(job_args::parse(job_args));
    std::vector<std::string> out;
    for (const auto& [key, value] : sql::script_settings(script))
      out.push_back(key + "=" + value);
    return out;
  } catch (const job_argument_error& e) {
    return failure{e.what()};
  }
}

result<prepared_job> prepare_job(const job_request& request) {
  if (auto kind = check_job_kind(request.job); !kind)
    return failure{kind.error()};
  prepared_job prepared;
  std::vector<std::string> properties = request.dynamic_properties;
  if (request.parallelism) {
    auto p = parse_integer(*request.parallelism, 1, INT32_MAX);
    if (!p)
      return failure{"invalid parallelism '" + *request.parallelism + "' for -p: expected " +
                     p.error()};
    properties.push_back(options::parallelism_default.key() + "=" + std::to_string(*p));
  }
  auto config = load_configuration(request.config_dir, properties, prepared.report);
  if (!config)
    return failure{config.error()};
  prepared.config = std::move(config.value());
  prepared.spec.job = request.job;
  prepared.spec.entry = request.entry;
  if (request.job.empty()) {
    auto found = job_registry::instance().resolve({}, request.entry, user_library_directory());
    if (!found)
      return failure{found.error()};
    prepared.spec.job = (*found)->library.empty() ? (*found)->name : (*found)->library;
    prepared.spec.entry = (*found)->library.empty() ? std::string{} : (*found)->name;
  }
  prepared.spec.args = request.job_args;
  for (const auto& [key, value] : prepared.config.entries())
    prepared.spec.config.emplace(key, value);
  auto graph = build_job_graph(prepared.spec);
  if (!graph)
    return failure{graph.error()};
  prepared.graph = std::move(graph.value());
  return prepared;
}

} // namespace flinkcpp

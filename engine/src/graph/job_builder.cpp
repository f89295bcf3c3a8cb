#include "graph/job_builder.hpp"

#include <stdexcept>

#include "api/job_library_store.hpp"
#include "api/job_registry.hpp"
#include "config/core_options.hpp"

namespace flinkcpp {

namespace {

std::string join(const std::vector<std::string>& names, const std::string& prefix) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + prefix + n;
  return out;
}

job_settings settings_from(const configuration& config, const std::string& job_name) {
  job_settings s;
  s.name = options::pipeline_name.get(config);
  if (s.name.empty())
    s.name = job_name;
  s.parallelism = static_cast<int>(options::parallelism_default.get(config));
  s.max_parallelism = static_cast<int>(options::max_parallelism.get(config));
  s.chaining = options::operator_chaining.get(config);
  s.reactive = options::scheduler_mode.get(config) == "reactive" ||
               options::scheduler.get(config) == "adaptive";
  auto mode = options::runtime_mode.get(config);
  if (mode == "BATCH")
    s.mode = runtime_mode::batch;
  else if (mode == "STREAMING")
    s.mode = runtime_mode::streaming;
  else
    s.mode = std::nullopt;
  return s;
}

/// Where uploaded `library` (of `job`) loads from: kept from the bytes the
/// spec holds, or kept here before (fetched).
result<std::string> path_of(const job_library& library, const std::string& job) {
  job_library_store store;
  if (library.bytes)
    return store.keep(library.digest, *library.bytes);
  if (auto path = store.kept(library.digest))
    return *path;
  return failure{"the library " + library.digest + " of job '" + job +
                 "' is not kept in this process"};
}

} // namespace

job_library job_library::of(std::string bytes) {
  job_library library;
  library.digest = job_library_store::digest_of(bytes);
  library.bytes = std::make_shared<const std::string>(std::move(bytes));
  return library;
}

bool lacks_library(const job_spec& spec) {
  return !spec.library.empty() && !spec.library.bytes &&
         !job_library_store{}.kept(spec.library.digest);
}

configuration configuration_of(const job_spec& spec) {
  configuration config;
  for (const auto& [key, value] : spec.config)
    config.set(key, value);
  return config;
}

result<std::shared_ptr<const job_graph>> build_job_graph(const job_spec& spec) {
  std::string reference = spec.job;
  if (!spec.library.empty()) {
    auto stored = path_of(spec.library, spec.job);
    if (!stored)
      return failure{stored.error()};
    reference = *stored;
  }
  auto job = job_registry::instance().resolve(reference, spec.entry);
  if (!job)
    return failure{job.error()};
  const job_definition& definition = **job;
  auto config = configuration_of(spec);
  stream_environment env{config};
  try {
    auto args = job_args::parse(spec.args);
    definition.build(env, args);
    auto unread = args.unread();
    if (!unread.empty()) {
      auto read = args.read_names();
      return failure{"unknown job argument " + join(unread, "--") + " for job '" + definition.name +
                     "'; it takes " +
                     (read.empty() ? std::string{"no arguments"} : join(read, "--"))};
    }
  } catch (const job_argument_error& e) {
    return failure{std::string{e.what()} + " (job '" + definition.name + "')"};
  } catch (const std::exception& e) {
    return failure{"job '" + definition.name + "' could not build its dataflow: " + e.what()};
  }
  auto graph = job_graph::build(env.graph(), settings_from(config, definition.name));
  if (!graph)
    return failure{graph.error()};
  return std::make_shared<const job_graph>(std::move(graph.value()));
}

} // namespace flinkcpp

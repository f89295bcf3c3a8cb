#include "cli/job_preparation.hpp"

#include <stdexcept>

#include "api/job_registry.hpp"
#include "config/config_loader.hpp"
#include "config/config_values.hpp"
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
  auto mode = options::runtime_mode.get(config);
  if (mode == "BATCH")
    s.mode = runtime_mode::batch;
  else if (mode == "STREAMING")
    s.mode = runtime_mode::streaming;
  else
    s.mode = std::nullopt;
  return s;
}

} // namespace

task_settings task_settings_from(const configuration& config) {
  task_settings t;
  t.buffer_timeout = options::buffer_timeout.get(config);
  t.credits_per_channel = static_cast<std::uint32_t>(options::buffers_per_channel.get(config));
  t.max_queued_per_channel =
    static_cast<std::uint32_t>(options::max_buffers_per_channel.get(config));
  t.batch_bytes = static_cast<std::size_t>(options::segment_size.get(config));
  return t;
}

result<prepared_job> prepare_job(const job_request& request) {
  prepared_job prepared;
  std::vector<std::string> properties = request.dynamic_properties;
  if (request.parallelism) {
    auto p = parse_integer(*request.parallelism, 1, INT32_MAX);
    if (!p)
      return failure{"invalid parallelism '" + *request.parallelism + "' for -p: expected " +
                     p.error()};
    properties.push_back(options::parallelism_default.key() + "=" + std::to_string(*p));
  }
  auto config = load_configuration(request.config_dir, properties, prepared.config_warnings);
  if (!config)
    return failure{config.error()};
  prepared.config = std::move(config.value());

  auto job = job_registry::instance().resolve(request.job);
  if (!job)
    return failure{job.error()};
  const job_definition& definition = **job;

  stream_environment env{prepared.config};
  try {
    auto args = job_args::parse(request.job_args);
    definition.build(env, args);
    auto unread = args.unread();
    if (!unread.empty()) {
      auto read = args.read_names();
      return failure{"unknown job argument " + join(unread, "--") + " for job '" +
                     definition.name + "'; it takes " +
                     (read.empty() ? std::string{"no arguments"} : join(read, "--"))};
    }
  } catch (const job_argument_error& e) {
    return failure{std::string{e.what()} + " (job '" + definition.name + "')"};
  } catch (const std::exception& e) {
    return failure{"job '" + definition.name + "' could not build its dataflow: " + e.what()};
  }

  auto graph = job_graph::build(env.graph(), settings_from(prepared.config, definition.name));
  if (!graph)
    return failure{graph.error()};
  prepared.graph = std::make_shared<const job_graph>(std::move(graph.value()));
  return prepared;
}

} // namespace flinkcpp

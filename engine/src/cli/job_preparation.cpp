#include "cli/job_preparation.hpp"

#include "config/config_loader.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"

namespace flinkcpp {

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
  prepared.spec.job = request.job;
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

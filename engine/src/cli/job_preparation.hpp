#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "graph/job_builder.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// What the user asked for on the command line.
struct job_request {
  std::string job;                             ///< built-in name or library path
  std::vector<std::string> job_args;           ///< everything after JOB
  std::optional<std::string> config_dir;      ///< --config-dir
  std::vector<std::string> dynamic_properties; ///< -D key=value
  std::optional<std::string> parallelism;      ///< -p, as typed
};

/// A job ready to run: its spec, validated configuration and job graph.
struct prepared_job {
  job_spec spec;
  configuration config;
  std::vector<std::string> config_warnings;
  std::shared_ptr<const job_graph> graph;
};

/// Loads the configuration (config.yaml, -D, -p) and builds the job's graph.
/// Every failure is one line saying what was wrong and what was expected;
/// nothing has started yet.
result<prepared_job> prepare_job(const job_request& request);

} // namespace flinkcpp

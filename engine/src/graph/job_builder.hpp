#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "graph/job_graph.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// What every process needs to build a job's graph again: which job, its
/// arguments and its configuration. Graph building is deterministic, so the
/// same spec gives the same graph (and the same vertex ids) everywhere; user
/// functions never travel.
struct job_spec {
  /// A built-in job's name or a job library's path (local:///path also works);
  /// for an uploaded library, its jar id.
  std::string job;
  /// Which of a library's jobs (Flink's entry class, -c); empty when the
  /// library registers one.
  std::string entry;
  std::vector<std::string> args;
  /// The job's effective configuration: cluster configuration, then -D, -p.
  std::map<std::string, std::string> config;
  /// The bytes of an uploaded job library (empty otherwise): every process
  /// stores them once, by content, and loads the library from there.
  std::string library;

  friend bool operator==(const job_spec&, const job_spec&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, job_spec& x) {
  return f(x.job, x.entry, x.args, x.config, x.library);
}

/// Finds the job, parses its arguments against what it reads, builds its
/// stream graph and the job graph from the spec's (validated) configuration.
/// Every failure is one line naming what was wrong. Blocking: may load a job
/// library; does not touch input or output paths (job_graph::validate_resources).
result<std::shared_ptr<const job_graph>> build_job_graph(const job_spec& spec);

/// The configuration a spec carries.
configuration configuration_of(const job_spec& spec);

} // namespace flinkcpp

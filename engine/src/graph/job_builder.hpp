#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "graph/job_graph.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// The job library a spec runs, when it was uploaded rather than named by a
/// path every process can read. Only its digest travels with the spec (its
/// serialization skips the bytes, which may be tens of megabytes): the
/// process it was submitted to holds the bytes, shared by every copy of the
/// spec there; another process fetches them once (a task executor from the
/// job master that deploys to it) and keeps them in its job_library_store.
struct job_library {
  /// job_library_store::digest_of(bytes); empty: no uploaded library.
  std::string digest;
  /// Where the library was submitted; null elsewhere. Immutable.
  std::shared_ptr<const std::string> bytes;

  /// The library of `bytes`, its digest computed.
  static job_library of(std::string bytes);

  bool empty() const noexcept { return digest.empty(); }
  friend bool operator==(const job_library& a, const job_library& b) {
    return a.digest == b.digest;
  }
};

template <class Inspector>
auto inspect(Inspector& f, job_library& x) {
  return f(x.digest);
}

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
  /// The uploaded job library it runs (empty otherwise).
  job_library library;

  friend bool operator==(const job_spec&, const job_spec&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, job_spec& x) {
  return f(x.job, x.entry, x.args, x.config, x.library);
}

/// Finds the job, parses its arguments against what it reads, builds its
/// stream graph and the job graph from the spec's (validated) configuration.
/// Every failure is one line naming what was wrong. Blocking: may load a job
/// library (an uploaded one from the bytes the spec holds, or else from this
/// process's job_library_store, which fails naming the digest when the
/// library is in neither); does not touch input or output paths
/// (job_graph::validate_resources).
result<std::shared_ptr<const job_graph>> build_job_graph(const job_spec& spec);

/// Whether `spec` runs an uploaded library that this process neither holds
/// nor keeps (build_job_graph would fail): it must fetch it first.
bool lacks_library(const job_spec& spec);

/// The configuration a spec carries.
configuration configuration_of(const job_spec& spec);

} // namespace flinkcpp

#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/job.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// A job the process knows: built in, or registered by a loaded job library.
struct job_definition {
  std::string name;
  std::string description;
  job_function build = nullptr;
  std::string library; ///< the shared library it came from; empty when built in
  /// The engine version and ABI number the job was compiled against.
  std::string built_for_version = FLINKCPP_VERSION_STRING;
  int built_for_abi = FLINKCPP_ABI_VERSION;
};

/// The process-wide registry of jobs. Built-in jobs add themselves during
/// static initialization; job libraries add theirs while being loaded.
/// find() and all() are thread-safe; load_library() must not run concurrently
/// with itself.
class job_registry {
public:
  static job_registry& instance();

  void add(job_definition job);

  /// The job registered under `name`, or nullptr.
  const job_definition* find(std::string_view name) const;

  /// The built-in jobs, sorted by name.
  std::vector<const job_definition*> built_in() const;

  /// Loads a job library (a shared object built against flinkcpp's headers)
  /// and returns the jobs it registers (at least one). A library built
  /// against another ABI (FLINKCPP_ABI_VERSION) fails, naming both versions,
  /// and none of its jobs is registered.
  result<std::vector<const job_definition*>> load_library(const std::string& path);

  /// Resolves what a user typed as JOB: a built-in name, or the path of a job
  /// library (containing '/' or ending in ".so"; a local:// prefix, as in
  /// Flink's jarURI, is accepted). `entry` (Flink's entry class: -c/--class)
  /// picks one of the jobs a library registers; without it the library must
  /// register exactly one. With an empty `job`, `entry` names a built-in job or
  /// a job of a library in `library_dir` (Flink's usrlib); there it must be
  /// the only one of that name.
  result<const job_definition*> resolve(const std::string& job, const std::string& entry = {},
                                        const std::string& library_dir = {});

private:
  job_registry() = default;

  mutable std::mutex mutex_;
  std::deque<job_definition> jobs_;
  /// Libraries loaded so far (canonical path -> their jobs): a library's
  /// registration runs only on its first load.
  std::map<std::string, std::vector<const job_definition*>> libraries_;
};

} // namespace flinkcpp

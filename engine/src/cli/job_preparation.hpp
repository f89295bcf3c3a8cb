#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.hpp"
#include "flinkcpp/configuration.hpp"
#include "graph/job_builder.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// What the user asked for on the command line.
struct job_request {
  std::string job;                             ///< built-in name or library path; may be empty
  std::string entry;                           ///< -c/--class, --job-classname
  std::vector<std::string> job_args;           ///< everything after JOB
  std::optional<std::string> config_dir;       ///< --config-dir
  std::vector<std::string> dynamic_properties; ///< -D key=value
  std::optional<std::string> parallelism;      ///< -p, as typed
};

/// A job ready to run: its spec, validated configuration and job graph.
struct prepared_job {
  job_spec spec;
  configuration config;
  config_report report; ///< what loading the configuration noticed
  std::shared_ptr<const job_graph> graph;
};

/// Flink's usrlib: $FLINK_HOME/usrlib, else usrlib beside the folder of the
/// running binary (/opt/flink/usrlib for /opt/flink/bin/flink-cpp). Job
/// libraries there are found by job name (standalone-job --job-classname).
std::string user_library_directory();

/// Refuses a JOB flink-cpp cannot run, saying what it is: a Java job (.jar)
/// or a PyFlink job (.py).
result<void> check_job_kind(const std::string& job);

/// The configuration the script of the built-in `sql` job sets: its SET
/// statements as key=value, read from the job's arguments (--file PATH or
/// --script TEXT). Fails with the script's error (line, column, caret) when
/// it cannot be read or parsed.
result<std::vector<std::string>> sql_script_properties(const std::vector<std::string>& job_args);

/// Loads the configuration (config.yaml, -D, -p) and builds the job's graph.
/// A request without a job names one with `entry` (or none: the only job of
/// the libraries in user_library_directory()); the spec then names the job
/// found. Every failure is one line saying what was wrong and what was
/// expected; nothing has started yet.
result<prepared_job> prepare_job(const job_request& request);

} // namespace flinkcpp

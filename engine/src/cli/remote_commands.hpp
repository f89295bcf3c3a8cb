#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace flinkcpp {

/// `flink-cpp run -m HOST:PORT ...`: what to submit where.
struct remote_run_request {
  std::string address;                  ///< -m HOST:PORT
  std::string job;                      ///< built-in name, local:// URI, or a local file to upload
  std::vector<std::string> job_args;
  std::vector<std::string> properties;  ///< -D key=value, the job's configuration
  std::optional<std::string> parallelism;
  bool detached = false;                ///< -d
};

/// Submits a job over REST: a built-in job or a local:// library with POST
/// /jobs; a local library file is uploaded (POST /jars/upload) and run (POST
/// /jars/:jarid/run). Prints the job id; unless detached, waits for the job and
/// returns 0 when it finished, 1 when it failed or was cancelled (with its
/// root cause), as every error: one line on stderr.
int run_remote(const remote_run_request& request);

/// `flink-cpp list -m HOST:PORT [-a]`: the running and restarting jobs (and,
/// with `all`, the ended ones), as Flink's CLI lists them.
int list_remote(const std::string& address, bool all);

/// `flink-cpp cancel -m HOST:PORT JOBID`.
int cancel_remote(const std::string& address, const std::string& job);

/// `flink-cpp savepoint -m HOST:PORT JOBID [DIR]` (POST /jobs/:jobid/savepoints),
/// or with `stop`, `flink-cpp stop -m HOST:PORT [--savepointPath DIR] JOBID`
/// (POST /jobs/:jobid/stop: the sources end after the savepoint; `drain`:
/// --drain, the final watermark goes out before it). Waits for the savepoint
/// and prints its path as Flink does.
int savepoint_remote(const std::string& address, const std::string& job,
                     const std::string& directory, bool stop, bool drain);

/// What `flink-cpp check` expects of a cluster.
struct cluster_expectation {
  int taskmanagers = 0; ///< registered taskmanagers, exactly
  int slots = 0;        ///< their slots in all, exactly
  std::string job;      ///< if set: this job runs or has finished
  std::chrono::seconds timeout{60};
};

/// `flink-cpp check -m HOST:PORT --taskmanagers N --slots S [--job ID]`
/// (the chart's `helm test`): asks GET /overview (and /jobs/:jobid) until the
/// cluster is as expected or `timeout` passed. Prints what it found; returns
/// 0 when it matched, 1 otherwise with one line naming what was expected and
/// what was there (a failed or failing job fails at once).
int check_remote(const std::string& address, const cluster_expectation& expected);

} // namespace flinkcpp

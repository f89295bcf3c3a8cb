#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli/rest_client.hpp"

namespace flinkcpp {

// The client's commands against a cluster's REST API. Each returns the
// process exit code (0, or 1 with one line on stderr saying what went wrong)
// and writes what Flink's CLI writes to stdout, so that scripts reading it
// keep working.

/// `flink-cpp run [-m HOST:PORT] ...`: what to submit where.
struct remote_run_request {
  rest_endpoint jobmanager; ///< -m HOST:PORT and the token
  std::string job;          ///< built-in name, local:// URI, or a local file to upload
  std::string entry;        ///< -c/--class
  std::vector<std::string> job_args;
  std::vector<std::string> properties; ///< -D key=value, the job's configuration
  std::optional<std::string> parallelism;
  bool detached = false;                  ///< -d
  bool shutdown_on_attached_exit = false; ///< -sae: SIGINT/SIGTERM cancels the job
};

/// Submits a job over REST: a built-in job or a local:// library with POST
/// /jobs; a local library file is uploaded (POST /jars/upload) and run (POST
/// /jars/:jarid/run). Prints "Job has been submitted with JobID <id>"; unless
/// detached, waits for the job and returns 0 when it finished (printing
/// Flink's "Job with JobID <id> has finished." and its runtime), 1 when it
/// failed or was cancelled (its root cause on stderr).
int run_remote(const remote_run_request& request);

/// Which jobs `flink-cpp list` shows (-r, -s, -a; none: running and
/// scheduled, as Flink).
struct list_selection {
  bool running = false;
  bool scheduled = false;
  bool all = false;
};

/// `flink-cpp list`: jobs as Flink's CLI lists them ("dd.MM.yyyy HH:mm:ss :
/// <id> : <name> (<state>)", oldest first, in sections).
int list_remote(const rest_endpoint& jobmanager, list_selection selection);

/// `flink-cpp cancel JOBID`.
int cancel_remote(const rest_endpoint& jobmanager, const std::string& job);

/// `flink-cpp savepoint JOBID [DIR]` (POST /jobs/:jobid/savepoints), or with
/// `stop`, `flink-cpp stop [--savepointPath DIR] JOBID` (POST
/// /jobs/:jobid/stop: the sources end after the savepoint; `drain`: the final
/// watermark goes out before it). Waits for the savepoint and prints its path
/// as Flink does.
int savepoint_remote(const rest_endpoint& jobmanager, const std::string& job,
                     const std::string& directory, bool stop, bool drain);

/// `flink-cpp savepoint --dispose PATH` (POST /savepoint-disposal): deletes a
/// savepoint or retained checkpoint no job uses.
int dispose_remote(const rest_endpoint& jobmanager, const std::string& path);

/// `flink-cpp checkpoint JOBID [--full]` (POST /jobs/:jobid/checkpoints):
/// triggers a checkpoint and waits for it.
int checkpoint_remote(const rest_endpoint& jobmanager, const std::string& job, bool full);

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
int check_remote(const rest_endpoint& jobmanager, const cluster_expectation& expected);

} // namespace flinkcpp

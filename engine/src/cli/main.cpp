// flink-cpp: one binary for every role, with Flink's CLI verbs.
//
//   flink-cpp jobmanager [-D key=value]... [--config-dir DIR]
//   flink-cpp taskmanager [-D key=value]... [--config-dir DIR]
//   flink-cpp run [-t local|remote] [-m HOST:PORT] [-p N] [-d] [-D key=value]... JOB [job args]
//   flink-cpp list [-m HOST:PORT] [-a]
//   flink-cpp cancel [-m HOST:PORT] JOBID
//   flink-cpp savepoint [-m HOST:PORT] JOBID [DIR]
//   flink-cpp stop [-m HOST:PORT] [--savepointPath DIR] JOBID
//   flink-cpp info [-p N] [-D key=value]... [--config-dir DIR] JOB [job args]
//   flink-cpp list-jobs
//   flink-cpp --version
//
// Errors are one line on stderr and a non-zero exit code. A job's own output
// (print()) is the only thing the client writes to stdout; the cluster
// processes log to stdout (what `kubectl logs` shows).

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "api/job_registry.hpp"
#include "cli/cluster_processes.hpp"
#include "cli/job_preparation.hpp"
#include "cli/local_runner.hpp"
#include "cli/remote_commands.hpp"
#include "config/config_loader.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"
#include "graph/plan_json.hpp"
#include "util/logging.hpp"

namespace {

using namespace flinkcpp;

/// Logging as `config` sets it (log.level, or `fallback`, and log.levels).
void configure_logging(log_destination destination, const configuration& config,
                       std::string_view fallback) {
  init_logging(destination,
               options::log_level.is_set(config) ? options::log_level.get(config) : fallback,
               parse_log_levels(options::log_levels.get(config)).value()); // validated
}

/// Configuration options every command takes.
struct config_options {
  std::vector<std::string> properties;
  std::string config_dir;

  void bind(CLI::App& cmd) {
    cmd.add_option("-D", properties, "A configuration override, key=value (repeatable)")
      ->allow_extra_args(false);
    cmd.add_option("--config-dir", config_dir,
                   "Directory holding config.yaml (default: $FLINK_CONF_DIR)");
  }

  std::optional<std::string> dir() const {
    return config_dir.empty() ? std::nullopt : std::optional<std::string>{config_dir};
  }

  /// The validated configuration (warnings logged), or a one-line error.
  result<configuration> load() const {
    std::vector<std::string> warnings;
    auto config = load_configuration(dir(), properties, warnings);
    if (config)
      configure_logging(log_destination::standard_error, *config, "WARN");
    for (const auto& w : warnings)
      logger("config")->warn("{}", w);
    return config;
  }
};

/// -m HOST:PORT, defaulting to rest.address:rest.port of the configuration.
struct jobmanager_option {
  std::string address;

  void bind(CLI::App& cmd) {
    cmd.add_option("-m,--jobmanager", address,
                   "REST address of the jobmanager, HOST:PORT (default: rest.address:rest.port)");
  }

  std::string resolve(const configuration& config) const {
    if (!address.empty())
      return address;
    return options::rest_address.get(config) + ":" +
           std::to_string(options::rest_port.get(config));
  }
};

/// The options `run` and `info` share, bound to a CLI11 subcommand.
struct job_options {
  std::string target;
  std::string parallelism;
  config_options config;
  jobmanager_option jobmanager;
  bool detached = false;
  std::string savepoint;
  bool allow_non_restored = false;

  /// `with_target`: run's -t, -d and -m; `with_savepoint`: -s and -n.
  void bind(CLI::App& cmd, bool with_target, bool with_savepoint) {
    if (with_target) {
      cmd.add_option("-t,--target", target,
                     "local (an embedded mini-cluster) or remote (the cluster at -m)");
      cmd.add_flag("-d,--detached", detached, "Do not wait for the job (remote target)");
      jobmanager.bind(cmd);
    }
    if (with_savepoint) {
      cmd.add_option("-s,--fromSavepoint", savepoint,
                     "Start from a savepoint or retained checkpoint (its directory or _metadata)");
      cmd.add_flag("-n,--allowNonRestoredState", allow_non_restored,
                   "Allow the savepoint to hold state of operators the job no longer has");
    }
    cmd.add_option("-p,--parallelism", parallelism, "Default parallelism of the job");
    config.bind(cmd);
    // JOB and its arguments are everything from the first positional on.
    cmd.prefix_command();
    std::string jobs;
    for (const auto* job : job_registry::instance().built_in())
      jobs += (jobs.empty() ? "" : ", ") + job->name;
    cmd.footer("JOB is a built-in job (" + jobs +
               ") or the path of a job library; everything after JOB is the job's own "
               "arguments (--name value).");
  }

  /// The job request, or a one-line usage error.
  result<job_request> request(const CLI::App& cmd) const {
    auto rest = cmd.remaining();
    if (rest.empty())
      return failure{"missing JOB: give a built-in job name (see 'flink-cpp list-jobs') or "
                     "the path of a job library"};
    if (rest.front().size() > 1 && rest.front()[0] == '-')
      return failure{"unknown option '" + rest.front() + "' for '" + cmd.get_name() +
                     "' (see flink-cpp " + cmd.get_name() + " --help)"};
    job_request r;
    r.job = rest.front();
    r.job_args.assign(rest.begin() + 1, rest.end());
    r.config_dir = config.dir();
    r.dynamic_properties = config.properties;
    if (!savepoint.empty())
      r.dynamic_properties.push_back(std::string{options::savepoint_path.key()} + "=" + savepoint);
    if (allow_non_restored)
      r.dynamic_properties.push_back(
        std::string{options::savepoint_ignore_unclaimed_state.key()} + "=true");
    if (cmd.count("-p") > 0)
      r.parallelism = parallelism;
    return r;
  }
};

int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

/// Prepares a job and sets up logging to `destination` (at `fallback` unless
/// log.level says otherwise): the client's (stderr, WARN) by default.
result<prepared_job> prepare(const job_options& opts, const CLI::App& cmd,
                             log_destination destination = log_destination::standard_error,
                             std::string_view fallback = "WARN") {
  auto request = opts.request(cmd);
  if (!request)
    return failure{request.error()};
  init_logging(destination, fallback);
  auto prepared = prepare_job(*request);
  if (!prepared)
    return prepared;
  configure_logging(destination, prepared->config, fallback);
  for (const auto& w : prepared->config_warnings)
    logger("config")->warn("{}", w);
  return prepared;
}

int run_command(const job_options& opts, const CLI::App& cmd) {
  if (!opts.target.empty() && opts.target != "local" && opts.target != "remote")
    return fail("unknown target '" + opts.target + "' for -t: expected local or remote");
  bool remote = opts.target == "remote" || (opts.target.empty() && !opts.jobmanager.address.empty());
  if (opts.target == "local" && !opts.jobmanager.address.empty())
    return fail("-m names a remote cluster, but -t local runs the job here: drop one of them");
  if (remote) {
    init_logging(log_destination::standard_error, "WARN");
    auto request = opts.request(cmd);
    if (!request)
      return fail(request.error());
    std::vector<std::string> warnings;
    auto client_config = load_configuration(opts.config.dir(), {}, warnings);
    if (!client_config)
      return fail(client_config.error());
    remote_run_request r;
    r.address = opts.jobmanager.resolve(*client_config);
    r.job = request->job;
    r.job_args = request->job_args;
    r.properties = request->dynamic_properties;
    r.parallelism = request->parallelism;
    r.detached = opts.detached;
    return run_remote(r);
  }
  if (opts.detached)
    return fail("-d (detached) needs a remote target; the local target runs attached");
  auto prepared = prepare(opts, cmd);
  if (!prepared)
    return fail(prepared.error());
  return run_local(*prepared);
}

int info_command(const job_options& opts, const CLI::App& cmd) {
  auto prepared = prepare(opts, cmd);
  if (!prepared)
    return fail(prepared.error());
  std::cout << plan_json(*prepared->graph, job_id::random()).dump(2) << "\n";
  return 0;
}

/// Loads the configuration of a cluster process, which logs to stdout.
result<configuration> process_configuration(const config_options& opts) {
  init_logging(log_destination::standard_output, "INFO");
  std::vector<std::string> warnings;
  auto config = load_configuration(opts.dir(), opts.properties, warnings);
  if (!config)
    return config;
  configure_logging(log_destination::standard_output, *config, "INFO");
  for (const auto& w : warnings)
    logger("config")->warn("{}", w);
  return config;
}

/// flink-cpp standalone-job: a jobmanager (logging to stdout) that runs the job.
int standalone_job_command(const job_options& opts, const CLI::App& cmd,
                           const std::string& id_text) {
  auto id = id_text.empty() ? std::optional<job_id>{job_id{}} : job_id::parse(id_text);
  if (!id)
    return fail("invalid job id '" + id_text + "' for --job-id: expected 32 hex digits");
  auto prepared = prepare(opts, cmd, log_destination::standard_output, "INFO");
  if (!prepared)
    return fail(prepared.error());
  return run_jobmanager(prepared->config, application_job{prepared->spec, *id});
}

int list_jobs_command() {
  for (const auto* job : job_registry::instance().built_in())
    std::cout << job->name << (job->description.empty() ? "" : "  " + job->description) << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN); // a closed stdout fails the job instead of killing the process

  CLI::App app{"flink-cpp: Apache Flink's stream processing model in C++"};
  app.set_version_flag("--version", std::string{"flink-cpp "} + FLINKCPP_VERSION);
  app.require_subcommand(1);

  job_options run_opts;
  auto* run = app.add_subcommand("run", "Run a job: flink-cpp run [options] JOB [job args]");
  run_opts.bind(*run, true, true);

  job_options info_opts;
  auto* info = app.add_subcommand("info", "Print a job's execution plan as JSON");
  info_opts.bind(*info, false, false);

  auto* list_jobs = app.add_subcommand("list-jobs", "List the built-in jobs");

  config_options jobmanager_opts;
  auto* jobmanager = app.add_subcommand("jobmanager", "Run a jobmanager (REST, RPC, job masters)");
  jobmanager_opts.bind(*jobmanager);

  job_options standalone_opts;
  std::string standalone_job_id;
  auto* standalone = app.add_subcommand(
    "standalone-job",
    "Run a jobmanager in application mode, running one job: flink-cpp standalone-job [options] "
    "JOB [job args]");
  standalone->add_option("--job-id", standalone_job_id,
                         "The job's id, 32 hex digits (default: all zeros, as Flink's); with "
                         "high-availability.type filesystem a jobmanager started again resumes "
                         "the job of this id");
  standalone_opts.bind(*standalone, false, true);

  config_options taskmanager_opts;
  auto* taskmanager = app.add_subcommand("taskmanager", "Run a taskmanager offering task slots");
  taskmanager_opts.bind(*taskmanager);

  config_options list_config;
  jobmanager_option list_address;
  bool list_all = false;
  auto* list = app.add_subcommand("list", "List the jobs of a cluster");
  list_config.bind(*list);
  list_address.bind(*list);
  list->add_flag("-a,--all", list_all, "Also list jobs that have ended");

  config_options cancel_config;
  jobmanager_option cancel_address;
  std::string cancel_job;
  auto* cancel = app.add_subcommand("cancel", "Cancel a job of a cluster");
  cancel_config.bind(*cancel);
  cancel_address.bind(*cancel);
  cancel->add_option("JOBID", cancel_job, "The job to cancel")->required();

  config_options savepoint_config;
  jobmanager_option savepoint_address;
  std::string savepoint_job;
  std::string savepoint_dir;
  auto* savepoint = app.add_subcommand("savepoint", "Take a savepoint of a running job");
  savepoint_config.bind(*savepoint);
  savepoint_address.bind(*savepoint);
  savepoint->add_option("JOBID", savepoint_job, "The job")->required();
  savepoint->add_option("DIR", savepoint_dir,
                        "Where the savepoint goes (default: state.savepoints.dir)");

  config_options stop_config;
  jobmanager_option stop_address;
  std::string stop_job;
  std::string stop_dir;
  bool stop_drain = false;
  auto* stop = app.add_subcommand("stop", "Stop a job with a savepoint");
  stop_config.bind(*stop);
  stop_address.bind(*stop);
  stop->add_option("-p,--savepointPath", stop_dir,
                   "Where the savepoint goes (default: state.savepoints.dir)");
  stop->add_flag("-d,--drain", stop_drain,
                 "Send the final watermark before the savepoint: event-time windows and "
                 "timers fire (do this when the job will not be resumed)");
  stop->add_option("JOBID", stop_job, "The job")->required();

  config_options check_config;
  jobmanager_option check_address;
  cluster_expectation expected;
  std::int64_t check_timeout = 60;
  auto* check = app.add_subcommand(
    "check", "Check that a cluster has the taskmanagers and slots expected (helm test)");
  check_config.bind(*check);
  check_address.bind(*check);
  check->add_option("--taskmanagers", expected.taskmanagers, "Taskmanagers expected")
    ->required()
    ->check(CLI::NonNegativeNumber);
  check->add_option("--slots", expected.slots, "Task slots expected in all")
    ->required()
    ->check(CLI::NonNegativeNumber);
  check->add_option("--job", expected.job, "A job expected to run (or to have finished)");
  check->add_option("--timeout", check_timeout, "Seconds to wait for it (default 60)")
    ->check(CLI::NonNegativeNumber);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(std::string{e.what()} + " (see flink-cpp --help)");
  }

  if (run->parsed())
    return run_command(run_opts, *run);
  if (info->parsed())
    return info_command(info_opts, *info);
  if (list_jobs->parsed())
    return list_jobs_command();
  if (standalone->parsed())
    return standalone_job_command(standalone_opts, *standalone, standalone_job_id);
  if (jobmanager->parsed() || taskmanager->parsed()) {
    auto config = process_configuration(jobmanager->parsed() ? jobmanager_opts : taskmanager_opts);
    if (!config)
      return fail(config.error());
    return jobmanager->parsed() ? run_jobmanager(*config) : run_taskmanager(*config);
  }
  if (savepoint->parsed() || stop->parsed()) {
    init_logging(log_destination::standard_error, "WARN");
    bool stopping = stop->parsed();
    auto config = (stopping ? stop_config : savepoint_config).load();
    if (!config)
      return fail(config.error());
    return savepoint_remote((stopping ? stop_address : savepoint_address).resolve(*config),
                            stopping ? stop_job : savepoint_job,
                            stopping ? stop_dir : savepoint_dir, stopping,
                            stopping && stop_drain);
  }
  if (list->parsed() || cancel->parsed()) {
    init_logging(log_destination::standard_error, "WARN");
    auto config = (list->parsed() ? list_config : cancel_config).load();
    if (!config)
      return fail(config.error());
    if (list->parsed())
      return list_remote(list_address.resolve(*config), list_all);
    return cancel_remote(cancel_address.resolve(*config), cancel_job);
  }
  if (check->parsed()) {
    init_logging(log_destination::standard_error, "WARN");
    auto config = check_config.load();
    if (!config)
      return fail(config.error());
    expected.timeout = std::chrono::seconds{check_timeout};
    return check_remote(check_address.resolve(*config), expected);
  }
  return fail("no command given (see flink-cpp --help)");
}

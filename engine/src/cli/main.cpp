// flink-cpp: one binary for every role, with Flink's CLI verbs (`flink` is
// another name for it in the image).
//
//   flink-cpp run [-t local|remote] [-m HOST:PORT] [-p N] [-d] [-c NAME] [-s PATH] [-n]
//                 [-rm claim|no_claim] [-sae] [-D key=value]... JOB [job args]
//   flink-cpp info [-p N] [-D key=value]... JOB [job args]
//   flink-cpp list [-m HOST:PORT] [-r] [-s] [-a]
//   flink-cpp cancel [-m HOST:PORT] JOBID
//   flink-cpp stop [-m HOST:PORT] [-p DIR] [-d] JOBID
//   flink-cpp savepoint [-m HOST:PORT] JOBID [DIR] | --dispose PATH
//   flink-cpp checkpoint [-m HOST:PORT] [--full] JOBID
//   flink-cpp jobmanager | taskmanager [-D key=value]... [--config-dir DIR]
//   flink-cpp standalone-job [--job-id ID] [-j NAME] [--jars LIB] [-s PATH] [-n] [JOB] [job args]
//   flink-cpp check -m HOST:PORT --taskmanagers N --slots S [--job ID]
//   flink-cpp list-jobs | help | --version
//
// Errors are one line on stderr and exit code 1, as Flink's CLI exits. What
// Flink's CLI prints on stdout (the JobID of a submitted job, savepoint paths,
// job lists) is printed on stdout; in a local run stdout carries only the
// job's own output (print()). The cluster processes log to stdout (what
// `kubectl logs` shows).

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "api/job_registry.hpp"
#include "cli/cluster_processes.hpp"
#include "cli/flink_arguments.hpp"
#include "cli/job_preparation.hpp"
#include "cli/local_runner.hpp"
#include "cli/remote_commands.hpp"
#include "cli/sql_client.hpp"
#include "config/config_loader.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"
#include "flinkcpp/version.hpp"
#include "graph/plan_json.hpp"
#include "util/logging.hpp"
#include "util/open_file_limit.hpp"

namespace {

using namespace flinkcpp;

constexpr const char* commands[] = {
  "run",        "info",        "list",           "cancel", "stop",      "savepoint", "checkpoint",
  "jobmanager", "taskmanager", "standalone-job", "check",  "list-jobs", "help",      "sql-client"};

int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

/// Logging as `config` sets it (log.level, or `fallback`, and log.levels);
/// a cluster process (`process`) also writes log.file.
result<void> configure_logging(log_destination destination, const configuration& config,
                               std::string_view fallback, bool process = false) {
  return init_logging(destination,
                      options::log_level.is_set(config) ? options::log_level.get(config) : fallback,
                      parse_log_levels(options::log_levels.get(config)).value(), // validated
                      process ? options::log_file.get(config) : std::string{});
}

/// Configuration options every command takes.
struct config_options {
  std::vector<std::string> properties;
  std::string config_dir;

  void bind(CLI::App& cmd) {
    cmd.add_option("-D", properties, "A configuration override, key=value (repeatable)")
      ->allow_extra_args(false);
    cmd.add_option("--config-dir", config_dir,
                   "Directory holding config.yaml or flink-conf.yaml (default: $FLINK_CONF_DIR)");
  }

  std::optional<std::string> dir() const {
    return config_dir.empty() ? std::nullopt : std::optional<std::string>{config_dir};
  }

  /// The validated configuration with `extra` overrides; what loading
  /// noticed goes to `report`.
  result<configuration> load(const std::vector<std::string>& extra, config_report& report) const {
    auto all = properties;
    all.insert(all.end(), extra.begin(), extra.end());
    return load_configuration(dir(), all, report);
  }

  /// The validated configuration of a client command (logging to stderr,
  /// what it noticed logged), or a one-line error.
  result<configuration> load() const {
    config_report report;
    auto config = load({}, report);
    if (config)
      (void)configure_logging(log_destination::standard_error, *config, "WARN");
    report.log();
    return config;
  }
};

/// -m HOST:PORT (or http:// or https://HOST:PORT), defaulting to rest.address:rest.port;
/// with the token of rest.authentication.token-file.
struct jobmanager_option {
  std::string address;

  void bind(CLI::App& cmd) {
    cmd.add_option(
      "-m,--jobmanager", address,
      "REST address of the jobmanager, HOST:PORT, http://HOST:PORT or https://HOST:PORT (default: "
      "rest.address:rest.port)");
  }

  rest_endpoint resolve(const configuration& config) const {
    return {address.empty() ? options::rest_address.get(config) + ":" +
                                std::to_string(options::rest_port.get(config))
                            : address,
            options::rest_authentication_token_file.get(config),
            security::rest_tls_settings(config)};
  }
};

/// The options `run`, `info` and `standalone-job` share, bound to a CLI11
/// subcommand.
struct job_options {
  std::string target;
  std::string parallelism;
  config_options config;
  jobmanager_option jobmanager;
  bool detached = false;
  bool shutdown_on_attached_exit = false;
  std::string savepoint;
  bool allow_non_restored = false;
  std::string restore_mode;
  std::string entry;
  std::string library; ///< standalone-job --jars

  enum class kind { run, info, standalone };

  void bind(CLI::App& cmd, kind k) {
    if (k == kind::run) {
      cmd.add_option("-t,--target", target,
                     "local (an embedded mini-cluster) or remote (the cluster at -m); default: "
                     "remote with -m, else execution.target");
      cmd.add_flag("-d,--detached", detached, "Do not wait for the job (remote target)");
      cmd.add_flag("--shutdownOnAttachedExit", shutdown_on_attached_exit,
                   "-sae: when the waiting client is interrupted (SIGINT, SIGTERM), cancel the "
                   "job");
      jobmanager.bind(cmd);
    }
    if (k != kind::info) {
      cmd.add_option("-s,--fromSavepoint", savepoint,
                     "Start from a savepoint or retained checkpoint (its directory or _metadata)");
      cmd.add_flag("-n,--allowNonRestoredState", allow_non_restored,
                   "Allow the savepoint to hold state of operators the job no longer has");
      cmd.add_option("--restoreMode", restore_mode,
                     "-rm: claim (the job owns the snapshot and deletes it once newer "
                     "checkpoints replace it) or no_claim (the default: never touched)");
    }
    if (k == kind::standalone) {
      cmd.add_option("-j,--job-classname", entry,
                     "The job to run: a built-in job, or a job of a library in usrlib "
                     "(default: the only job there)");
      cmd.add_option("--jars", library, "The job library to run the job from");
    } else {
      cmd.add_option("-c,--class", entry,
                     "Which job of a library registering several (Flink's entry class)");
    }
    cmd.add_option("-p,--parallelism", parallelism, "Default parallelism of the job");
    config.bind(cmd);
    // JOB and its arguments are everything from the first positional on.
    cmd.prefix_command();
    std::string jobs;
    for (const auto* job : job_registry::instance().built_in())
      jobs += (jobs.empty() ? "" : ", ") + job->name;
    cmd.footer(k == kind::standalone
                 ? "JOB is a built-in job (" + jobs +
                     ") or the path of a job library; with "
                     "--job-classname or --jars there is no JOB and every argument left is the "
                     "job's own."
                 : "JOB is a built-in job (" + jobs +
                     ") or the path of a job library; "
                     "everything after JOB is the job's own arguments (--name value).");
  }

  /// The job request, or a one-line usage error.
  result<job_request> request(const CLI::App& cmd) const {
    auto rest = cmd.remaining();
    job_request r;
    r.entry = entry;
    bool named_elsewhere =
      !library.empty() || (cmd.get_name() == "standalone-job" && !entry.empty());
    if (!named_elsewhere && !rest.empty() && rest.front().size() > 1 && rest.front()[0] == '-')
      return failure{"unknown option '" + rest.front() + "' for '" + cmd.get_name() +
                     "' (see flink-cpp " + cmd.get_name() + " --help)"};
    if (!library.empty()) {
      r.job = library;
    } else if (!named_elsewhere && !rest.empty()) {
      r.job = rest.front();
      rest.erase(rest.begin());
    } else if (!named_elsewhere && cmd.get_name() != "standalone-job") {
      return failure{"missing JOB: give a built-in job name (see 'flink-cpp list-jobs') or "
                     "the path of a job library"};
    }
    r.job_args = std::move(rest);
    r.config_dir = config.dir();
    r.dynamic_properties = config.properties;
    if (!savepoint.empty()) {
      auto path = parse_local_path(savepoint);
      if (!path)
        return failure{"invalid savepoint path '" + savepoint + "' for -s: expected " +
                       path.error()};
      r.dynamic_properties.push_back(options::savepoint_path.key() + "=" + *path);
    }
    if (allow_non_restored)
      r.dynamic_properties.push_back(options::savepoint_ignore_unclaimed_state.key() + "=true");
    if (!restore_mode.empty()) {
      auto mode = parse_choice(restore_mode, {"claim", "no_claim"});
      if (!mode)
        return failure{"invalid restore mode '" + restore_mode +
                       "' for -rm: expected claim or "
                       "no_claim"};
      r.dynamic_properties.push_back(options::claim_mode.key() + "=" + *mode);
    }
    if (cmd.count("-p") > 0)
      r.parallelism = parallelism;
    // A SQL script's SET statements are configuration, as in Flink's
    // client: applied after -D.
    if (r.job == "sql") {
      auto settings = sql_script_properties(r.job_args);
      if (!settings)
        return failure{settings.error()};
      r.dynamic_properties.insert(r.dynamic_properties.end(), settings->begin(), settings->end());
    }
    return r;
  }
};

/// Prepares a job and sets up logging to `destination` (at `fallback` unless
/// log.level says otherwise): the client's (stderr, WARN) by default.
result<prepared_job> prepare(const job_request& request,
                             log_destination destination = log_destination::standard_error,
                             std::string_view fallback = "WARN", bool process = false) {
  (void)init_logging(destination, fallback);
  auto prepared = prepare_job(request);
  if (!prepared)
    return prepared;
  if (auto logging = configure_logging(destination, prepared->config, fallback, process); !logging)
    return failure{logging.error()};
  prepared->report.log();
  return prepared;
}

int run_command(const job_options& opts, const CLI::App& cmd) {
  if (!opts.target.empty() && opts.target != "local" && opts.target != "remote")
    return fail("unknown target '" + opts.target +
                "' for -t: expected local or remote "
                "(flink-cpp deploys to Kubernetes with its Helm chart, not from the CLI)");
  if (opts.target == "local" && !opts.jobmanager.address.empty())
    return fail("-m names a remote cluster, but -t local runs the job here: drop one of them");
  (void)init_logging(log_destination::standard_error, "WARN");
  auto request = opts.request(cmd);
  if (!request)
    return fail(request.error());
  if (auto kind = check_job_kind(request->job); !kind)
    return fail(kind.error());
  std::string target = opts.target;
  if (target.empty() && !opts.jobmanager.address.empty())
    target = "remote";
  if (target != "local") {
    // Logged once: here for a remote run, by prepare() for a local one.
    config_report report;
    auto config = opts.config.load(request->dynamic_properties, report);
    if (!config)
      return fail(config.error());
    if (target.empty())
      target = options::execution_target.get(*config);
    if (target == "remote") {
      (void)configure_logging(log_destination::standard_error, *config, "WARN");
      report.log();
      remote_run_request r;
      r.jobmanager = opts.jobmanager.resolve(*config);
      r.job = request->job;
      r.entry = request->entry;
      r.job_args = request->job_args;
      r.properties = request->dynamic_properties;
      r.parallelism = request->parallelism;
      r.detached = opts.detached;
      r.shutdown_on_attached_exit = opts.shutdown_on_attached_exit;
      return run_remote(r);
    }
  }
  if (opts.detached)
    return fail("-d (detached) needs a remote target; the local target runs attached");
  auto prepared = prepare(*request);
  if (!prepared)
    return fail(prepared.error());
  return run_local(*prepared);
}

int info_command(const job_options& opts, const CLI::App& cmd) {
  auto request = opts.request(cmd);
  if (!request)
    return fail(request.error());
  auto prepared = prepare(*request);
  if (!prepared)
    return fail(prepared.error());
  std::cout << plan_json(*prepared->graph, job_id::random()).dump(2) << "\n";
  return 0;
}

/// Loads the configuration of a cluster process, which logs to stdout (and
/// log.file).
result<configuration> process_configuration(const config_options& opts) {
  (void)init_logging(log_destination::standard_output, "INFO");
  config_report report;
  auto config = load_configuration(opts.dir(), opts.properties, report);
  if (!config)
    return config;
  if (auto logging = configure_logging(log_destination::standard_output, *config, "INFO", true);
      !logging)
    return failure{logging.error()};
  report.log();
  return config;
}

/// flink-cpp standalone-job: a jobmanager (logging to stdout) that runs the job.
int standalone_job_command(const job_options& opts, const CLI::App& cmd,
                           const std::string& id_text) {
  auto id = id_text.empty() ? std::optional<job_id>{job_id{}} : job_id::parse(id_text);
  if (!id)
    return fail("invalid job id '" + id_text + "' for --job-id: expected 32 hex digits");
  auto request = opts.request(cmd);
  if (!request)
    return fail(request.error());
  auto prepared = prepare(*request, log_destination::standard_output, "INFO", true);
  if (!prepared)
    return fail(prepared.error());
  return run_jobmanager(prepared->config, application_job{prepared->spec, *id});
}

int list_jobs_command() {
  for (const auto* job : job_registry::instance().built_in())
    std::cout << job->name << (job->description.empty() ? "" : "  " + job->description) << "\n";
  return 0;
}

/// The verb of the command line, when it is none flink-cpp has.
std::optional<std::string> unknown_verb(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1].empty() || args[1][0] == '-')
    return std::nullopt;
  for (const char* c : commands)
    if (args[1] == c)
      return std::nullopt;
  return args[1];
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN); // a closed stdout fails the job instead of killing the process
  raise_open_file_limit(); // for every role: LevelDB tables and REST connections hold descriptors

  std::vector<std::string> given(argv, argv + argc);
  if (auto verb = unknown_verb(given)) {
    std::string list;
    for (const char* c : commands)
      list += (list.empty() ? "" : ", ") + std::string{c};
    std::fprintf(stderr,
                 "error: unknown command '%s'\ncommands: %s (flink-cpp COMMAND --help "
                 "tells more)\n",
                 verb->c_str(), list.c_str());
    return 1;
  }
  auto translated = translate_flink_arguments(std::move(given));
  if (!translated)
    return fail(translated.error());

  CLI::App app{"flink-cpp: Apache Flink's stream processing model in C++"};
  app.set_version_flag("-v,--version", std::string{"flink-cpp "} + FLINKCPP_VERSION_STRING);
  app.require_subcommand(1);

  job_options run_opts;
  auto* run = app.add_subcommand("run", "Run a job: flink-cpp run [options] JOB [job args]");
  run_opts.bind(*run, job_options::kind::run);

  job_options info_opts;
  auto* info = app.add_subcommand("info", "Print a job's execution plan as JSON");
  info_opts.bind(*info, job_options::kind::info);

  config_options sql_config;
  jobmanager_option sql_address;
  std::string sql_file;
  std::string sql_target;
  auto* sql_client = app.add_subcommand(
    "sql-client", "Flink's SQL client (embedded): run the statements of a script or of stdin");
  sql_config.bind(*sql_client);
  sql_address.bind(*sql_client);
  sql_client->add_option("-f,--file", sql_file, "The script to run (default: standard input)");
  sql_client
    ->add_option("-t,--target", sql_target,
                 "local (the default: jobs run in an embedded mini-cluster) or remote (the "
                 "cluster at -m)")
    ->check(CLI::IsMember({"local", "remote"}));

  auto* list_jobs = app.add_subcommand("list-jobs", "List the built-in jobs");
  auto* help = app.add_subcommand("help", "Print this help");

  config_options jobmanager_opts;
  auto* jobmanager = app.add_subcommand("jobmanager", "Run a jobmanager (REST, RPC, job masters)");
  jobmanager_opts.bind(*jobmanager);

  job_options standalone_opts;
  std::string standalone_job_id;
  auto* standalone = app.add_subcommand(
    "standalone-job",
    "Run a jobmanager in application mode, running one job: flink-cpp standalone-job [options] "
    "[JOB] [job args]");
  standalone->add_option("--job-id", standalone_job_id,
                         "The job's id, 32 hex digits (default: all zeros, as Flink's); with "
                         "high-availability.type filesystem a jobmanager started again resumes "
                         "the job of this id");
  standalone_opts.bind(*standalone, job_options::kind::standalone);

  config_options taskmanager_opts;
  auto* taskmanager = app.add_subcommand("taskmanager", "Run a taskmanager offering task slots");
  taskmanager_opts.bind(*taskmanager);

  config_options list_config;
  jobmanager_option list_address;
  list_selection selection;
  auto* list = app.add_subcommand("list", "List the jobs of a cluster");
  list_config.bind(*list);
  list_address.bind(*list);
  list->add_flag("-r,--running", selection.running, "Only running and restarting jobs");
  list->add_flag("-s,--scheduled", selection.scheduled, "Only scheduled jobs");
  list->add_flag("-a,--all", selection.all, "All jobs, also those that have ended");

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
  std::string dispose_path;
  std::string savepoint_type = "canonical";
  auto* savepoint = app.add_subcommand(
    "savepoint", "Take a savepoint of a running job, or dispose of one (--dispose PATH)");
  savepoint_config.bind(*savepoint);
  savepoint_address.bind(*savepoint);
  savepoint->add_option("-d,--dispose", dispose_path,
                        "Delete this savepoint or retained checkpoint (no job may use it)");
  savepoint
    ->add_option("--type", savepoint_type,
                 "-type: the savepoint's format; flink-cpp writes canonical savepoints")
    ->check(CLI::IsMember({"canonical"}, CLI::ignore_case));
  savepoint->add_option("JOBID", savepoint_job, "The job");
  savepoint->add_option(
    "DIR", savepoint_dir,
    "Where the savepoint goes (default: execution.checkpointing.savepoint-dir)");

  config_options stop_config;
  jobmanager_option stop_address;
  std::string stop_job;
  std::string stop_dir;
  std::string stop_type = "canonical";
  bool stop_drain = false;
  auto* stop = app.add_subcommand("stop", "Stop a job with a savepoint");
  stop_config.bind(*stop);
  stop_address.bind(*stop);
  stop->add_option("-p,--savepointPath", stop_dir,
                   "Where the savepoint goes (default: execution.checkpointing.savepoint-dir)");
  stop->add_flag("-d,--drain", stop_drain,
                 "Send the final watermark before the savepoint: event-time windows and "
                 "timers fire (do this when the job will not be resumed)");
  stop
    ->add_option("--type", stop_type,
                 "-type: the savepoint's format; flink-cpp writes canonical savepoints")
    ->check(CLI::IsMember({"canonical"}, CLI::ignore_case));
  stop->add_option("JOBID", stop_job, "The job")->required();

  config_options checkpoint_config;
  jobmanager_option checkpoint_address;
  std::string checkpoint_job;
  bool checkpoint_full = false;
  auto* checkpoint = app.add_subcommand("checkpoint", "Trigger a checkpoint of a running job");
  checkpoint_config.bind(*checkpoint);
  checkpoint_address.bind(*checkpoint);
  checkpoint->add_flag("--full", checkpoint_full,
                       "-full: a full checkpoint, also when checkpoints are incremental");
  checkpoint->add_option("JOBID", checkpoint_job, "The job")->required();

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

  std::vector<char*> args;
  for (auto& a : translated.value())
    args.push_back(a.data());
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc < 2)
      std::cout << app.help();
    return fail(std::string{e.what()} + " (see flink-cpp --help)");
  }

  if (run->parsed())
    return run_command(run_opts, *run);
  if (sql_client->parsed()) {
    (void)init_logging(log_destination::standard_error, "WARN");
    if (sql_target == "local" && !sql_address.address.empty())
      return fail("-m names a remote cluster, but -t local runs jobs here: drop one of them");
    config_report report;
    auto config = sql_config.load({}, report);
    if (!config)
      return fail(config.error());
    sql_client_request request;
    if (!sql_file.empty())
      request.script_file = sql_file;
    request.properties = sql_config.properties;
    request.config_dir = sql_config.dir();
    request.local = sql_target.empty() ? sql_address.address.empty() : sql_target == "local";
    request.jobmanager = sql_address.resolve(*config);
    return run_sql_client(request);
  }
  if (info->parsed())
    return info_command(info_opts, *info);
  if (list_jobs->parsed())
    return list_jobs_command();
  if (help->parsed()) {
    std::cout << app.help();
    return 0;
  }
  if (standalone->parsed())
    return standalone_job_command(standalone_opts, *standalone, standalone_job_id);
  if (jobmanager->parsed() || taskmanager->parsed()) {
    auto config = process_configuration(jobmanager->parsed() ? jobmanager_opts : taskmanager_opts);
    if (!config)
      return fail(config.error());
    return jobmanager->parsed() ? run_jobmanager(*config) : run_taskmanager(*config);
  }
  (void)init_logging(log_destination::standard_error, "WARN");
  if (savepoint->parsed()) {
    auto config = savepoint_config.load();
    if (!config)
      return fail(config.error());
    auto address = savepoint_address.resolve(*config);
    if (!dispose_path.empty()) {
      if (!savepoint_job.empty())
        return fail("--dispose takes a savepoint path, not a job: drop JOBID");
      return dispose_remote(address, dispose_path);
    }
    if (savepoint_job.empty())
      return fail("missing JOBID: give the job to take a savepoint of, or --dispose PATH");
    return savepoint_remote(address, savepoint_job, savepoint_dir, false, false);
  }
  if (stop->parsed()) {
    auto config = stop_config.load();
    if (!config)
      return fail(config.error());
    return savepoint_remote(stop_address.resolve(*config), stop_job, stop_dir, true, stop_drain);
  }
  if (checkpoint->parsed()) {
    auto config = checkpoint_config.load();
    if (!config)
      return fail(config.error());
    return checkpoint_remote(checkpoint_address.resolve(*config), checkpoint_job, checkpoint_full);
  }
  if (list->parsed() || cancel->parsed()) {
    auto config = (list->parsed() ? list_config : cancel_config).load();
    if (!config)
      return fail(config.error());
    if (list->parsed())
      return list_remote(list_address.resolve(*config), selection);
    return cancel_remote(cancel_address.resolve(*config), cancel_job);
  }
  if (check->parsed()) {
    auto config = check_config.load();
    if (!config)
      return fail(config.error());
    expected.timeout = std::chrono::seconds{check_timeout};
    return check_remote(check_address.resolve(*config), expected);
  }
  return fail("no command given (see flink-cpp --help)");
}

// flink-cpp: one binary for every role, with Flink's CLI verbs.
//
//   flink-cpp run [-t local] [-p N] [-D key=value]... [--config-dir DIR] JOB [job args]
//   flink-cpp info [-p N] [-D key=value]... [--config-dir DIR] JOB [job args]
//   flink-cpp list-jobs
//   flink-cpp --version
//
// Errors are one line on stderr and a non-zero exit code. A job's own output
// (print()) is the only thing written to stdout.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "api/job_registry.hpp"
#include "cli/job_preparation.hpp"
#include "cli/local_runner.hpp"
#include "config/core_options.hpp"
#include "graph/plan_json.hpp"
#include "util/logging.hpp"

namespace {

using namespace flinkcpp;

constexpr const char* version = "0.1.0";

/// The options `run` and `info` share, bound to a CLI11 subcommand.
struct job_options {
  std::string target;
  std::string parallelism;
  std::vector<std::string> properties;
  std::string config_dir;
  bool detached = false;

  void bind(CLI::App& cmd, bool with_target) {
    if (with_target) {
      cmd.add_option("-t,--target", target, "Where to run: local (an embedded mini-cluster)");
      cmd.add_flag("-d,--detached", detached, "Do not wait for the job (remote targets)");
    }
    cmd.add_option("-p,--parallelism", parallelism, "Default parallelism of the job");
    cmd.add_option("-D", properties, "A configuration override, key=value (repeatable)")
      ->allow_extra_args(false);
    cmd.add_option("--config-dir", config_dir,
                   "Directory holding config.yaml (default: $FLINK_CONF_DIR)");
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
    if (!config_dir.empty())
      r.config_dir = config_dir;
    r.dynamic_properties = properties;
    if (cmd.count("-p") > 0)
      r.parallelism = parallelism;
    return r;
  }
};

int fail(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return 1;
}

/// Prepares a job and sets up client logging (stderr; WARN unless log.level says otherwise).
result<prepared_job> prepare(const job_options& opts, const CLI::App& cmd) {
  auto request = opts.request(cmd);
  if (!request)
    return failure{request.error()};
  init_logging(log_destination::standard_error, "WARN");
  auto prepared = prepare_job(*request);
  if (!prepared)
    return prepared;
  if (options::log_level.is_set(prepared->config))
    init_logging(log_destination::standard_error, options::log_level.get(prepared->config));
  for (const auto& w : prepared->config_warnings)
    logger("config")->warn("{}", w);
  return prepared;
}

int run_command(const job_options& opts, const CLI::App& cmd) {
  if (!opts.target.empty() && opts.target != "local")
    return fail("unknown target '" + opts.target + "' for -t: expected local (remote "
                "submission to a running cluster is not available yet)");
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

int list_jobs_command() {
  for (const auto* job : job_registry::instance().built_in())
    std::cout << job->name << (job->description.empty() ? "" : "  " + job->description) << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN); // a closed stdout fails the job instead of killing the process

  CLI::App app{"flink-cpp: Apache Flink's stream processing model in C++"};
  app.set_version_flag("--version", std::string{"flink-cpp "} + version);
  app.require_subcommand(1);

  job_options run_opts;
  auto* run = app.add_subcommand("run", "Run a job: flink-cpp run [options] JOB [job args]");
  run_opts.bind(*run, true);

  job_options info_opts;
  auto* info = app.add_subcommand("info", "Print a job's execution plan as JSON");
  info_opts.bind(*info, false);

  auto* list_jobs = app.add_subcommand("list-jobs", "List the built-in jobs");

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
  return fail("no command given (see flink-cpp --help)");
}

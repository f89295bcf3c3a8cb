#include "cli/flink_arguments.hpp"

#include <algorithm>
#include <string_view>

namespace flinkcpp {

namespace {

struct spelling {
  std::string_view flink;
  std::string_view ours;
};

/// Flink's multi-letter single-dash options and their long forms.
constexpr spelling spellings[] = {
  {"-sae", "--shutdownOnAttachedExit"},
  {"-rm", "--restoreMode"},
  {"-full", "--full"},
  {"-type", "--type"},
};

constexpr std::string_view python_options[] = {
  "-py",           "--python",
  "-pym",          "--pyModule",
  "-pyfs",         "--pyFiles",
  "-pyarch",       "--pyArchives",
  "-pyexec",       "--pyExecutable",
  "-pyreq",        "--pyRequirements",
  "-pyclientexec", "--pyClientExecutable",
  "-pypath",       "--pyPythonPath",
};

/// Options of run, info and standalone-job that take the next argument as
/// their value (so that it is not taken for JOB).
constexpr std::string_view valued_options[] = {
  "-p",  "--parallelism", "-s",       "--fromSavepoint", "-c", "--class",
  "-m",  "--jobmanager",  "-t",       "--target",        "-D", "--config-dir",
  "-rm", "--restoreMode", "--job-id", "--job-classname", "-j", "--jarfile",
};

bool job_verb(std::string_view verb) {
  return verb == "run" || verb == "info" || verb == "standalone-job";
}

template <class Range>
bool contains(const Range& range, std::string_view value) {
  return std::find(std::begin(range), std::end(range), value) != std::end(range);
}

} // namespace

result<std::vector<std::string>> translate_flink_arguments(std::vector<std::string> args) {
  if (args.size() < 2)
    return args;
  bool stop_at_job = job_verb(args[1]);
  for (std::size_t i = 2; i < args.size(); ++i) {
    auto& a = args[i];
    if (stop_at_job && !a.empty() && a[0] != '-')
      break; // JOB: what follows is the job's own
    auto name = std::string_view{a}.substr(0, a.find('='));
    if (contains(python_options, name))
      return failure{"'" + std::string{name} +
                     "' runs a PyFlink job, which flink-cpp does not "
                     "support: give a built-in job or a C++ job library (see flink-cpp " +
                     args[1] + " --help)"};
    if (name.size() > 2 && name[0] == '-' && name[1] == 'y')
      return failure{"'" + std::string{name} +
                     "' is an option of Flink's YARN integration, "
                     "which flink-cpp does not have"};
    for (const auto& s : spellings)
      if (name == s.flink)
        a = std::string{s.ours} + a.substr(name.size());
    if (contains(valued_options, a))
      ++i;
  }
  return args;
}

} // namespace flinkcpp

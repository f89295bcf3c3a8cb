#include "support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "support/temp_dir.hpp"

extern char** environ;

namespace flinkcpp::testing {

namespace {

/// Under sanitizers (UBSAN_OPTIONS with a log_path, as ci/test.sh sets):
/// keeps the stderr of a child that printed a sanitizer report next to the
/// reports, where ci/test.sh finds it. A report can reach stderr instead of
/// the log path (from a job library with its own sanitizer runtime), and a
/// child killed at the end of a test is never looked at.
void keep_sanitizer_report(pid_t pid, const std::string& err) {
  const char* options = std::getenv("UBSAN_OPTIONS");
  if (options == nullptr || (err.find("runtime error:") == std::string::npos &&
                             err.find("Sanitizer: ") == std::string::npos))
    return;
  static const std::regex log_path{"(^|:)log_path=([^:]+)"};
  std::cmatch m;
  if (!std::regex_search(options, m, log_path))
    return;
  std::ofstream{m[2].str() + ".stderr." + std::to_string(pid)} << err;
}

} // namespace

child_process::child_process(const std::vector<std::string>& argv,
                             const std::string& working_directory)
  : capture_(std::make_unique<temp_dir>()) {
  auto out_path = capture_->file("stdout");
  auto err_path = capture_->file("stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!working_directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw std::runtime_error("cannot start " + argv[0]);
}

child_process::~child_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    keep_sanitizer_report(pid_, read_file(capture_->file("stderr")));
  }
}

void child_process::send_signal(int signal) const {
  if (pid_ > 0) // once waited for, pid_ is -1: kill(-1) would signal every process
    ::kill(pid_, signal);
}

process_result child_process::wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  process_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(capture_->file("stdout"));
  r.err = read_file(capture_->file("stderr"));
  keep_sanitizer_report(pid_, r.err);
  pid_ = -1;
  return r;
}

process_result run_process(const std::vector<std::string>& argv) {
  return child_process{argv}.wait();
}

std::string flink_cpp_binary() {
  return FLINKCPP_BINARY;
}

std::vector<std::string> flink_cpp(const std::vector<std::string>& args) {
  std::vector<std::string> argv{flink_cpp_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

process_result run_flink_cpp(const std::vector<std::string>& args) {
  return run_process(flink_cpp(args));
}

std::string submitted_job_id(const process_result& r) {
  static const std::regex job_line{"JobID ([0-9a-f]{32})"};
  std::smatch m;
  if (!std::regex_search(r.out, m, job_line))
    return {};
  return m[1];
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

} // namespace flinkcpp::testing

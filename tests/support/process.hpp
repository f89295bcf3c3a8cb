#pragma once

#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

namespace flinkcpp::testing {

class temp_dir;

struct process_result {
  int exit_code = -1; ///< 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

/// A program (found on the PATH unless argv[0] has a slash) started with
/// stdin from /dev/null and stdout/stderr captured,
/// in `working_directory` (empty: the test's). wait() must be called before
/// destruction (ctest's timeout bounds it).
class child_process {
public:
  explicit child_process(const std::vector<std::string>& argv,
                         const std::string& working_directory = {});
  ~child_process();

  /// Sends `signal` to the child; nothing once it was waited for.
  void send_signal(int signal) const;

  pid_t pid() const { return pid_; }

  /// Waits for the end and returns exit code and output.
  process_result wait();

private:
  std::unique_ptr<temp_dir> capture_;
  pid_t pid_ = -1;
};

/// Runs a program to its end.
process_result run_process(const std::vector<std::string>& argv);

/// The path of the flink-cpp binary under test.
std::string flink_cpp_binary();

/// The argv that runs the flink-cpp binary with `args`.
std::vector<std::string> flink_cpp(const std::vector<std::string>& args);

/// Runs the flink-cpp binary with `args` to its end.
process_result run_flink_cpp(const std::vector<std::string>& args);

/// The job id a `flink-cpp run` against a cluster printed on stdout, as a
/// script reads it (grep -oE 'JobID [0-9a-f]{32}'); empty when there is none.
std::string submitted_job_id(const process_result& r);

/// The lines of `text` (without their '\n').
std::vector<std::string> lines_of(const std::string& text);

} // namespace flinkcpp::testing

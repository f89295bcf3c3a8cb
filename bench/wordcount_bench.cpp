// WordCount throughput and memory, measured against baselines in the same run
// (these machines are noisy: compare ratios, not absolute times).
//
//   bench_wordcount [--megabytes N] [--repeat N] [--dir DIR]
//
// 1. Time: `flink-cpp run -t local -p 2 -D execution.runtime-mode=BATCH
//    wordcount` against a hand-written single-threaded word count of the same
//    text, on generated text and on real text (the system's licence and
//    copyright files repeated to the same size); both results are compared word
//    for word. Prints the engine's wall time over the loop's (target <= 0.6:
//    the two cores used) and its CPU time over the loop's (target <= 1.25).
// 2. Sinks and checkpoints: the same job in STREAMING mode on the real text,
//    every update written to part files (the exactly-once file sink) without
//    checkpoints and with one every second (ratio without / with, target
//    >= 0.95), and printed to /dev/null (print / file sink, target <= 1.3).
// 3. Memory: the same job in STREAMING mode printing every update to a pipe
//    that this program drains slower than the engine writes; prints the peak
//    RSS of the engine process for two input sizes (target: < 200 MB, flat).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_options.hpp"
#include "process_cost.hpp"
#include "text_corpus.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using counts = std::unordered_map<std::string, std::int64_t>;

/// The baseline: read in 1 MiB blocks, lowercase ASCII letters and digits into
/// a word, count words in a hash map.
counts hand_written_word_count(const std::string& path) {
  counts result;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  std::string word;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) {
      auto c = static_cast<unsigned char>(buffer[static_cast<std::size_t>(i)]);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word.push_back(static_cast<char>(c));
      } else if (c >= 'A' && c <= 'Z') {
        word.push_back(static_cast<char>(c - 'A' + 'a'));
      } else if (!word.empty()) {
        ++result[word];
        word.clear();
      }
    }
  }
  if (!word.empty())
    ++result[word];
  return result;
}

struct run_outcome {
  int exit_code = -1;
  double seconds = 0;
  double cpu_seconds = 0; ///< user + system
  long peak_rss_kb = 0;
};

/// Runs argv with stdout to `stdout_path` (or, when drain_slowly, to a pipe
/// read at most 64 KiB per millisecond), measuring time and peak RSS.
run_outcome run(const std::vector<std::string>& argv, const std::string& stdout_path,
                bool drain_slowly) {
  int pipe_fds[2] = {-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  if (drain_slowly) {
    if (::pipe(pipe_fds) != 0)
      std::exit(2);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto start = clock_type::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", args[0]);
    std::exit(2);
  }
  posix_spawn_file_actions_destroy(&actions);
  if (drain_slowly) {
    ::close(pipe_fds[1]);
    std::vector<char> buffer(std::size_t{64} * 1024);
    while (::read(pipe_fds[0], buffer.data(), buffer.size()) > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
    ::close(pipe_fds[0]);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  run_outcome r;
  r.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.peak_rss_kb = usage.ru_maxrss;
  r.cpu_seconds = flinkcpp::bench::cpu_seconds(usage);
  return r;
}

/// Reads "(word,count)" lines.
counts read_counts(const std::string& path) {
  counts result;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto comma = line.rfind(',');
    result[line.substr(1, comma - 1)] = std::stoll(line.substr(comma + 1));
  }
  return result;
}

/// Times the engine against the hand-written loop on `input` (best of
/// `repeat` runs each, interleaved), checks that their counts agree and prints
/// both with the ratios. Returns false if the engine fails or disagrees.
bool compare_with_loop(const std::string& label, const std::string& input,
                       const std::string& output, int repeat) {
  using flinkcpp::bench::cost;
  cost best_loop{1e9, 1e9};
  cost best_engine{1e9, 1e9};
  counts reference;
  for (int i = 0; i < repeat; ++i) {
    auto loop = flinkcpp::bench::measure([&] { reference = hand_written_word_count(input); });
    best_loop = {std::min(best_loop.wall, loop.wall), std::min(best_loop.cpu, loop.cpu)};
    fs::remove_all(output);
    auto r =
      run({FLINKCPP_BINARY, "run", "-t", "local", "-p", "2", "-D", "execution.runtime-mode=BATCH",
           "wordcount", "--input", input, "--output", output},
          "/dev/null", false);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "flink-cpp failed with exit code %d\n", r.exit_code);
      return false;
    }
    best_engine = {std::min(best_engine.wall, r.seconds), std::min(best_engine.cpu, r.cpu_seconds)};
  }
  bool same = read_counts(output) == reference;
  fs::remove_all(output);
  if (!same) {
    std::fprintf(stderr, "flink-cpp's counts differ from the hand-written word count\n");
    return false;
  }
  auto mb = static_cast<double>(fs::file_size(input)) / 1e6;
  std::printf("wordcount, %s, %.0f MB, BATCH:         wall      CPU\n", label.c_str(), mb);
  std::printf("  hand-written single-threaded    %7.3f s %7.3f s\n", best_loop.wall, best_loop.cpu);
  std::printf("  flink-cpp -p 2 (2 cores)        %7.3f s %7.3f s\n", best_engine.wall,
              best_engine.cpu);
  std::printf("  engine / hand-written           %7.2f   %7.2f     (targets <= 0.6, <= 1.25)\n",
              best_engine.wall / best_loop.wall, best_engine.cpu / best_loop.cpu);
  return true;
}

/// Part 2: STREAMING WordCount on `input` with the file sink, without and
/// with a checkpoint every second, and with print() (best of `repeat` runs
/// each, interleaved). Returns false if a run fails.
bool compare_sinks(const std::string& input, const std::string& dir, int repeat) {
  auto output = (fs::path{dir} / "wordcount-sink-output").string();
  auto checkpoints = (fs::path{dir} / "wordcount-sink-checkpoints").string();
  auto job = [&](std::vector<std::string> options, bool print) {
    std::vector<std::string> argv{FLINKCPP_BINARY, "run", "-t", "local", "-p", "2"};
    argv.insert(argv.end(), options.begin(), options.end());
    for (const char* a : {"wordcount", "--input"})
      argv.emplace_back(a);
    argv.push_back(input);
    if (!print) {
      argv.emplace_back("--output");
      argv.push_back(output);
    }
    fs::remove_all(output);
    auto r = run(argv, "/dev/null", false);
    fs::remove_all(output);
    if (r.exit_code != 0)
      std::fprintf(stderr, "flink-cpp failed with exit code %d\n", r.exit_code);
    return r;
  };
  double file = 1e9;
  double checkpointed = 1e9;
  double printed = 1e9;
  for (int i = 0; i < repeat; ++i) {
    auto a = job({}, false);
    auto b = job(
      {"-D", "execution.checkpointing.interval=1s", "-D", "state.checkpoints.dir=" + checkpoints},
      false);
    auto c = job({}, true);
    if (a.exit_code != 0 || b.exit_code != 0 || c.exit_code != 0)
      return false;
    file = std::min(file, a.seconds);
    checkpointed = std::min(checkpointed, b.seconds);
    printed = std::min(printed, c.seconds);
  }
  fs::remove_all(checkpoints);
  std::printf("sinks, real text, %.0f MB, STREAMING, -p 2, every update written:\n",
              static_cast<double>(fs::file_size(input)) / 1e6);
  std::printf("  file sink, no checkpoints       %7.3f s\n", file);
  std::printf("  file sink, a checkpoint a second%7.3f s   without / with %5.2f (target >= 0.95)\n",
              checkpointed, file / checkpointed);
  std::printf("  print() to /dev/null            %7.3f s   print / file   %5.2f (target <= 1.3)\n",
              printed, printed / file);
  return true;
}

} // namespace

int main(int argc, char** argv) {
  auto opts = flinkcpp::bench::parse_bench_options(
    "WordCount throughput against a hand-written loop, and peak memory with a slow sink", argc,
    argv);
  auto megabytes = opts.megabytes;
  auto repeat = opts.repeat;
  const auto& dir = opts.dir;
  const auto& input = opts.corpus;

  // 1. Time against the loop, on generated and on real text.
  auto output = (fs::path{dir} / "wordcount-output").string();
  if (!compare_with_loop("generated text", input, output, repeat) ||
      !compare_with_loop("real text", flinkcpp::bench::cached_real_text(dir, megabytes), output,
                         repeat))
    return 1;

  // 2. Sinks and checkpoints on the real text.
  if (!compare_sinks(flinkcpp::bench::cached_real_text(dir, megabytes), dir, repeat))
    return 1;

  // 3. Peak memory with a sink slower than the source, for two input sizes.
  std::printf("peak RSS, STREAMING, printing every update to a slow reader:\n");
  for (auto size : {megabytes / 4, megabytes}) {
    auto path = flinkcpp::bench::cached_corpus(dir, size);
    auto r = run({FLINKCPP_BINARY, "run", "-t", "local", "-p", "2", "wordcount", "--input", path},
                 "", true);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "flink-cpp failed with exit code %d\n", r.exit_code);
      return 1;
    }
    std::printf("  %4llu MB input  %7.1f s  peak RSS %6.1f MB   (target < 200 MB)\n",
                static_cast<unsigned long long>(size), r.seconds, r.peak_rss_kb / 1024.0);
  }
  return 0;
}

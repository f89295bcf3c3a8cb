// WordCount throughput and memory, measured against baselines in the same run
// (these machines are noisy: compare ratios, not absolute times).
//
//   bench_wordcount [--megabytes N] [--repeat N] [--dir DIR]
//
// 1. Throughput: `flink-cpp run -t local -p 2 -D execution.runtime-mode=BATCH
//    wordcount` against a hand-written single-threaded word count of the same
//    text; both results are compared word for word. Prints engine/hand-written
//    (target: >= 0.5).
// 2. Memory: the same job in STREAMING mode printing every update to a pipe
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
    std::vector<char> buffer(64 * 1024);
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

} // namespace

int main(int argc, char** argv) {
  auto opts = flinkcpp::bench::parse_bench_options(
    "WordCount throughput against a hand-written loop, and peak memory with a slow sink", argc,
    argv);
  auto megabytes = opts.megabytes;
  auto repeat = opts.repeat;
  const auto& dir = opts.dir;
  const auto& input = opts.corpus;
  std::string binary = FLINKCPP_BINARY;
  auto output = (fs::path{dir} / "wordcount-output").string();

  // 1. Throughput: best of `repeat` runs each, interleaved.
  double best_hand = 1e9;
  double best_engine = 1e9;
  counts reference;
  for (int i = 0; i < repeat; ++i) {
    auto start = clock_type::now();
    reference = hand_written_word_count(input);
    best_hand =
      std::min(best_hand, std::chrono::duration<double>(clock_type::now() - start).count());
    fs::remove_all(output);
    auto r = run({binary, "run", "-t", "local", "-p", "2", "-D", "execution.runtime-mode=BATCH",
                  "wordcount", "--input", input, "--output", output},
                 "/dev/null", false);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "flink-cpp failed with exit code %d\n", r.exit_code);
      return 1;
    }
    best_engine = std::min(best_engine, r.seconds);
  }
  if (read_counts(output) != reference) {
    std::fprintf(stderr, "flink-cpp's counts differ from the hand-written word count\n");
    return 1;
  }
  fs::remove_all(output);
  double mb = static_cast<double>(megabytes);
  std::printf("wordcount throughput, %llu MB, BATCH:\n",
              static_cast<unsigned long long>(megabytes));
  std::printf("  hand-written single-threaded  %7.3f s  %7.1f MB/s\n", best_hand, mb / best_hand);
  std::printf("  flink-cpp -p 2 (2 cores)      %7.3f s  %7.1f MB/s\n", best_engine,
              mb / best_engine);
  std::printf("  ratio engine / hand-written   %7.2f   (target >= 0.5)\n", best_hand / best_engine);

  // 2. Peak memory with a sink slower than the source, for two input sizes.
  std::printf("peak RSS, STREAMING, printing every update to a slow reader:\n");
  for (auto size : {megabytes / 4, megabytes}) {
    auto path = flinkcpp::bench::cached_corpus(dir, size);
    auto r = run({binary, "run", "-t", "local", "-p", "2", "wordcount", "--input", path}, "", true);
    if (r.exit_code != 0) {
      std::fprintf(stderr, "flink-cpp failed with exit code %d\n", r.exit_code);
      return 1;
    }
    std::printf("  %4llu MB input  %7.1f s  peak RSS %6.1f MB   (target < 200 MB)\n",
                static_cast<unsigned long long>(size), r.seconds, r.peak_rss_kb / 1024.0);
  }
  return 0;
}

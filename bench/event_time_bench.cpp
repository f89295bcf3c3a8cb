// Event-time cost, against baselines measured in the same run.
//
//   bench_event_time [--megabytes N] [--repeat N] [--dir DIR]
//
// WordCount on the N MB corpus in the embedded mini-cluster (BATCH, -p 2),
// each line's words stamped with an event time (10 ms per line read):
// 1. Timestamps and watermarks on the hot path: the rolling count with
//    assign_timestamps_and_watermarks before key_by (a timestamp per record
//    through the hash edge, a watermark every 200 ms) against the same job
//    without. Prints without / with (target: >= 0.9).
// 2. Windows: the count per word and tumbling 1-hour event-time window against
//    the rolling count (each record into keyed map state, a timer per key and
//    window). Prints rolling / windowed (target: >= 0.5).
// 3. Session windows: the count per word and event-time session (gap 1 min)
//    against the rolling count (sessions merge as records arrive). Prints
//    rolling / sessions (target: >= 0.3).
// Each ratio is printed for wall time and for CPU time (the process's: the
// mini-cluster runs in it). All compare their results word for word (the
// windows' counts summed). Each runs --repeat times, in rounds of all four
// (a slow spell of the machine then slows every variant, not one); the
// best wall and the best CPU time of each count.

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "bench_options.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "process_cost.hpp"
#include "support/local_job.hpp"

namespace {

using flinkcpp::bench::cost;

struct timed_word {
  std::string word;
  std::int64_t count = 0;
  std::int64_t time = 0;
};

template <class Inspector>
auto inspect(Inspector& f, timed_word& w) {
  return f(w.word, w.count, w.time);
}

enum class variant { rolling, timestamped, windowed, sessions };

/// Word -> count over every record the sinks got, summed.
struct totals {
  std::mutex mutex;
  std::map<std::string, std::int64_t> counts;
};

/// The sink: sums each word's counts in its subtask and adds them to
/// `out` when the subtask closes (a lock per subtask, not per record).
struct counting_sink {
  totals* out;
  std::unordered_map<std::string, std::int64_t> counts{};

  void operator()(const timed_word& w) { counts[w.word] += w.count; }
  void close() {
    std::lock_guard<std::mutex> guard{out->mutex};
    for (const auto& [word, count] : counts)
      out->counts[word] += count;
  }
};

cost run(const std::string& corpus, variant v, totals& out) {
  flinkcpp::job_result r;
  auto c = flinkcpp::bench::measure([&] {
    r = flinkcpp::testing::run_job(
      [&](flinkcpp::stream_environment& env) {
        auto words = env.read_text_file(corpus).flat_map(
          [line = std::int64_t{0}](std::string_view text,
                                   flinkcpp::collector<timed_word>& collect) mutable {
            ++line;
            std::string word;
            for (std::size_t i = 0; i <= text.size(); ++i) {
              auto u = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
              if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9'))
                word.push_back(static_cast<char>(u));
              else if (u >= 'A' && u <= 'Z')
                word.push_back(static_cast<char>(u - 'A' + 'a'));
              else if (!word.empty())
                collect.collect(timed_word{std::exchange(word, {}), 1, line * 10});
            }
          });
        if (v != variant::rolling)
          words = words.assign_timestamps_and_watermarks(
            flinkcpp::watermark_strategy<timed_word>::for_monotonous_timestamps()
              .with_timestamp_assigner([](const timed_word& w) { return w.time; }));
        auto keyed = words.key_by(&timed_word::word);
        auto counts =
          v == variant::windowed
            ? keyed.window(flinkcpp::tumbling_event_time_windows::of(std::chrono::hours{1}))
                .sum(&timed_word::count)
          : v == variant::sessions
            ? keyed.window(flinkcpp::event_time_session_windows::with_gap(std::chrono::minutes{1}))
                .sum(&timed_word::count)
            : keyed.sum(&timed_word::count);
        counts.add_sink(counting_sink{&out});
      },
      [] {
        flinkcpp::job_settings s;
        s.name = "event-time-bench";
        s.parallelism = 2;
        s.mode = flinkcpp::runtime_mode::batch;
        return s;
      }());
  });
  if (r.status != flinkcpp::job_status::finished) {
    std::fprintf(stderr, "the job failed: %s\n", r.failure.c_str());
    std::exit(1);
  }
  return c;
}

/// The best wall and CPU time of each of `variants` over `repeat` rounds,
/// each round running every variant once (so that a slow spell of the
/// machine costs all variants alike rather than one); their word counts in
/// `out`.
template <std::size_t N>
std::array<cost, N> best_of(int repeat, const std::string& corpus,
                            const std::array<variant, N>& variants, std::array<totals, N>& out) {
  std::array<cost, N> best;
  for (int round = 0; round < repeat; ++round)
    for (std::size_t i = 0; i < N; ++i) {
      totals t;
      auto c = run(corpus, variants[i], t);
      if (round == 0 || c.wall < best[i].wall)
        best[i].wall = c.wall;
      if (round == 0 || c.cpu < best[i].cpu)
        best[i].cpu = c.cpu;
      out[i].counts = std::move(t.counts);
    }
  return best;
}

} // namespace

int main(int argc, char** argv) {
  auto opts = flinkcpp::bench::parse_bench_options(
    "Event-time cost: timestamps and watermarks, and windows, against WordCount", argc, argv);
  constexpr std::array variants{variant::rolling, variant::timestamped, variant::windowed,
                                variant::sessions};
  std::array<totals, variants.size()> counts;
  auto [plain, stamped, windows, merged] = best_of(opts.repeat, opts.corpus, variants, counts);
  for (const auto& c : counts)
    if (c.counts != counts[0].counts) {
      std::fprintf(stderr, "the variants counted different words\n");
      return 1;
    }
  auto mb = static_cast<double>(opts.megabytes);
  std::printf("wordcount, %.0f MB, BATCH, -p 2, in the embedded mini-cluster:\n", mb);
  auto line = [mb](const char* what, cost c) {
    std::printf("  %-40s %7.3f s  %6.1f MB/s  %7.3f s CPU\n", what, c.wall, mb / c.wall, c.cpu);
  };
  line("rolling count", plain);
  line("with timestamps and watermarks", stamped);
  line("per 1-hour event-time window", windows);
  line("per event-time session (gap 1 min)", merged);
  auto ratio = [](const char* what, cost baseline, cost measured, const char* target) {
    std::printf("  ratio %-34s %6.2f wall  %6.2f CPU   (target %s)\n", what,
                baseline.wall / measured.wall, baseline.cpu / measured.cpu, target);
  };
  ratio("without / with timestamps", plain, stamped, ">= 0.9");
  ratio("rolling / windowed", plain, windows, ">= 0.5");
  ratio("rolling / sessions", plain, merged, ">= 0.3");
  return 0;
}

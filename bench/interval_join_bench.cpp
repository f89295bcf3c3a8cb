// The interval join against a hand-written single-threaded hash join of the
// same data, measured in the same run.
//
//   bench_interval_join [--orders N] [--repeat N]
//
// N orders (order i at event time i ms) and 1.5 N shipments (shipment j of
// order 2j/3, from 1 s before to 11 s after it, so about one in twelve falls
// outside the bounds), made by the same generator functions on both sides:
// 1. the job, in the embedded mini-cluster at -p 2 (STREAMING): both
//    generated as datagen sources with watermarks 15 s behind (no record is
//    late), keyed by order id and interval-joined within [-1 s, +10 s],
//    each pair folded into a count and checksums in its sink subtask;
// 2. the baseline: one thread generating both, building a hash table of
//    the orders by id and probing it with each shipment, the same bounds
//    and folds.
// Prints baseline / job for wall time and for CPU time (the process's: the
// mini-cluster runs in it) (target: >= 0.5 wall). Both must find the same
// pairs (count and checksums). Each runs --repeat times, alternating; the
// best wall and the best CPU time of each count.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <unordered_map>

#include <CLI/CLI.hpp>

#include "flinkcpp/flinkcpp.hpp"
#include "process_cost.hpp"
#include "support/local_job.hpp"

namespace {

using flinkcpp::bench::cost;
using flinkcpp::bench::measure;

constexpr std::int64_t lower_ms = -1000;
constexpr std::int64_t upper_ms = 10000;

struct order {
  std::int64_t id = 0;
  std::int64_t time = 0;
  std::int64_t customer = 0;
  std::int64_t amount = 0;
};

template <class Inspector>
auto inspect(Inspector& f, order& x) {
  return f(x.id, x.time, x.customer, x.amount);
}

struct shipment {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t time = 0;
};

template <class Inspector>
auto inspect(Inspector& f, shipment& x) {
  return f(x.id, x.order_id, x.time);
}

struct match {
  std::int64_t order_id = 0;
  std::int64_t shipment_id = 0;
  std::int64_t customer = 0;
  std::int64_t delay = 0;
};

template <class Inspector>
auto inspect(Inspector& f, match& x) {
  return f(x.order_id, x.shipment_id, x.customer, x.delay);
}

order order_of(std::int64_t i) {
  return {i, i, i % 1000, i % 97};
}

shipment shipment_of(std::int64_t j) {
  auto id = j * 2 / 3;
  return {j, id, order_of(id).time - 1000 + (j * 7919) % 12000};
}

/// What both sides fold their pairs into.
struct folded {
  std::int64_t pairs = 0;
  std::int64_t delays = 0;
  std::int64_t ids = 0;

  void add(const match& m) {
    ++pairs;
    delays += m.delay;
    ids += m.order_id * 3 + m.shipment_id + m.customer;
  }
  void add(const folded& f) {
    pairs += f.pairs;
    delays += f.delays;
    ids += f.ids;
  }
  bool operator==(const folded&) const = default;
};

struct pair_of : flinkcpp::process_join_function<order, shipment, match> {
  void process_element(const order& o, const shipment& s, context&,
                       flinkcpp::collector<match>& out) override {
    out.collect({o.id, s.id, o.customer, s.time - o.time});
  }
};

/// Folds its subtask's pairs; adds them to the total as the subtask closes.
struct folding_sink {
  std::mutex* mutex;
  folded* total;
  folded mine{};

  void operator()(const match& m) { mine.add(m); }
  void close() {
    std::lock_guard<std::mutex> guard{*mutex};
    total->add(mine);
  }
};

folded run_job(std::int64_t orders) {
  std::mutex mutex;
  folded total;
  auto r = flinkcpp::testing::run_job(
    [&](flinkcpp::stream_environment& env) {
      auto o = env.datagen(order_of, static_cast<std::uint64_t>(orders))
                 .assign_timestamps_and_watermarks(
                   flinkcpp::watermark_strategy<order>::for_bounded_out_of_orderness(
                     std::chrono::seconds{15})
                     .with_timestamp_assigner([](const order& x) { return x.time; }));
      auto s = env.datagen(shipment_of, static_cast<std::uint64_t>(orders * 3 / 2))
                 .assign_timestamps_and_watermarks(
                   flinkcpp::watermark_strategy<shipment>::for_bounded_out_of_orderness(
                     std::chrono::seconds{15})
                     .with_timestamp_assigner([](const shipment& x) { return x.time; }));
      o.key_by(&order::id)
        .interval_join(s.key_by(&shipment::order_id))
        .between(std::chrono::milliseconds{lower_ms}, std::chrono::milliseconds{upper_ms})
        .process(pair_of{})
        .add_sink(folding_sink{&mutex, &total});
    },
    [] {
      flinkcpp::job_settings s;
      s.name = "interval-join-bench";
      s.parallelism = 2;
      return s;
    }());
  if (r.status != flinkcpp::job_status::finished) {
    std::fprintf(stderr, "the job failed: %s\n", r.failure.c_str());
    std::exit(1);
  }
  return total;
}

folded hash_join(std::int64_t orders) {
  std::unordered_map<std::int64_t, order> by_id;
  by_id.reserve(static_cast<std::size_t>(orders));
  for (std::int64_t i = 0; i < orders; ++i) {
    auto o = order_of(i);
    by_id.emplace(o.id, o);
  }
  folded out;
  for (std::int64_t j = 0; j < orders * 3 / 2; ++j) {
    auto s = shipment_of(j);
    auto found = by_id.find(s.order_id);
    if (found == by_id.end())
      continue;
    const auto& o = found->second;
    auto delay = s.time - o.time;
    if (delay >= lower_ms && delay <= upper_ms)
      out.add(match{o.id, s.id, o.customer, delay});
  }
  return out;
}

} // namespace

int main(int argc, char** argv) {
  std::int64_t orders = 2'000'000;
  int repeat = 3;
  CLI::App app{"The interval join against a single-threaded hash join of the same data"};
  app.add_option("--orders", orders, "Orders (shipments: 1.5 times as many)")
    ->check(CLI::Range(std::int64_t{1000}, std::int64_t{1'000'000'000}));
  app.add_option("--repeat", repeat, "Runs of each; the best counts")->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);

  cost job{};
  cost baseline{};
  folded job_pairs;
  folded baseline_pairs;
  for (int round = 0; round < repeat; ++round) {
    auto j = measure([&] { job_pairs = run_job(orders); });
    auto b = measure([&] { baseline_pairs = hash_join(orders); });
    if (round == 0 || j.wall < job.wall)
      job.wall = j.wall;
    if (round == 0 || j.cpu < job.cpu)
      job.cpu = j.cpu;
    if (round == 0 || b.wall < baseline.wall)
      baseline.wall = b.wall;
    if (round == 0 || b.cpu < baseline.cpu)
      baseline.cpu = b.cpu;
  }
  if (!(job_pairs == baseline_pairs)) {
    std::fprintf(stderr, "the join found %lld pairs, the hash join %lld (or other ones)\n",
                 static_cast<long long>(job_pairs.pairs),
                 static_cast<long long>(baseline_pairs.pairs));
    return 1;
  }
  std::printf("interval join of %lld orders and %lld shipments, %lld pairs:\n",
              static_cast<long long>(orders), static_cast<long long>(orders * 3 / 2),
              static_cast<long long>(job_pairs.pairs));
  std::printf("  %-44s %7.3f s  %7.3f s CPU\n", "hash join, one thread", baseline.wall,
              baseline.cpu);
  std::printf("  %-44s %7.3f s  %7.3f s CPU\n", "interval join, -p 2, embedded mini-cluster",
              job.wall, job.cpu);
  std::printf("  ratio hash join / interval join %6.2f wall  %6.2f CPU   (target >= 0.5 wall)\n",
              baseline.wall / job.wall, baseline.cpu / job.cpu);
  return 0;
}

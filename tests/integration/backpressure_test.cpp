// A sink that stops consuming stalls the whole pipeline: credits run out
// hop by hop until the source stops, so records in flight and batches alive
// stay bounded; once the sink resumes, every record arrives exactly once.

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "cluster/mini_cluster.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "metrics/metric_registry.hpp"
#include "support/local_job.hpp"
#include "support/wait.hpp"

using namespace flinkcpp;
using flinkcpp::testing::wait_until;

namespace {

/// Lets the test hold the sink's thread until it opens the gate.
struct gate {
  std::mutex mutex;
  std::condition_variable opened_cv;
  bool opened = false;

  void wait() {
    std::unique_lock<std::mutex> lock{mutex};
    opened_cv.wait(lock, [this] { return opened; });
  }

  void open() {
    {
      std::lock_guard<std::mutex> guard{mutex};
      opened = true;
    }
    opened_cv.notify_all();
  }
};

/// Whether every task of the job but the sink reports backpressure at once:
/// the stall has travelled from the sink through every hop to the source (a
/// task that merely waits for its first credits has no input yet and so is
/// not back-pressured, except a source).
bool stalled_up_to_the_source(const std::string& job_name) {
  int upstream = 0;
  for (const auto& s : metric_registry::instance().collect(metric_registry::now_ns())) {
    if (s.scope_kind() != metric_scope::task || s.name != "isBackPressured" ||
        s.label("job_name") != job_name || s.label("task_name").find("Sink:") != std::string::npos)
      continue;
    if (s.value != 1.0)
      return false;
    ++upstream;
  }
  return upstream == 3; // the source and both map subtasks
}

} // namespace

BOOST_AUTO_TEST_SUITE(backpressure)

BOOST_AUTO_TEST_CASE(a_stalled_sink_stops_the_source_and_bounds_memory) {
  constexpr std::int64_t count = 2'000'000;
  std::atomic<std::int64_t> produced{0};
  std::atomic<std::int64_t> consumed{0};
  std::atomic<std::int64_t> sum{0};
  gate sink_gate;

  job_settings settings;
  settings.name = "backpressure";
  settings.parallelism = 2;
  auto graph = flinkcpp::testing::build_graph(
    [&](stream_environment& env) {
      env
        .datagen(
          [&produced](std::int64_t i) {
            produced.fetch_add(1, std::memory_order_relaxed);
            return i;
          },
          count)
        .set_parallelism(1)
        .rebalance()
        .map([](std::int64_t x) { return x + 1; })
        .rebalance()
        .add_sink([&](std::int64_t x) {
          if (consumed.fetch_add(1) == 0)
            sink_gate.wait();
          sum.fetch_add(x, std::memory_order_relaxed);
        })
        .set_parallelism(1);
    },
    settings);

  task_settings tasks; // defaults: 32 KiB batches, 2 + 8 floating credits, 10 queued per channel
  mini_cluster::options opts;
  opts.slots_per_task_manager = 2;
  mini_cluster cluster{opts};
  auto result =
    std::async(std::launch::async, [&] { return cluster.execute(graph, tasks, job_id::random()); });

  BOOST_REQUIRE(wait_until([] { return stalled_up_to_the_source("backpressure"); }));

  // Per hop at most (queued + open) batches per output channel, and the
  // exclusive credits of every input channel plus the floating credits of
  // every input gate, plus one batch in every task's hands.
  const std::int64_t records_per_batch =
    static_cast<std::int64_t>(tasks.batch_bytes / sizeof(std::int64_t));
  const std::int64_t per_output = tasks.max_queued_per_channel + 1;
  const std::int64_t exclusive = tasks.credits_per_channel;
  const std::int64_t floating = tasks.floating_per_gate;
  const std::int64_t batch_bound =
    /* source -> 2 maps */ 2 * per_output + 2 * (exclusive + floating) +
    /* 2 maps -> sink */ 2 * per_output + (2 * exclusive + floating) + /* in hands */ 4;
  BOOST_TEST_MESSAGE("stalled after " << produced.load() << " of " << count << " records, "
                                      << spi::record_batch::live_count() << " batches alive");
  BOOST_TEST(produced.load() <= batch_bound * records_per_batch + 1024);
  BOOST_TEST(produced.load() < count / 4);
  BOOST_TEST(spi::record_batch::live_count() <= batch_bound);

  sink_gate.open();
  auto r = result.get();
  BOOST_TEST((r.status == job_status::finished), r.failure);
  BOOST_TEST(consumed.load() == count);
  BOOST_TEST(sum.load() == count * (count + 1) / 2);
}

BOOST_AUTO_TEST_SUITE_END()

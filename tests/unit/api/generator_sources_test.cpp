#include <boost/test/unit_test.hpp>

#include <chrono>
#include <vector>

#include <thread>

#include "flinkcpp/detail/generator_sources.hpp"
#include "flinkcpp/stream_environment.hpp"

using namespace flinkcpp::detail;
using namespace flinkcpp::spi;
using clock_type = std::chrono::steady_clock;

namespace {

struct recording_collector final : flinkcpp::collector<std::int64_t> {
  std::vector<std::int64_t> seen;
  void collect(std::int64_t&& x) override { seen.push_back(x); }
};

operator_context subtask(int index, int parallelism) {
  operator_context c;
  c.subtask_index = index;
  c.parallelism = parallelism;
  return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(generator_sources)

BOOST_AUTO_TEST_CASE(index_ranges_split_evenly_and_cover_everything) {
  for (std::uint64_t count : {0ull, 1ull, 7ull, 100ull, ~0ull}) {
    for (int p : {1, 3, 8}) {
      std::uint64_t next = 0;
      for (int i = 0; i < p; ++i) {
        auto r = index_range::of_subtask(count, i, p);
        BOOST_TEST(r.begin == next);
        BOOST_TEST(r.end - r.begin - count / static_cast<std::uint64_t>(p) <= 1u);
        next = r.end;
      }
      BOOST_TEST(next == count);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_snapshot_cuts_the_remaining_indexes_into_pieces_also_when_unbounded) {
  for (std::uint64_t count : {std::uint64_t{10}, flinkcpp::stream_environment::unbounded}) {
    index_ranges ranges{index_range{3, count}};
    ranges.advance(); // 4 onwards remain
    operator_snapshot snapshot;
    ranges.snapshot(snapshot);
    const auto& entries = snapshot.lists["ranges"].entries;
    BOOST_TEST(entries.size() == (count == 10 ? 6u : 32u));
    std::uint64_t next = 4;
    for (const auto& e : entries) {
      auto r = from_bytes<index_range>(e);
      BOOST_TEST(r.begin == next);
      BOOST_TEST(r.end > r.begin);
      next = r.end;
    }
    BOOST_TEST(next == count);
  }
}

BOOST_AUTO_TEST_CASE(datagen_never_exceeds_its_rate) {
  // 40 rows per second over 2 subtasks: 20 per second for this one.
  auto generator = [](std::int64_t i) { return i; };
  datagen_source<std::int64_t, decltype(generator)> source{generator, 1000, 40.0, subtask(0, 2)};
  recording_collector out;
  source.set_output(collector_ref::of<std::int64_t>(&out));
  auto before_open = clock_type::now();
  source.open();
  int waits = 0;
  while (out.seen.size() < 5) {
    auto r = source.poll(1024);
    double elapsed = std::chrono::duration<double>(clock_type::now() - before_open).count();
    BOOST_TEST(static_cast<double>(out.seen.size()) <= elapsed * 20.0 + 1.0);
    if (r.status == input_status::nothing_available) {
      ++waits;
      BOOST_TEST(r.retry_after.count() > 0);
      BOOST_TEST(r.retry_after <= std::chrono::milliseconds{50});
      std::this_thread::sleep_for(r.retry_after); // what the runtime's timer does
    }
  }
  BOOST_TEST(waits > 0);
  BOOST_TEST((out.seen == std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

BOOST_AUTO_TEST_CASE(bounded_datagen_ends_and_unbounded_does_not) {
  auto generator = [](std::int64_t i) { return i * 2; };
  datagen_source<std::int64_t, decltype(generator)> bounded{generator, 10, 0, subtask(1, 2)};
  recording_collector out;
  bounded.set_output(collector_ref::of<std::int64_t>(&out));
  bounded.open();
  BOOST_TEST((bounded.poll(3).status == input_status::more_available));
  BOOST_TEST((bounded.poll(100).status == input_status::end_of_input));
  BOOST_TEST((out.seen == std::vector<std::int64_t>{10, 12, 14, 16, 18}));
  BOOST_TEST(bounded.records_emitted() == 5); // the operator's numRecordsOut

  datagen_source<std::int64_t, decltype(generator)> endless{
    generator, flinkcpp::stream_environment::unbounded, 0, subtask(0, 1)};
  recording_collector more;
  endless.set_output(collector_ref::of<std::int64_t>(&more));
  endless.open();
  for (int i = 0; i < 3; ++i)
    BOOST_TEST((endless.poll(1000).status == input_status::more_available));
  BOOST_TEST(more.seen.size() == 3000u);
}

BOOST_AUTO_TEST_SUITE_END()

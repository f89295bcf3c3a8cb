#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <thread>

#include "flinkcpp/detail/generator_sources.hpp"
#include "flinkcpp/detail/source_reader_operator.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "support/range_source.hpp"

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

/// A datagen's reader in its operator, as subtask `index` of `parallelism`
/// runs it; the test plays its coordinator.
struct reader_subtask {
  using reader_operator = source_reader_operator<std::int64_t, index_split, index_splits>;
  recording_collector out;
  std::unique_ptr<reader_operator> op;

  template <class F>
  reader_subtask(const generator_source<std::int64_t, F>& source, int index, int parallelism) {
    auto context = subtask(index, parallelism);
    context.send_to_coordinator = [](std::string) {};
    op = std::make_unique<reader_operator>(
      source, flinkcpp::watermark_strategy<std::int64_t>::no_watermarks(), context);
    op->set_output(collector_ref::of<std::int64_t>(&out));
  }

  void give(const std::vector<index_split>& splits) {
    op->handle_coordinator_event(flinkcpp::testing::add_splits_event(splits));
  }
  void no_more() { op->handle_coordinator_event(flinkcpp::testing::no_more_splits_event()); }
};

/// What an enumerator assigned and to whom it said no more.
struct recording_host final : flinkcpp::split_enumerator_context<index_split> {
  explicit recording_host(int readers) : parallelism(readers) {}
  int parallelism;
  std::vector<std::pair<index_split, int>> assigned;
  std::vector<int> no_more;
  flinkcpp::metric_group group;

  int current_parallelism() const override { return parallelism; }
  std::map<int, flinkcpp::reader_info> registered_readers() const override { return {}; }
  void assign_split(index_split split, int subtask) override {
    assigned.emplace_back(std::move(split), subtask);
  }
  void signal_no_more_splits(int subtask) override { no_more.push_back(subtask); }
  void call_async(std::function<std::function<void()>()>, std::chrono::milliseconds) override {}
  flinkcpp::metric_group& metrics() override { return group; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(generator_sources)

BOOST_AUTO_TEST_CASE(each_subtask_gets_an_even_contiguous_range_of_indexes) {
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

BOOST_AUTO_TEST_CASE(datagen_never_exceeds_its_rate) {
  // 40 rows per second over 2 readers: 20 per second for this one.
  auto generator = [](std::int64_t i) { return i; };
  generator_source<std::int64_t, decltype(generator)> source{generator, 1000, 40.0};
  reader_subtask s{source, 0, 2};
  s.give({{"indexes-0", 0, 500}});
  auto before_start = clock_type::now();
  s.op->open();
  int waits = 0;
  while (s.out.seen.size() < 5) {
    auto r = s.op->poll(1024);
    double elapsed = std::chrono::duration<double>(clock_type::now() - before_start).count();
    BOOST_TEST(static_cast<double>(s.out.seen.size()) <= elapsed * 20.0 + 1.0);
    if (r.status == input_status::nothing_available) {
      ++waits;
      BOOST_TEST(r.retry_after.count() > 0);
      BOOST_TEST(r.retry_after <= std::chrono::milliseconds{50});
      std::this_thread::sleep_for(r.retry_after); // what the runtime's timer does
    }
  }
  BOOST_TEST(waits > 0);
  BOOST_TEST((s.out.seen == std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

BOOST_AUTO_TEST_CASE(datagen_cuts_its_indexes_into_a_split_per_reader_and_bounded_ones_end) {
  auto generator = [](std::int64_t i) { return i * 2; };
  generator_source<std::int64_t, decltype(generator)> bounded{generator, 10, 0};
  BOOST_TEST((bounded.get_boundedness() == flinkcpp::boundedness::bounded));
  recording_host host{2};
  auto enumerator = bounded.create_enumerator(host);
  enumerator->handle_split_request(1, "");
  enumerator->handle_split_request(0, "");
  enumerator->handle_split_request(1, "");
  BOOST_REQUIRE(host.assigned.size() == 2u);
  BOOST_TEST(host.assigned[0].first.next == 0u); // the first asker takes the first split
  BOOST_TEST(host.assigned[0].first.end == 5u);
  BOOST_TEST(host.assigned[1].first.next == 5u);
  BOOST_TEST(host.assigned[1].first.end == 10u);
  BOOST_TEST((host.no_more == std::vector<int>{1}));

  reader_subtask s{bounded, 1, 2};
  s.op->open();
  s.give({host.assigned[1].first});
  BOOST_TEST((s.op->poll(3).status == input_status::more_available));
  BOOST_TEST((s.op->poll(100).status == input_status::more_available));
  s.no_more();
  BOOST_TEST((s.op->poll(100).status == input_status::end_of_input));
  BOOST_TEST((s.out.seen == std::vector<std::int64_t>{10, 12, 14, 16, 18}));

  generator_source<std::int64_t, decltype(generator)> endless{
    generator, flinkcpp::stream_environment::unbounded, 0};
  BOOST_TEST((endless.get_boundedness() == flinkcpp::boundedness::continuous_unbounded));
  reader_subtask e{endless, 0, 1};
  e.op->open();
  e.give({{"indexes-0", 0, flinkcpp::stream_environment::unbounded}});
  for (int i = 0; i < 3; ++i)
    BOOST_TEST((e.op->poll(1000).status == input_status::more_available));
  BOOST_TEST(e.out.seen.size() == 3000u);
}

BOOST_AUTO_TEST_CASE(a_datagen_reader_cuts_what_is_left_into_pieces_for_a_rescale) {
  auto generator = [](std::int64_t i) { return i; };
  generator_source<std::int64_t, decltype(generator)> source{generator, 100, 0};
  reader_subtask s{source, 0, 1};
  s.op->open();
  s.give({{"indexes-0", 0, 100}});
  s.op->poll(36);
  flinkcpp::spi::operator_snapshot snapshot;
  s.op->snapshot_state(flinkcpp::checkpoint_id{1}, snapshot);
  const auto& entries = snapshot.lists.at("splits").entries;
  BOOST_TEST(entries.size() == 32u); // 64 left, in pieces of 2
  std::uint64_t next = 36;
  for (const auto& e : entries) {
    auto piece = from_bytes<index_split>(e);
    BOOST_TEST(piece.next == next);
    next = piece.end;
  }
  BOOST_TEST(next == 100u);
}

BOOST_AUTO_TEST_CASE(a_datagen_reader_reads_its_splits_in_the_order_of_their_indexes) {
  // A job restored at another parallelism deals the pieces of the old
  // readers out in the order of the old subtasks, whichever ranges they
  // read: a later range coming first must not be read first (its event
  // times would run the watermark past the earlier range's records).
  auto generator = [](std::int64_t i) { return i; };
  generator_source<std::int64_t, decltype(generator)> source{generator, 100, 0};
  reader_subtask s{source, 0, 1};
  s.op->open();
  s.give({{"indexes-1.0", 50, 53}, {"indexes-0.0", 10, 12}});
  s.op->poll(1);
  s.give({{"indexes-0.1", 20, 22}});
  s.no_more();
  while (s.op->poll(100).status != input_status::end_of_input) {
  }
  BOOST_TEST(s.out.seen == (std::vector<std::int64_t>{10, 11, 20, 21, 50, 51, 52}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

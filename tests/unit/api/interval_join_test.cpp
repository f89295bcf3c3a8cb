// The interval join operator on one subtask, driven record by record and
// watermark by watermark: pairs within inclusive and exclusive bounds with
// the larger timestamp, late records dropped and counted, and its keyed
// state empty again once the watermark passed every record.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "state/leveldb_store.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;

namespace {

struct left_record {
  std::string key;
  std::int64_t value = 0;
};

template <class Inspector>
auto inspect(Inspector& f, left_record& x) {
  return f(x.key, x.value);
}

struct right_record {
  std::string key;
  std::int64_t value = 0;
};

template <class Inspector>
auto inspect(Inspector& f, right_record& x) {
  return f(x.key, x.value);
}

/// "left value/right value@timestamp" for each pair.
struct describe : process_join_function<left_record, right_record, std::string> {
  void process_element(const left_record& l, const right_record& r, context& ctx,
                       collector<std::string>& out) override {
    out.collect(std::to_string(l.value) + "/" + std::to_string(r.value) + "@" +
                std::to_string(ctx.timestamp()));
  }
};

/// What the operator emitted.
struct emitted final : collector<std::string> {
  using collector<std::string>::collect;
  std::vector<std::string> items;
  void collect(std::string&& x) override { items.push_back(std::move(x)); }
};

using buffers = detail::interval_join_buffers<std::string, describe>;
using join_operator =
  detail::interval_join_operator<std::string left_record::*, std::string right_record::*, buffers>;

/// A LevelDB state backend in a temp directory.
struct leveldb_state {
  testing::temp_dir dir;
  leveldb_backend backend{settings(dir), "test-job", 0};

  static leveldb_settings settings(const testing::temp_dir& dir) {
    leveldb_settings s;
    s.local_dir = dir.path().string();
    return s;
  }
};

/// One interval join subtask, keyed by the records' key, within [lower,
/// upper], its state on the hashmap backend or (on_leveldb) on LevelDB.
struct join_subtask {
  testing::manual_clock clock{0};
  spi::record_timestamp now;
  metric_group metrics;
  emitted out;
  std::unique_ptr<leveldb_state> leveldb;
  std::unique_ptr<join_operator> op;

  join_subtask(std::int64_t lower, std::int64_t upper, bool on_leveldb = false) {
    spi::operator_context c;
    c.operator_id = "join";
    c.clock = &clock;
    c.metrics = metrics;
    if (on_leveldb) {
      leveldb = std::make_unique<leveldb_state>();
      c.state_backend = &leveldb->backend;
    }
    op = std::make_unique<join_operator>(&left_record::key, &right_record::key,
                                         buffers{describe{}, {lower, upper}}, c);
    op->set_output(spi::collector_ref::of<std::string>(&out));
    op->bind_timestamp(now);
    op->open();
  }

  void left(std::int64_t time, std::int64_t value, const std::string& key = "k") {
    auto batch = std::make_shared<spi::typed_batch<left_record>>();
    batch->records.push_back({key, value});
    batch->timestamps.push_back(time);
    op->process_batch(*batch);
  }

  void right(std::int64_t time, std::int64_t value, const std::string& key = "k") {
    auto batch = std::make_shared<spi::typed_batch<right_record>>();
    batch->records.push_back({key, value});
    batch->timestamps.push_back(time);
    op->process_batch2(*batch);
  }

  void watermark(std::int64_t w) { BOOST_REQUIRE(op->process_watermark(w) == w); }

  /// The bytes of keyed state (buffers and timers) a checkpoint would hold.
  std::size_t state_bytes() {
    spi::operator_snapshot snapshot;
    op->snapshot_state(checkpoint_id{1}, snapshot);
    std::size_t bytes = 0;
    if (snapshot.keyed)
      snapshot.keyed([&](int, std::string_view b) { bytes += b.size(); });
    return bytes;
  }

  std::int64_t late_dropped() { return metrics.counter("numLateRecordsDropped").count(); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(interval_joins)

BOOST_AUTO_TEST_CASE(pairs_within_inclusive_bounds_carry_the_larger_timestamp) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      join_subtask join{-1000, 2000, on_leveldb};
      join.left(10000, 1);
      join.right(8999, 10);  // 1001 before: out
      join.right(9000, 11);  // the lower bound
      join.right(12000, 12); // the upper bound
      join.right(12001, 13); // out
      join.left(10500, 2);   // finds 11 (-1500: out), 12 (+1500) and 13 (+1501)
      join.right(11000, 14, "other");
      auto items = join.out.items; // a left record meets the right ones in no particular order
      std::sort(items.begin(), items.end());
      BOOST_TEST((
        items == std::vector<std::string>{"1/11@10000", "1/12@12000", "2/12@12000", "2/13@12001"}));
    }
  }
}

BOOST_AUTO_TEST_CASE(exclusive_bounds_leave_out_the_records_on_them) {
  join_subtask join{-999, 1999}; // [-1000, 2000] with both bounds exclusive
  join.left(10000, 1);
  join.right(9000, 11);
  join.right(9001, 12);
  join.right(11999, 13);
  join.right(12000, 14);
  BOOST_TEST((join.out.items == std::vector<std::string>{"1/12@10000", "1/13@11999"}));
}

BOOST_AUTO_TEST_CASE(late_records_are_dropped_and_counted) {
  join_subtask join{0, 5000};
  join.left(1000, 1);
  join.watermark(3000);
  join.right(2999, 10); // behind the watermark
  join.right(3001, 11);
  BOOST_TEST((join.out.items == std::vector<std::string>{"1/11@3001"}));
  BOOST_TEST(join.late_dropped() == 1);
}

BOOST_AUTO_TEST_CASE(state_is_empty_again_once_the_watermark_passed_every_record) {
  // A left record waits until the watermark passed its time + upper, a
  // right one until its time - lower: then no record still to come can
  // match it, and its cleanup timer drops it. Records of a key come out of
  // order too: a record earlier than its side's first goes with that
  // first's timer.
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      join_subtask join{-1000, 2000, on_leveldb};
      for (int i = 0; i < 50; ++i) {
        auto at = (i % 2 == 0 ? i : 50 - i) * 100L;
        join.left(at, i, "k" + std::to_string(i % 7));
        join.right(at + 500, 100 + i, "k" + std::to_string(i % 7));
      }
      auto full = join.state_bytes();
      BOOST_TEST(full > 0u);
      join.watermark(4900 + 999); // before the last right record's cleanup (5400 + 1000)
      BOOST_TEST(join.state_bytes() > 0u);
      BOOST_TEST(join.state_bytes() < full);
      auto pairs = join.out.items.size();
      join.watermark(4900 + 2000 + 500); // past every cleanup time
      BOOST_TEST(join.state_bytes() == 0u);
      BOOST_TEST(join.out.items.size() == pairs); // cleanup emits nothing
      // What comes next joins only with what comes next.
      join.left(8000, 1000, "k0");
      join.right(8500, 2000, "k0");
      BOOST_TEST(join.out.items.back() == "1000/2000@8500");
      BOOST_TEST(join.out.items.size() == pairs + 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_record_without_a_timestamp_fails_saying_why) {
  join_subtask join{0, 1000};
  auto batch = std::make_shared<spi::typed_batch<left_record>>();
  batch->records.push_back({"k", 1});
  try {
    join.op->process_batch(*batch);
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()}.find("assign_timestamps_and_watermarks") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(bounds_that_leave_no_interval_are_refused) {
  stream_environment env;
  auto left = env.from_sequence(1, 2).key_by([](std::int64_t n) { return n; });
  auto right = env.from_sequence(1, 2).key_by([](std::int64_t n) { return n; });
  BOOST_CHECK_THROW(
    left.interval_join(right).between(std::chrono::seconds{2}, std::chrono::seconds{1}),
    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

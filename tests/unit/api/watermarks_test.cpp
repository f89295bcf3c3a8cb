#include <boost/test/unit_test.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/detail/timestamps_and_watermarks.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/collecting.hpp"
#include "support/manual_clock.hpp"
#include "support/timed_event.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

using event = testing::timed_event;

/// The timestamps the records were given, in order.
struct recording final : collector<event> {
  using collector<event>::collect;
  std::vector<std::int64_t> times;
  const spi::record_timestamp* now = nullptr;
  void collect(event&&) override { times.push_back(now->value); }
};

watermark_strategy<event> by_time(watermark_strategy<event> strategy) {
  return strategy.with_timestamp_assigner([](const event& e) { return e.time; });
}

watermark_strategy<event> bounded(std::chrono::milliseconds bound) {
  return by_time(watermark_strategy<event>::for_bounded_out_of_orderness(bound));
}

/// A timestamps-and-watermarks operator of `strategy` on `clock`, recording
/// what it passes on.
struct assigner {
  recording out;
  spi::record_timestamp now;
  std::unique_ptr<detail::timestamps_and_watermarks_operator<event>> op;

  explicit assigner(const watermark_strategy<event>& strategy,
                    const spi::processing_clock& clock = spi::processing_clock::system()) {
    spi::operator_context c;
    c.clock = &clock;
    op = std::make_unique<detail::timestamps_and_watermarks_operator<event>>(strategy, c);
    op->bind_timestamp(now);
    out.now = &now;
    op->set_output(spi::collector_ref::of<event>(&out));
  }

  void send(std::vector<event> events) {
    for (auto& e : events)
      op->collect(std::move(e));
  }

  /// The periodic emission, then what the operator's output reached.
  spi::generated_watermark periodic() {
    op->emit_periodic_watermark();
    return op->generated();
  }
};

/// A punctuated generator: a record whose key is "mark" carries a watermark
/// at its timestamp.
struct marks final : watermark_generator<event> {
  void on_event(const event& e, std::int64_t timestamp, watermark_output& output) override {
    if (e.key == "mark")
      output.emit_watermark(timestamp);
  }
  void on_periodic_emit(watermark_output&) override {}
};

/// A periodic generator of the user's: the watermark is the smallest
/// timestamp seen since the last emission.
struct smallest_since_last final : watermark_generator<event> {
  std::int64_t smallest = max_watermark;
  void on_event(const event&, std::int64_t timestamp, watermark_output&) override {
    smallest = std::min(smallest, timestamp);
  }
  void on_periodic_emit(watermark_output& output) override {
    if (smallest != max_watermark)
      output.emit_watermark(smallest);
    smallest = max_watermark;
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(watermarks)

BOOST_AUTO_TEST_CASE(bounded_out_of_orderness_trails_the_largest_timestamp_by_the_bound_and_1_ms) {
  assigner a{bounded(100ms)};
  BOOST_TEST(a.op->generates_watermarks());
  BOOST_TEST(a.periodic().watermark == min_watermark); // no record yet
  a.send({{1000, "k"}, {1500, "k"}, {1200, "k"}});
  BOOST_TEST((a.out.times == std::vector<std::int64_t>{1000, 1500, 1200})); // unchanged, in order
  BOOST_TEST(a.op->generated().watermark == min_watermark); // periodic: not before it is asked
  BOOST_TEST(a.periodic().watermark == 1399);
  BOOST_TEST(a.op->records_emitted() == 3);
}

BOOST_AUTO_TEST_CASE(a_restored_assigner_starts_from_the_least_checkpointed_watermark) {
  // Two subtasks' watermarks at a checkpoint (union state): a restored
  // subtask starts from the lesser, emitted before its first record, so a
  // record late before a failure is late when it is read again.
  assigner first{bounded(100ms)};
  first.send({{1000, "k"}, {1500, "k"}});
  BOOST_TEST(first.periodic().watermark == 1399);
  assigner second{bounded(100ms)};
  second.send({{2500, "k"}});
  BOOST_TEST(second.periodic().watermark == 2399);
  spi::operator_restore restore;
  for (auto* a : {&first, &second}) {
    spi::operator_snapshot snapshot;
    a->op->snapshot_state(checkpoint_id{1}, snapshot);
    const auto& list = snapshot.lists.at("watermark");
    BOOST_TEST((list.mode == spi::redistribution::union_all));
    auto& entries = restore.lists["watermark"];
    entries.insert(entries.end(), list.entries.begin(), list.entries.end());
  }
  recording out;
  spi::record_timestamp now;
  out.now = &now;
  std::vector<std::pair<std::int64_t, std::size_t>> emitted; // watermark, records before it
  detail::timestamps_and_watermarks_operator<event>* restored = nullptr;
  spi::operator_context c;
  c.clock = &spi::processing_clock::system();
  c.emit_generated = [&] {
    emitted.emplace_back(restored->generated().watermark, out.times.size());
  };
  detail::timestamps_and_watermarks_operator<event> op{bounded(100ms), c};
  restored = &op;
  op.bind_timestamp(now);
  op.set_output(spi::collector_ref::of<event>(&out));
  op.restore_state(restore);
  BOOST_TEST(op.generated().watermark == 1399);
  op.collect(event{1200, "k"}); // the generator restarted: 1099 would not do
  op.collect(event{1300, "k"});
  BOOST_TEST((emitted == std::vector<std::pair<std::int64_t, std::size_t>>{{1399, 0}}));
  op.emit_periodic_watermark(); // the generator's own, 1199, does not take it back
  BOOST_TEST(op.generated().watermark == 1399);
}

BOOST_AUTO_TEST_CASE(monotonous_timestamps_trail_by_1_ms) {
  assigner a{by_time(watermark_strategy<event>::for_monotonous_timestamps())};
  a.send({{42, "k"}});
  BOOST_TEST(a.periodic().watermark == 41);
}

BOOST_AUTO_TEST_CASE(timestamps_near_the_start_of_time_give_no_watermark) {
  assigner a{bounded(10ms)};
  a.send({{min_watermark + 5, "k"}});
  BOOST_TEST(a.periodic().watermark == min_watermark);
}

BOOST_AUTO_TEST_CASE(upstream_watermarks_are_replaced_but_the_end_of_input_passes) {
  assigner a{bounded(0ms)};
  BOOST_TEST(a.op->process_watermark(12345) == min_watermark);
  BOOST_TEST(a.op->process_watermark(max_watermark) == max_watermark);
}

BOOST_AUTO_TEST_CASE(a_punctuated_generator_emits_with_the_record_that_carries_the_mark) {
  assigner a{
    by_time(watermark_strategy<event>::for_generator([] { return std::make_unique<marks>(); }))};
  a.send({{10, "a"}, {20, "mark"}, {15, "b"}});
  BOOST_TEST(a.op->generated().watermark == 20); // no periodic emission needed
  a.send({{18, "mark"}});                        // a watermark never falls back
  BOOST_TEST(a.op->generated().watermark == 20);
  BOOST_TEST(a.periodic().watermark == 20);
}

BOOST_AUTO_TEST_CASE(a_periodic_generator_of_the_users_is_asked_at_each_emission) {
  assigner a{by_time(watermark_strategy<event>::for_generator(
    [] { return std::make_unique<smallest_since_last>(); }))};
  a.send({{50, "a"}, {30, "b"}});
  BOOST_TEST(a.periodic().watermark == 30);
  a.send({{90, "a"}, {70, "b"}});
  BOOST_TEST(a.periodic().watermark == 70);
  BOOST_TEST(a.periodic().watermark == 70); // nothing new
}

BOOST_AUTO_TEST_CASE(no_watermarks_keeps_the_timestamps_and_emits_none) {
  assigner a{by_time(watermark_strategy<event>::no_watermarks())};
  a.send({{5, "a"}, {7, "b"}});
  BOOST_TEST((a.out.times == std::vector<std::int64_t>{5, 7}));
  BOOST_TEST(a.periodic().watermark == min_watermark);
  BOOST_TEST(a.op->process_watermark(max_watermark) == max_watermark); // the end still ends
}

BOOST_AUTO_TEST_CASE(ingestion_time_stamps_records_with_the_clock_and_watermarks_follow_it) {
  testing::manual_clock clock{5000};
  assigner a{watermark_strategy<event>::for_ingestion_time(), clock};
  BOOST_TEST(a.periodic().watermark == 4999); // the clock moves the watermark, records or not
  a.send({{1, "a"}});
  clock.advance(20ms);
  a.send({{2, "b"}});
  clock.set(4000); // the clock was set back: the timestamps do not go back with it
  a.send({{3, "c"}});
  BOOST_TEST((a.out.times == std::vector<std::int64_t>{5000, 5020, 5020}));
  BOOST_TEST(a.periodic().watermark == 4999); // neither does the watermark
  clock.set(6000);
  BOOST_TEST(a.periodic().watermark == 5999);
}

BOOST_AUTO_TEST_CASE(a_stream_without_records_for_the_timeout_turns_idle_and_a_record_wakes_it) {
  testing::manual_clock clock{0};
  assigner a{bounded(0ms).with_idleness(100ms), clock};
  a.send({{10, "a"}});
  BOOST_TEST(!a.periodic().idle);
  clock.advance(99ms);
  BOOST_TEST(!a.periodic().idle);
  clock.advance(1ms);
  auto g = a.periodic();
  BOOST_TEST(g.idle);
  BOOST_TEST(g.watermark == 9);
  a.send({{30, "b"}});
  BOOST_TEST(!a.op->generated().idle); // the record wakes it at once
  BOOST_TEST(a.periodic().watermark == 29);
  clock.advance(100ms);
  BOOST_TEST(a.periodic().idle);
}

BOOST_AUTO_TEST_CASE(a_stream_that_never_has_a_record_turns_idle_after_the_timeout) {
  testing::manual_clock clock{0};
  assigner a{bounded(0ms).with_idleness(1s), clock};
  BOOST_TEST(!a.periodic().idle);
  clock.advance(1s);
  BOOST_TEST(a.periodic().idle);
}

BOOST_AUTO_TEST_CASE(strategies_that_cannot_work_are_refused_saying_why) {
  auto refused = [](auto make, const std::string& expected) {
    try {
      make();
      BOOST_ERROR("taken: " + expected);
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string{e.what()}.find(expected) != std::string::npos, e.what());
    }
  };
  refused([] { watermark_strategy<event>::for_bounded_out_of_orderness(-1ms); },
          "must not be negative");
  refused([] { bounded(0ms).with_idleness(0ms); }, "idle timeout must be positive");
  refused([] { by_time(watermark_strategy<event>::for_ingestion_time()); },
          "takes no timestamp assigner");
  stream_environment env;
  auto events = env.from_elements(std::vector<event>{{1, "a"}});
  refused(
    [&] {
      events.assign_timestamps_and_watermarks(
        watermark_strategy<event>::for_monotonous_timestamps());
    },
    "no timestamp assigner");
  events.assign_timestamps_and_watermarks(watermark_strategy<event>::for_ingestion_time());
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/detail/keyed_process_operator.hpp"
#include "flinkcpp/detail/window_fold_function.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/collecting.hpp"
#include "support/manual_clock.hpp"
#include "support/timed_event.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

using event = testing::timed_event;

/// Registers a timer at each event's time; on_timer emits "<key>@<time>".
struct timer_echo : keyed_process_function<std::string, event, std::string> {
  void process_element(const event& e, context& ctx, collector<std::string>&) override {
    ctx.timer_service().register_event_time_timer(e.time);
  }
  void on_timer(std::int64_t time, context& ctx, collector<std::string>& out) override {
    out.collect(ctx.current_key() + "@" + std::to_string(time));
  }
};

using timer_operator = detail::keyed_process_operator<event, std::string event::*, timer_echo>;

using strings = testing::collecting<std::string>;

/// Subtask `index` of `parallelism` of the timer_echo operator.
struct timer_subtask {
  strings out;
  std::unique_ptr<timer_operator> op;

  timer_subtask(int index, int parallelism) {
    spi::operator_context c;
    c.subtask_index = index;
    c.parallelism = parallelism;
    c.operator_id = "timers";
    op = std::make_unique<timer_operator>(&event::key, timer_echo{}, c);
    op->set_output(spi::collector_ref::of<std::string>(&out));
  }

  /// Feeds the events whose key group this subtask owns.
  void feed(const std::vector<event>& events, int parallelism, int index) {
    for (auto e : events)
      if (spi::key_groups_of_subtask(128, parallelism, index)
            .contains(spi::key_group_of(detail::key_hash(e.key), 128)))
        op->collect(std::move(e));
  }
};

/// The window ends `windows` gives `timestamp`.
std::vector<std::int64_t> ends_of(const fixed_windows& windows, std::int64_t timestamp) {
  std::vector<std::int64_t> ends;
  windows.for_each_window_end(timestamp, [&](std::int64_t end) { ends.push_back(end); });
  return ends;
}

/// Sums event times per key and window (the records' time fields), one
/// window-fold subtask on a manual clock; `sums` are the emitted sums and
/// `stamps` the timestamps they carried.
struct sum_times {
  void operator()(event& acc, event&& in) const { acc.time += in.time; }
};

struct window_subtask {
  using window = detail::window_fold_function<std::string, event, sum_times>;
  struct sums_of final : collector<event> {
    using collector<event>::collect;
    window_subtask* owner = nullptr;
    void collect(event&& e) override {
      owner->sums.push_back(e.time);
      owner->stamps.push_back(owner->now.value);
    }
  };

  testing::manual_clock clock{0};
  spi::record_timestamp now;
  std::vector<std::int64_t> sums;
  std::vector<std::int64_t> stamps;
  sums_of out;
  std::unique_ptr<detail::keyed_process_operator<event, std::string event::*, window>> op;

  window_subtask(const fixed_windows& windows, std::int64_t lateness) {
    spi::operator_context c;
    c.operator_id = "window";
    c.clock = &clock;
    out.owner = this;
    op = std::make_unique<detail::keyed_process_operator<event, std::string event::*, window>>(
      &event::key, window{windows, lateness, sum_times{}}, c);
    op->set_output(spi::collector_ref::of<event>(&out));
    op->bind_timestamp(now);
    op->open();
  }

  /// A record of event time `t` (its time field too).
  void at(std::int64_t t, const std::string& key = "k") {
    now.value = t;
    op->collect(event{t, key});
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(event_time)

BOOST_AUTO_TEST_CASE(timers_fire_in_time_order_once_the_watermark_reaches_them) {
  timer_subtask s{0, 1};
  s.feed({{30, "a"}, {10, "b"}, {20, "a"}, {10, "b"}, {40, "c"}}, 1, 0); // b@10 twice: once
  BOOST_TEST(s.op->process_watermark(9) == 9);
  BOOST_TEST(s.out.items.empty());
  s.op->process_watermark(30);
  BOOST_TEST((s.out.items == std::vector<std::string>{"b@10", "a@20", "a@30"}));
  s.op->process_watermark(max_watermark);
  BOOST_TEST(s.out.items.back() == "c@40");
  BOOST_TEST(s.out.items.size() == 4u);
}

BOOST_AUTO_TEST_CASE(timers_are_checkpointed_and_move_with_their_keys_when_rescaled) {
  std::vector<event> events;
  std::vector<std::string> all;
  for (int i = 0; i < 40; ++i) {
    events.push_back({100 + i, "k" + std::to_string(i)});
    all.push_back("k" + std::to_string(i) + "@" + std::to_string(100 + i));
  }
  spi::operator_restore restored;
  {
    timer_subtask before{0, 1};
    before.feed(events, 1, 0);
    spi::operator_snapshot snapshot;
    before.op->snapshot_state(checkpoint_id{1}, snapshot);
    BOOST_REQUIRE(snapshot.lists.count("event-time-timers") == 1u);
    BOOST_TEST((snapshot.lists["event-time-timers"].mode == spi::redistribution::union_all));
    restored.lists["event-time-timers"] = snapshot.lists["event-time-timers"].entries;
  }
  std::vector<std::string> fired;
  for (int index : {0, 1}) { // union state: each of the two gets every timer, keeps its own
    timer_subtask after{index, 2};
    after.op->restore_state(restored);
    after.op->process_watermark(max_watermark);
    BOOST_TEST(!after.out.items.empty());
    fired.insert(fired.end(), after.out.items.begin(), after.out.items.end());
  }
  std::sort(fired.begin(), fired.end());
  std::sort(all.begin(), all.end());
  BOOST_TEST(fired == all);
}

BOOST_AUTO_TEST_CASE(a_deleted_timer_does_not_fire) {
  struct deleting : timer_echo {
    void process_element(const event& e, context& ctx, collector<std::string>&) override {
      ctx.timer_service().register_event_time_timer(e.time);
      if (e.key == "gone")
        ctx.timer_service().delete_event_time_timer(e.time);
    }
  };
  spi::operator_context c;
  c.operator_id = "timers";
  strings out;
  detail::keyed_process_operator<event, std::string event::*, deleting> op{&event::key, deleting{},
                                                                           c};
  op.set_output(spi::collector_ref::of<std::string>(&out));
  op.collect(event{5, "kept"});
  op.collect(event{5, "gone"});
  op.process_watermark(max_watermark);
  BOOST_TEST((out.items == std::vector<std::string>{"kept@5"}));
}

BOOST_AUTO_TEST_CASE(windows_hold_the_timestamps_from_their_start_to_before_their_end) {
  auto tumbling = tumbling_event_time_windows::of(10ms);
  BOOST_TEST((ends_of(tumbling, 0) == std::vector<std::int64_t>{10}));
  BOOST_TEST((ends_of(tumbling, 9) == std::vector<std::int64_t>{10}));
  BOOST_TEST((ends_of(tumbling, 10) == std::vector<std::int64_t>{20}));
  BOOST_TEST((ends_of(tumbling, -3) == std::vector<std::int64_t>{0}));
  BOOST_TEST(
    (ends_of(tumbling_event_time_windows::of(10ms, 3ms), 12) == std::vector<std::int64_t>{13}));
  auto sliding = sliding_event_time_windows::of(10ms, 5ms);
  BOOST_TEST((ends_of(sliding, 12) == std::vector<std::int64_t>{15, 20}));
  BOOST_TEST((ends_of(sliding, 15) == std::vector<std::int64_t>{20, 25}));
  BOOST_TEST((ends_of(sliding_event_time_windows::of(10ms, 3ms), 12) ==
              std::vector<std::int64_t>{13, 16, 19, 22}));
  BOOST_TEST(sliding.describe() == "SlidingEventTimeWindows(10, 5)");
  BOOST_TEST(tumbling.describe() == "TumblingEventTimeWindows(10)");
  BOOST_CHECK_THROW(tumbling_event_time_windows::of(0ms), std::invalid_argument);
  BOOST_CHECK_THROW(sliding_event_time_windows::of(10ms, 0ms), std::invalid_argument);
  BOOST_CHECK_THROW(tumbling_event_time_windows::of(10ms, 10ms), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_window_drops_records_that_come_after_it_was_emitted) {
  window_subtask w{tumbling_event_time_windows::of(10ms), 0};
  w.at(1);
  w.at(4);
  w.at(12);
  w.op->process_watermark(9); // [0, 10) is complete
  BOOST_TEST((w.sums == std::vector<std::int64_t>{5}));
  BOOST_TEST((w.stamps == std::vector<std::int64_t>{9})); // the window's max timestamp
  w.at(7);                                                // late for [0, 10): dropped
  w.at(15);
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums == std::vector<std::int64_t>{5, 27}));
  w.now.value = min_watermark;
  BOOST_CHECK_THROW(w.op->collect(event{3, "k"}), std::runtime_error); // no event time
}

BOOST_AUTO_TEST_CASE(allowed_lateness_fires_a_window_again_for_each_late_record_until_cleanup) {
  window_subtask w{tumbling_event_time_windows::of(10ms), 5};
  w.at(1);
  w.at(4);
  w.op->process_watermark(9); // fires [0, 10), which stays until the watermark passes 14
  BOOST_TEST((w.sums == std::vector<std::int64_t>{5}));
  w.at(7); // late, within the lateness: updated and fired again at once
  BOOST_TEST((w.sums == std::vector<std::int64_t>{5, 12}));
  BOOST_TEST((w.stamps == std::vector<std::int64_t>{9, 9}));
  BOOST_TEST(w.now.value == 7); // the record's own timestamp is back for what follows
  w.at(12, "other");
  w.op->process_watermark(13);
  w.at(2); // still within: 14 is not passed
  BOOST_TEST((w.sums == std::vector<std::int64_t>{5, 12, 14}));
  w.op->process_watermark(14); // cleanup of [0, 10)
  w.at(3);                     // beyond the lateness: dropped
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums == std::vector<std::int64_t>{5, 12, 14, 12})); // "other"'s [10, 20)
}

BOOST_AUTO_TEST_CASE(a_late_record_that_opens_a_window_within_the_lateness_fires_it_once) {
  window_subtask w{tumbling_event_time_windows::of(10ms), 20};
  w.op->process_watermark(25);
  w.at(3); // [0, 10) is new, its max timestamp passed, its cleanup (29) not yet
  BOOST_TEST((w.sums == std::vector<std::int64_t>{3}));
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums == std::vector<std::int64_t>{3})); // no second firing from a timer
}

BOOST_AUTO_TEST_CASE(processing_time_windows_take_records_by_the_clock_and_fire_by_it) {
  window_subtask w{sliding_processing_time_windows::of(10ms, 5ms), 0};
  w.clock.set(1003);
  w.at(1); // in [995, 1005) and [1000, 1010): the event time does not matter
  w.clock.set(1006);
  w.at(2); // in [1000, 1010) and [1005, 1015)
  BOOST_TEST(w.op->next_processing_timer().value_or(0) == 1004);
  w.op->on_processing_time(1004);
  BOOST_TEST((w.sums == std::vector<std::int64_t>{1}));
  w.op->on_processing_time(1014);
  BOOST_TEST((w.sums == std::vector<std::int64_t>{1, 3, 2}));
  BOOST_TEST((w.stamps == std::vector<std::int64_t>{1004, 1009, 1014}));
  BOOST_TEST(!w.op->next_processing_timer());
  w.op->process_watermark(max_watermark); // watermarks play no part
  BOOST_TEST(w.sums.size() == 3u);
}

BOOST_AUTO_TEST_CASE(window_descriptions_and_lateness_errors_follow_flink) {
  BOOST_TEST(tumbling_processing_time_windows::of(5s).describe() ==
             "TumblingProcessingTimeWindows(5000)");
  BOOST_TEST(sliding_processing_time_windows::of(10ms, 5ms).describe() ==
             "SlidingProcessingTimeWindows(10, 5)");
  stream_environment env;
  auto keyed = env.from_elements(std::vector<event>{{1, "a"}}).key_by(&event::key);
  BOOST_CHECK_THROW(keyed.window(tumbling_event_time_windows::of(1s)).allowed_lateness(-1ms),
                    std::invalid_argument);
  try {
    keyed.window(tumbling_processing_time_windows::of(1s)).allowed_lateness(1s);
    BOOST_FAIL("lateness was taken for processing-time windows");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string{e.what()}.find("event-time windows only") != std::string::npos);
  }
  keyed.window(tumbling_processing_time_windows::of(1s)).allowed_lateness(0ms);
}

BOOST_AUTO_TEST_SUITE_END()

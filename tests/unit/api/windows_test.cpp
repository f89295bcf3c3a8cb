#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/detail/window_operator.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "state/leveldb_store.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"
#include "support/timed_event.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

using event = testing::timed_event;

/// Adds up the events' time fields (so a window's sum tells which records it holds).
struct sum_times {
  void operator()(event& acc, event&& in) const { acc.time += in.time; }
};
using summed = detail::folded_contents<event, sum_times>;
using emitted = detail::emit_result<event>;

/// What an operator emitted, with the timestamp each record carried.
template <class T>
struct stamped final : collector<T> {
  using collector<T>::collect;
  const spi::record_timestamp* now = nullptr;
  std::vector<T> items;
  std::vector<std::int64_t> stamps;
  void collect(T&& x) override {
    items.push_back(std::move(x));
    stamps.push_back(now->value);
  }
};

std::vector<std::int64_t> times(const std::vector<event>& events) {
  std::vector<std::int64_t> out;
  out.reserve(events.size());
  for (const auto& e : events)
    out.push_back(e.time);
  return out;
}

template <class Assigner>
detail::window_settings<event, Assigner>
settings_of(Assigner assigner, std::int64_t lateness = 0,
            std::shared_ptr<const trigger<event>> t = nullptr) {
  bool default_trigger = !t;
  if (!t) {
    if (assigner.domain() == time_domain::event_time)
      t = std::make_shared<event_time_trigger<event>>();
    else
      t = std::make_shared<processing_time_trigger<event>>();
  }
  return {std::move(assigner), std::move(t), lateness, std::nullopt, default_trigger};
}

/// One window operator subtask of `parallelism` on a manual clock, keyed by
/// event::key, its output and late-data side output collected.
template <class Assigner, class Contents = summed, class Finish = emitted>
struct window_subtask {
  using out_type = typename Finish::output_type;
  using op_type = detail::window_operator<event, std::string event::*, Assigner, Contents, Finish>;

  testing::manual_clock clock{0};
  spi::record_timestamp now;
  metric_group metrics; ///< the operator's
  stamped<out_type> out;
  stamped<event> late;
  std::unique_ptr<op_type> op;

  /// Restores `state` if given, then opens. Keeps its state in `backend`
  /// if given, else on the heap.
  explicit window_subtask(detail::window_settings<event, Assigner> settings, Contents contents = {},
                          Finish finish = {}, int index = 0, int parallelism = 1,
                          const spi::operator_restore* state = nullptr,
                          spi::keyed_backend* backend = nullptr) {
    spi::operator_context c;
    c.state_backend = backend;
    c.operator_id = "window";
    c.subtask_index = index;
    c.parallelism = parallelism;
    c.clock = &clock;
    c.metrics = metrics;
    out.now = &now;
    late.now = &now;
    bool late_data = settings.late_data.has_value();
    op = std::make_unique<op_type>(&event::key, std::move(settings), std::move(contents),
                                   std::move(finish), c);
    op->set_output(spi::collector_ref::of<out_type>(&out));
    if (late_data)
      op->set_side_output("late", spi::collector_ref::of<event>(&late));
    op->bind_timestamp(now);
    if (state != nullptr)
      op->restore_state(*state);
    op->open();
  }

  /// A record of event time `t` (its time field too).
  void at(std::int64_t t, const std::string& key = "k") {
    now.value = t;
    op->collect(event{t, key});
  }

  std::vector<std::int64_t> sums() const { return times(out.items); }

  /// The operator's checkpoint, as a restore of every key group takes it.
  spi::operator_restore checkpoint() {
    spi::operator_snapshot snapshot;
    op->snapshot_state(checkpoint_id{1}, snapshot);
    spi::operator_restore state;
    if (snapshot.keyed)
      snapshot.keyed(
        [&](int g, std::string_view bytes) { state.key_groups.emplace_back(g, bytes); });
    for (auto& [name, list] : snapshot.lists)
      state.lists[name] = list.entries;
    return state;
  }
};

/// LevelDB backends in a temp directory, a new one (of a subtask of its
/// own) per next(); none (the heap) unless `on_leveldb`.
class leveldb_backends {
public:
  explicit leveldb_backends(bool on_leveldb) : on_leveldb_(on_leveldb) {}

  spi::keyed_backend* next() {
    if (!on_leveldb_)
      return nullptr;
    leveldb_settings settings;
    settings.local_dir = dir_.path().string();
    made_.push_back(
      std::make_unique<leveldb_backend>(settings, "test-job", static_cast<int>(made_.size())));
    return made_.back().get();
  }

private:
  bool on_leveldb_;
  testing::temp_dir dir_;
  std::vector<std::unique_ptr<leveldb_backend>> made_;
};

/// A session's sum of times, from all its records (as `summed` folds them).
struct sum_of_listed : process_window_function<std::string, event, event> {
  void process(const std::string&, context&, std::span<const event> elements,
               collector<event>& out) override {
    event sum = elements.front();
    for (const auto& e : elements.subspan(1))
      sum.time += e.time;
    out.collect(std::move(sum));
  }
};

/// The window ends `windows` gives `timestamp`.
std::vector<std::int64_t> ends_of(const fixed_windows& windows, std::int64_t timestamp) {
  std::vector<std::int64_t> ends;
  windows.for_each_window_end(timestamp, [&](std::int64_t end) { ends.push_back(end); });
  return ends;
}

/// Average of the times, with an accumulator of its own type.
struct average_time {
  struct acc {
    std::int64_t sum = 0;
    std::int64_t count = 0;
  };
  acc create_accumulator() const { return {}; }
  void add(acc& a, const event& e) const {
    a.sum += e.time;
    ++a.count;
  }
  double get_result(const acc& a) const {
    return static_cast<double>(a.sum) / static_cast<double>(a.count);
  }
  void merge(acc& a, acc&& b) const {
    a.sum += b.sum;
    a.count += b.count;
  }
};

template <class Inspector>
auto inspect(Inspector& f, average_time::acc& x) {
  return f(x.sum, x.count);
}

/// "key [start,end) n=<elements> first=<first element's time>".
struct describe_window : process_window_function<std::string, event, std::string> {
  void process(const std::string& key, context& ctx, std::span<const event> elements,
               collector<std::string>& out) override {
    out.collect(key + " [" + std::to_string(ctx.window().start) + "," +
                std::to_string(ctx.window().end) + ") n=" + std::to_string(elements.size()) +
                " first=" + std::to_string(elements.front().time));
  }
};

/// "[start,end) firing <n of this window> of <n of the key>"; clear()
/// notes what a window's own count was when it went.
struct count_firings : process_window_function<std::string, event, std::string> {
  std::shared_ptr<std::vector<std::string>> cleared = std::make_shared<std::vector<std::string>>();
  void process(const std::string&, context& ctx, std::span<const event>,
               collector<std::string>& out) override {
    auto mine = ctx.window_state(value_state_descriptor<std::int64_t>{"firings"});
    auto n = mine.value().value_or(0) + 1;
    mine.update(n);
    auto all = ctx.global_state(value_state_descriptor<std::int64_t>{"all-firings"});
    auto total = all.value().value_or(0) + 1;
    all.update(total);
    out.collect("[" + std::to_string(ctx.window().start) + "," + std::to_string(ctx.window().end) +
                ") firing " + std::to_string(n) + " of " + std::to_string(total));
  }
  void clear(context& ctx) override {
    auto mine = ctx.window_state(value_state_descriptor<std::int64_t>{"firings"});
    cleared->push_back(std::to_string(ctx.window().start) + ":" +
                       std::to_string(mine.value().value_or(0)));
    mine.clear();
  }
};

/// Fires and purges a window on every record of key "now"; cannot merge.
struct fire_on_now final : trigger<event> {
  trigger_result on_element(const event& e, std::int64_t, const time_window&,
                            context&) const override {
    return e.key == "now" ? trigger_result::fire_and_purge : trigger_result::continue_;
  }
  trigger_result on_event_time(std::int64_t, const time_window&, context&) const override {
    return trigger_result::continue_;
  }
  trigger_result on_processing_time(std::int64_t, const time_window&, context&) const override {
    return trigger_result::continue_;
  }
  void clear(const time_window&, context&) const override {}
  std::string describe() const override { return "FireOnNow"; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(windows)

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
  window_subtask w(settings_of(tumbling_event_time_windows::of(10ms)));
  w.at(1);
  w.at(4);
  w.at(12);
  w.op->process_watermark(9); // [0, 10) is complete
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{9})); // the window's max timestamp
  w.at(7);                                                    // late for [0, 10): dropped
  auto readings = w.metrics.read(0);
  BOOST_REQUIRE(readings.size() == 1u);
  BOOST_TEST(readings[0].name == "numLateRecordsDropped");
  BOOST_TEST(readings[0].value == 1);
  w.at(15);
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5, 27}));
  w.now.value = min_watermark;
  BOOST_CHECK_THROW(w.op->collect(event{3, "k"}), std::runtime_error); // no event time
}

BOOST_AUTO_TEST_CASE(allowed_lateness_fires_a_window_again_for_each_late_record_until_cleanup) {
  window_subtask w(settings_of(tumbling_event_time_windows::of(10ms), 5));
  w.at(1);
  w.at(4);
  w.op->process_watermark(9); // fires [0, 10), which stays until the watermark passes 14
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5}));
  w.at(7); // late, within the lateness: updated and fired again at once
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5, 12}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{9, 9}));
  w.at(12, "other");
  w.op->process_watermark(13);
  w.at(2); // still within: 14 is not passed
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5, 12, 14}));
  w.op->process_watermark(14); // cleanup of [0, 10)
  w.at(3);                     // beyond the lateness: dropped
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5, 12, 14, 12})); // "other"'s [10, 20)
}

BOOST_AUTO_TEST_CASE(a_late_record_that_opens_a_window_within_the_lateness_fires_it_once) {
  window_subtask w(settings_of(tumbling_event_time_windows::of(10ms), 20));
  w.op->process_watermark(25);
  w.at(3); // [0, 10) is new, its max timestamp passed, its cleanup (29) not yet
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{3}));
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{3})); // no second firing from a timer
}

BOOST_AUTO_TEST_CASE(records_past_the_lateness_go_to_the_late_data_side_output) {
  auto settings = settings_of(tumbling_event_time_windows::of(10ms), 5);
  settings.late_data = output_tag<event>("late");
  window_subtask w{settings};
  w.at(1);
  w.op->process_watermark(20); // fires [0, 10) and cleans it up (14)
  w.at(3);                     // too late: to the side output, with its timestamp
  w.at(16);                    // on time
  BOOST_TEST((times(w.late.items) == std::vector<std::int64_t>{3}));
  BOOST_TEST((w.late.stamps == std::vector<std::int64_t>{3}));
  BOOST_TEST(w.metrics.counter("numLateRecordsDropped").count() == 0); // not dropped
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1, 16}));
}

BOOST_AUTO_TEST_CASE(processing_time_windows_take_records_by_the_clock_and_fire_by_it) {
  window_subtask w(settings_of(sliding_processing_time_windows::of(10ms, 5ms)));
  w.clock.set(1003);
  w.at(1); // in [995, 1005) and [1000, 1010): the event time does not matter
  w.clock.set(1006);
  w.at(2); // in [1000, 1010) and [1005, 1015)
  BOOST_TEST(w.op->next_processing_timer().value_or(0) == 1004);
  w.op->on_processing_time(1004);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1}));
  w.op->on_processing_time(1014);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1, 3, 2}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{1004, 1009, 1014}));
  BOOST_TEST(!w.op->next_processing_timer());
  w.op->process_watermark(max_watermark); // watermarks play no part
  BOOST_TEST(w.sums().size() == 3u);
}

BOOST_AUTO_TEST_CASE(event_time_sessions_merge_records_closer_than_the_gap) {
  window_subtask w(settings_of(event_time_session_windows::with_gap(10ms)));
  w.at(0);  // [0, 10)
  w.at(30); // [30, 40)
  w.at(15); // [15, 25): touches neither
  w.at(20); // [20, 30): joins [15, 25) and [30, 40) into [15, 40)
  w.at(100, "b");
  w.op->process_watermark(39);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{0, 65})); // [0, 10), then [15, 40)
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{9, 39}));
  w.at(50); // a new session of "k"
  w.at(60, "b");
  w.at(55, "b"); // [55, 65) and [60, 70) merge; [100, 110) stays apart
  w.at(10, "b"); // [10, 20) ended before the watermark: late, dropped
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{0, 65, 50, 115, 100}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{9, 39, 59, 69, 109}));
}

BOOST_AUTO_TEST_CASE(a_record_bridging_two_sessions_merges_them_into_one_firing) {
  window_subtask w(settings_of(event_time_session_windows::with_gap(10ms)));
  w.at(0);
  w.at(25);
  w.at(12); // [12, 22) touches [0, 10)? no: 10 < 12; and [25, 35)? no
  w.at(9);  // [9, 19): touches [0, 10) and [12, 22) -> [0, 22)
  w.at(22); // [22, 32): touches [0, 22) and [25, 35) -> [0, 35)
  w.op->process_watermark(33);
  BOOST_TEST(w.out.items.empty());
  w.op->process_watermark(34);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{68}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{34}));
}

BOOST_AUTO_TEST_CASE(a_late_record_within_the_lateness_extends_a_fired_session) {
  auto settings = settings_of(event_time_session_windows::with_gap(10ms), 5);
  settings.late_data = output_tag<event>("late");
  window_subtask<session_windows> w{settings};
  w.at(1);
  w.op->process_watermark(10); // fires [1, 11), kept until 15
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1}));
  w.at(3); // [3, 13) merges into [1, 13), whose end is still ahead: fires at 12
  BOOST_TEST(w.sums().size() == 1u);
  w.op->process_watermark(12);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1, 4}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{10, 12}));
  w.at(2); // into [1, 13), past its end: fires at once
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1, 4, 6}));
  w.op->process_watermark(17); // cleanup of [1, 13) at 12 + 5
  w.at(4);                     // [4, 14) would be cleaned at 18 > 17: a new session, fires
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1, 4, 6, 4}));
  w.op->process_watermark(30);
  w.at(5); // [5, 15) is past its cleanup: late
  BOOST_TEST((times(w.late.items) == std::vector<std::int64_t>{5}));
  w.op->process_watermark(max_watermark);
  BOOST_TEST(w.sums().size() == 4u);
}

BOOST_AUTO_TEST_CASE(processing_time_sessions_close_a_gap_after_their_last_record) {
  window_subtask w(settings_of(processing_time_session_windows::with_gap(10ms)));
  w.clock.set(100);
  w.at(1);
  w.clock.set(105);
  w.at(2); // [100, 115)
  w.clock.set(120);
  w.at(4, "b"); // [120, 130)
  BOOST_TEST(w.op->next_processing_timer().value_or(0) == 114);
  w.op->on_processing_time(114);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{3}));
  w.op->on_processing_time(129);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{3, 4}));
  BOOST_TEST(!w.op->next_processing_timer());
}

BOOST_AUTO_TEST_CASE(dynamic_gaps_come_from_each_record) {
  auto gap = [](const event& e) { return std::chrono::milliseconds(e.key == "wide" ? 100 : 5); };
  auto assigner = event_time_session_windows::with_dynamic_gap(gap);
  BOOST_TEST(assigner.describe() == "DynamicEventTimeSessionWindows()");
  window_subtask w(settings_of(assigner));
  w.at(0, "wide");
  w.at(50, "wide"); // within 100: one session [0, 150)
  w.at(0);
  w.at(10); // 5 apart is too far: two sessions
  w.op->process_watermark(max_watermark);
  auto sums = w.sums();
  std::sort(sums.begin(), sums.end());
  BOOST_TEST((sums == std::vector<std::int64_t>{0, 10, 50}));
  window_subtask bad(
    settings_of(event_time_session_windows::with_dynamic_gap([](const event&) { return 0ms; })));
  BOOST_CHECK_THROW(bad.at(1), std::invalid_argument);
  BOOST_CHECK_THROW(event_time_session_windows::with_gap(0ms), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(session_windows_survive_a_checkpoint_and_a_rescale) {
  std::vector<std::int64_t> expected;
  spi::operator_restore all; // every key group and list entry; each subtask takes its own
  {
    window_subtask before(settings_of(event_time_session_windows::with_gap(10ms)));
    for (int k = 0; k < 20; ++k) {
      before.at(k, "k" + std::to_string(k));
      before.at(k + 5, "k" + std::to_string(k)); // one open session per key
      expected.push_back(2 * k + 5 + 12);        // and the record added after the restore
    }
    before.op->process_watermark(0);
    all = before.checkpoint();
    BOOST_REQUIRE(!all.key_groups.empty());
  }
  std::vector<std::int64_t> sums;
  for (int index : {0, 1}) {
    auto restored = all;
    std::erase_if(restored.key_groups, [&](const auto& g) {
      return !spi::key_groups_of_subtask(128, 2, index).contains(g.first);
    });
    window_subtask<session_windows> after{
      settings_of(event_time_session_windows::with_gap(10ms)), {}, {}, index, 2, &restored};
    after.op->process_watermark(0);
    for (int k = 0; k < 20; ++k) {
      auto key = "k" + std::to_string(k);
      if (spi::key_groups_of_subtask(128, 2, index)
            .contains(spi::key_group_of(detail::key_hash(key), 128)))
        after.at(12, key); // touches [k + 5, k + 15): merges into the restored session
    }
    after.op->process_watermark(max_watermark);
    auto mine = after.sums();
    sums.insert(sums.end(), mine.begin(), mine.end());
  }
  std::sort(sums.begin(), sums.end());
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(sums == expected);
}

BOOST_AUTO_TEST_CASE(windows_of_the_default_trigger_fire_as_the_trigger_fires_them) {
  // With the default trigger the operator keeps the timers itself: added
  // with a window's contents, and a session's one timer moved when it comes
  // due; the same trigger set explicitly is asked at every record and
  // merge. Random records of a few keys, some late, some past the lateness,
  // watermarks in between: both emit the same.
  auto check = [](auto assigner) {
    using assigner_type = decltype(assigner);
    std::mt19937 random{7};
    for (std::int64_t lateness : {0, 7}) {
      BOOST_TEST_CONTEXT(assigner.describe() << ", lateness " << lateness) {
        auto settings = [&](bool explicit_trigger) {
          auto s =
            settings_of(assigner, lateness,
                        explicit_trigger ? std::make_shared<event_time_trigger<event>>() : nullptr);
          s.late_data = output_tag<event>("late");
          return s;
        };
        window_subtask<assigner_type> kept{settings(false)}, asked{settings(true)};
        std::int64_t watermark = 0;
        for (int step = 0; step < 5000; ++step) {
          if (random() % 8 == 0) {
            watermark += static_cast<std::int64_t>(random() % 12);
            kept.op->process_watermark(watermark);
            asked.op->process_watermark(watermark);
            continue;
          }
          auto t = watermark - 25 + static_cast<std::int64_t>(random() % 50);
          auto key = "k" + std::to_string(random() % 6);
          kept.at(t, key);
          asked.at(t, key);
        }
        kept.op->process_watermark(max_watermark);
        asked.op->process_watermark(max_watermark);
        BOOST_TEST(kept.sums() == asked.sums());
        BOOST_TEST(kept.out.stamps == asked.out.stamps);
        BOOST_TEST(times(kept.late.items) == times(asked.late.items));
        BOOST_TEST(kept.sums().size() > 100u);
        BOOST_TEST(!kept.late.items.empty());
        spi::operator_snapshot left; // every window cleaned up: no state, no timer
        kept.op->snapshot_state(checkpoint_id{1}, left);
        std::size_t groups = 0;
        left.keyed([&](int, std::string_view) { ++groups; });
        BOOST_TEST(groups == 0u);
      }
    }
  };
  check(event_time_session_windows::with_gap(10ms));
  check(tumbling_event_time_windows::of(10ms));
  check(sliding_event_time_windows::of(15ms, 5ms));
}

namespace {

/// sessions_keeping_their_contents_fire_as_sessions_of_listed_records on
/// the hashmap or the LevelDB backend.
void check_kept_and_listed_sessions(bool on_leveldb) {
  using listed = detail::listed_contents<event>;
  using listed_sum = detail::process_result<sum_of_listed, true>;
  using kept_type = window_subtask<session_windows>;
  using listed_type = window_subtask<session_windows, listed, listed_sum>;
  auto settings = [] {
    auto s = settings_of(event_time_session_windows::with_gap(10ms), 7);
    s.late_data = output_tag<event>("late");
    return s;
  };
  leveldb_backends backends{on_leveldb};
  auto kept =
    std::make_unique<kept_type>(settings(), summed{}, emitted{}, 0, 1, nullptr, backends.next());
  auto asked = std::make_unique<listed_type>(settings(), listed{}, listed_sum{}, 0, 1, nullptr,
                                             backends.next());
  std::vector<std::int64_t> kept_sums, listed_sums, kept_stamps, listed_stamps;
  std::mt19937 random{11};
  std::int64_t watermark = 0;
  for (int step = 0; step < 6000; ++step) {
    if (step == 3000) { // through a checkpoint: the sums so far, and a restore
      kept_sums = kept->sums();
      listed_sums = times(asked->out.items);
      kept_stamps = kept->out.stamps;
      listed_stamps = asked->out.stamps;
      auto kept_state = kept->checkpoint();
      auto listed_state = asked->checkpoint();
      kept = std::make_unique<kept_type>(settings(), summed{}, emitted{}, 0, 1, &kept_state,
                                         backends.next());
      asked = std::make_unique<listed_type>(settings(), listed{}, listed_sum{}, 0, 1, &listed_state,
                                            backends.next());
      kept->op->process_watermark(watermark);
      asked->op->process_watermark(watermark);
    }
    if (random() % 8 == 0) {
      watermark += static_cast<std::int64_t>(random() % 12);
      kept->op->process_watermark(watermark);
      asked->op->process_watermark(watermark);
      continue;
    }
    auto t = watermark - 20 + static_cast<std::int64_t>(random() % 45);
    auto key = "k" + std::to_string(random() % 6);
    kept->at(t, key);
    asked->at(t, key);
  }
  kept->op->process_watermark(max_watermark);
  asked->op->process_watermark(max_watermark);
  auto append = [](std::vector<std::int64_t>& to, const std::vector<std::int64_t>& more) {
    to.insert(to.end(), more.begin(), more.end());
  };
  append(kept_sums, kept->sums());
  append(listed_sums, times(asked->out.items));
  append(kept_stamps, kept->out.stamps);
  append(listed_stamps, asked->out.stamps);
  BOOST_TEST(kept_sums == listed_sums);
  BOOST_TEST(kept_stamps == listed_stamps);
  BOOST_TEST(kept_sums.size() > 100u);
  BOOST_TEST(!kept->late.items.empty());
  // Every session fired and went: nothing is left of them, contents included.
  BOOST_TEST(kept->checkpoint().key_groups.empty());
  BOOST_TEST(asked->checkpoint().key_groups.empty());
}

} // namespace

BOOST_AUTO_TEST_CASE(sessions_keeping_their_contents_fire_as_sessions_of_listed_records) {
  // Summed sessions keep their sum in their entry of the key's sessions;
  // sessions of listed records keep the records per window (list state),
  // merged as sessions merge. Random records of a few keys, some late,
  // watermarks in between, a checkpoint and restore halfway: both emit the
  // same sums, on either backend.
  for (bool on_leveldb : {false, true})
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      check_kept_and_listed_sessions(on_leveldb);
    }
}

BOOST_AUTO_TEST_CASE(count_and_purging_triggers_fire_on_counts) {
  window_subtask counting(
    settings_of(tumbling_event_time_windows::of(100ms), 0, count_trigger<event>::of(2)));
  for (int t : {1, 2, 3, 4, 5})
    counting.at(t);
  counting.op->process_watermark(max_watermark); // the count trigger ignores time
  BOOST_TEST((counting.sums() == std::vector<std::int64_t>{3, 10})); // kept: 1+2, then 1+2+3+4
  window_subtask purging(settings_of(tumbling_event_time_windows::of(100ms), 0,
                                     purging_trigger<event>::of(count_trigger<event>::of(2))));
  for (int t : {1, 2, 3, 4, 5})
    purging.at(t);
  purging.op->process_watermark(max_watermark);
  BOOST_TEST((purging.sums() == std::vector<std::int64_t>{3, 7}));
  BOOST_TEST(purging_trigger<event>::of(count_trigger<event>::of(2))->describe() ==
             "PurgingTrigger(CountTrigger(2))");
  BOOST_CHECK_THROW(count_trigger<event>::of(0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(count_windows_fire_every_n_records_of_a_key_and_global_windows_never_alone) {
  window_subtask w(settings_of(global_windows::create(), 0,
                               purging_trigger<event>::of(count_trigger<event>::of(3))));
  for (int t = 1; t <= 7; ++t)
    w.at(t);
  w.at(100, "b");
  w.op->process_watermark(max_watermark); // time plays no part
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{6, 15}));
  BOOST_TEST((w.out.stamps == std::vector<std::int64_t>{max_watermark, max_watermark}));
  BOOST_TEST(!w.op->next_processing_timer()); // never cleaned up: no timer
  window_subtask never(
    settings_of(global_windows::create(), 0, std::make_shared<never_trigger<event>>()));
  never.at(1);
  never.op->process_watermark(max_watermark);
  BOOST_TEST(never.out.items.empty());
  stream_environment env;
  auto keyed = env.from_elements(std::vector<event>{{1, "a"}}).key_by(&event::key);
  keyed.count_window(3).sum(&event::time).print();
  BOOST_TEST(env.graph().nodes[1].name ==
             "Window(GlobalWindows(), PurgingTrigger(CountTrigger(3)), Aggregation)");
  BOOST_CHECK_THROW(keyed.count_window(0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(count_triggers_add_up_the_counts_of_merged_sessions) {
  window_subtask w(
    settings_of(event_time_session_windows::with_gap(10ms), 0, count_trigger<event>::of(3)));
  w.at(0);
  w.at(30); // two sessions, one record each
  w.at(15); // [15, 25): alone
  w.at(20); // merges [15, 25), [20, 30) and [30, 40): 1 + 1 + 1 = 3 records: fires
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{65}));
}

BOOST_AUTO_TEST_CASE(continuous_event_time_triggers_fire_every_interval_and_at_the_end) {
  window_subtask w(settings_of(tumbling_event_time_windows::of(100ms), 0,
                               continuous_event_time_trigger<event>::of(30ms)));
  w.at(5);
  w.op->process_watermark(30);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5}));
  w.at(40);
  w.op->process_watermark(60);
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{5, 45, 45, 45})); // at 30, 60, 90 and 99
}

BOOST_AUTO_TEST_CASE(continuous_processing_time_triggers_fire_every_interval) {
  window_subtask w(settings_of(tumbling_processing_time_windows::of(1000ms), 0,
                               continuous_processing_time_trigger<event>::of(100ms)));
  w.clock.set(1010);
  w.at(1);
  BOOST_TEST(w.op->next_processing_timer().value_or(0) == 1100);
  w.op->on_processing_time(1100);
  w.at(2);
  w.op->on_processing_time(1200);
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1, 3}));
}

BOOST_AUTO_TEST_CASE(a_user_trigger_decides_when_windows_fire_and_purge) {
  window_subtask w(
    settings_of(tumbling_event_time_windows::of(100ms), 0, std::make_shared<fire_on_now>()));
  w.at(1, "now");
  w.at(2);
  w.at(3);
  w.op->process_watermark(max_watermark); // never fires by time
  BOOST_TEST((w.sums() == std::vector<std::int64_t>{1}));
  stream_environment env;
  auto keyed = env.from_elements(std::vector<event>{{1, "a"}}).key_by(&event::key);
  try {
    keyed.window(event_time_session_windows::with_gap(1s)).trigger(std::make_shared<fire_on_now>());
    BOOST_FAIL("a trigger that cannot merge was taken for session windows");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(
      std::string{e.what()} ==
      "trigger: FireOnNow cannot merge windows, which EventTimeSessionWindows(1000) needs");
  }
}

BOOST_AUTO_TEST_CASE(aggregate_functions_keep_an_accumulator_of_their_own_and_merge_it) {
  using average = detail::aggregated_contents<event, average_time>;
  window_subtask<session_windows, average, detail::emit_result<double>> w{
    settings_of(event_time_session_windows::with_gap(10ms))};
  w.at(0);
  w.at(20);
  w.at(10); // bridges both: (0 + 20 + 10) / 3
  w.at(100);
  w.at(103);
  w.op->process_watermark(max_watermark);
  BOOST_TEST((w.out.items == std::vector<double>{10.0, 101.5}));
}

BOOST_AUTO_TEST_CASE(process_window_functions_see_the_window_and_its_records) {
  using listed = detail::listed_contents<event>;
  using described = detail::process_result<describe_window, true>;
  window_subtask<session_windows, listed, described> w{
    settings_of(event_time_session_windows::with_gap(10ms))};
  w.at(7);
  w.at(3);
  w.at(30, "b");
  w.op->process_watermark(max_watermark);
  BOOST_TEST(
    (w.out.items == std::vector<std::string>{"k [3,17) n=2 first=7", "b [30,40) n=1 first=30"}));
  using pre_reduced = detail::process_result<describe_window, false>;
  window_subtask<tumbling_event_time_windows, summed, pre_reduced> r{
    settings_of(tumbling_event_time_windows::of(10ms))};
  r.at(2);
  r.at(5);
  r.op->process_watermark(max_watermark);
  BOOST_TEST((r.out.items == std::vector<std::string>{"k [0,10) n=1 first=7"}));
}

BOOST_AUTO_TEST_CASE(count_evictors_keep_the_last_records_before_or_after_the_function) {
  using evicting = detail::evicting_contents<event, summed>;
  // count_window(3, 2): the last 3 records, every 2.
  window_subtask<global_windows, evicting> sliding{
    settings_of(global_windows::create(), 0, count_trigger<event>::of(2)),
    evicting{{}, count_evictor<event>::of(3)}};
  for (int t = 1; t <= 7; ++t)
    sliding.at(t);
  BOOST_TEST((sliding.sums() == std::vector<std::int64_t>{1 + 2, 2 + 3 + 4, 4 + 5 + 6}));
  // Evicting after the function: it sees everything since the last eviction.
  window_subtask<tumbling_event_time_windows, evicting> after{
    settings_of(tumbling_event_time_windows::of(100ms), 0, count_trigger<event>::of(2)),
    evicting{{}, count_evictor<event>::of(2, true)}};
  for (int t = 1; t <= 6; ++t)
    after.at(t);
  BOOST_TEST((after.sums() == std::vector<std::int64_t>{1 + 2, 1 + 2 + 3 + 4, 3 + 4 + 5 + 6}));
  BOOST_CHECK_THROW(count_evictor<event>::of(0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(time_and_delta_evictors_keep_what_is_close_to_the_latest_record) {
  using evicting = detail::evicting_contents<event, summed>;
  window_subtask<tumbling_event_time_windows, evicting> timed{
    settings_of(tumbling_event_time_windows::of(100ms)),
    evicting{{}, time_evictor<event>::of(10ms)}};
  for (int t : {25, 1, 5, 15, 20})
    timed.at(t);
  timed.op->process_watermark(max_watermark);
  // Latest 25: 15 and earlier go (t <= 25 - 10).
  BOOST_TEST((timed.sums() == std::vector<std::int64_t>{25 + 20}));
  auto distance = [](const event& a, const event& b) {
    return static_cast<double>(std::abs(a.time - b.time));
  };
  window_subtask<tumbling_event_time_windows, evicting> delta{
    settings_of(tumbling_event_time_windows::of(100ms)),
    evicting{{}, delta_evictor<event>::of(10, distance)}};
  for (int t : {30, 1, 25, 22})
    delta.at(t);
  delta.op->process_watermark(max_watermark);
  BOOST_TEST((delta.sums() == std::vector<std::int64_t>{30 + 25 + 22})); // 1 is 21 from 22
  // Records without timestamps (processing time) are kept.
  std::vector<timestamped_value<event>> untimed{{{1, "k"}}, {{2, "k"}}};
  time_evictor<event>::of(0ms)->evict_before(untimed, time_window{0, 10}, {});
  BOOST_TEST(untimed.size() == 2u);
  BOOST_CHECK_THROW(time_evictor<event>::of(-1ms), std::invalid_argument);
  BOOST_CHECK_THROW(delta_evictor<event>::of(1, nullptr), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_window_its_evictor_empties_fires_as_its_function_does_on_nothing) {
  auto everything = delta_evictor<event>::of(0, [](const event&, const event&) { return 0.0; });
  using evicting = detail::evicting_contents<event, summed>;
  window_subtask<tumbling_event_time_windows, evicting> reduced{
    settings_of(tumbling_event_time_windows::of(100ms)), evicting{{}, everything}};
  reduced.at(1);
  reduced.op->process_watermark(max_watermark);
  BOOST_TEST(reduced.out.items.empty()); // a reduction of nothing emits nothing
  using averaged =
    detail::evicting_contents<event, detail::aggregated_contents<event, average_time>>;
  window_subtask<tumbling_event_time_windows, averaged, detail::emit_result<double>> aggregated{
    settings_of(tumbling_event_time_windows::of(100ms)), averaged{{}, everything}};
  aggregated.at(1);
  aggregated.op->process_watermark(max_watermark);
  BOOST_TEST(aggregated.out.items.size() == 1u); // the result of an empty accumulator
}

BOOST_AUTO_TEST_CASE(evicting_windows_merge_sessions_and_keep_their_records_through_a_restore) {
  using listed = detail::evicting_contents<event, detail::listed_contents<event>>;
  using described = detail::process_result<describe_window, true>;
  auto settings = settings_of(event_time_session_windows::with_gap(10ms));
  auto contents = listed{{}, count_evictor<event>::of(2)};
  for (bool on_leveldb : {false, true})
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      leveldb_backends backends{on_leveldb};
      spi::operator_restore state;
      {
        window_subtask<session_windows, listed, described> before{
          settings, contents, {}, 0, 1, nullptr, backends.next()};
        before.at(0);
        before.at(20);
        state = before.checkpoint();
      }
      window_subtask<session_windows, listed, described> after{settings, contents,       {}, 0, 1,
                                                               &state,   backends.next()};
      after.at(10); // bridges both sessions: [0, 30) holds 0, 20, 10; the evictor keeps 20, 10
      after.at(12); // and then 10, 12
      after.op->process_watermark(max_watermark);
      BOOST_TEST((after.out.items == std::vector<std::string>{"k [0,30) n=2 first=10"}));
    }
}

BOOST_AUTO_TEST_CASE(count_windows_slide_and_count_windows_over_all_records_are_built_as_flinks) {
  stream_environment env;
  auto events = env.from_elements(std::vector<event>{{1, "a"}});
  events.key_by(&event::key).count_window(3, 2).sum(&event::time).print();
  events.count_window_all(4).sum(&event::time).print();
  events.count_window_all(4, 1).sum(&event::time).print();
  events.key_by(&event::key)
    .window(tumbling_event_time_windows::of(1s))
    .evictor(time_evictor<event>::of(1s))
    .process(describe_window{});
  const auto& nodes = env.graph().nodes;
  auto named = [&](const std::string& name) {
    return std::count_if(nodes.begin(), nodes.end(), [&](const auto& n) { return n.name == name; });
  };
  BOOST_TEST(named("Window(GlobalWindows(), CountTrigger(2), CountEvictor, Aggregation)") == 1);
  BOOST_TEST(named("Window(GlobalWindows(), PurgingTrigger(CountTrigger(4)), Aggregation)") == 1);
  BOOST_TEST(named("Window(GlobalWindows(), CountTrigger(1), CountEvictor, Aggregation)") == 1);
  BOOST_TEST(named("Window(TumblingEventTimeWindows(1000), EventTimeTrigger, TimeEvictor, "
                   "ProcessWindowFunction)") == 1);
  for (const auto& n : nodes)
    if (n.name.find("GlobalWindows") != std::string::npos &&
        n.name.find("CountTrigger(4)") != std::string::npos)
      BOOST_TEST(n.non_parallel);
  auto keyed = events.key_by(&event::key);
  BOOST_CHECK_THROW(keyed.count_window(0, 1), std::invalid_argument);
  BOOST_CHECK_THROW(keyed.count_window(1, 0), std::invalid_argument);
  BOOST_CHECK_THROW(keyed.window(global_windows::create()).evictor(nullptr), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(process_window_functions_keep_state_per_window_and_per_key) {
  using listed = detail::listed_contents<event>;
  using counted = detail::process_result<count_firings, true>;
  count_firings function;
  auto cleared = function.cleared;
  window_subtask<tumbling_event_time_windows, listed, counted> w{
    settings_of(tumbling_event_time_windows::of(10ms), 0, count_trigger<event>::of(1)),
    {},
    counted{function}};
  w.at(1);
  w.at(12);
  w.at(2);
  w.op->process_watermark(9); // cleans [0, 10) up
  w.at(15);
  BOOST_TEST(
    (w.out.items == std::vector<std::string>{"[0,10) firing 1 of 1", "[10,20) firing 1 of 2",
                                             "[0,10) firing 2 of 3", "[10,20) firing 2 of 4"}));
  BOOST_TEST((*cleared == std::vector<std::string>{"0:2"}));
  using sessions_counted = window_subtask<session_windows, listed, counted>;
  sessions_counted sessions{
    settings_of(event_time_session_windows::with_gap(10ms)), {}, counted{count_firings{}}};
  sessions.at(1);
  BOOST_CHECK_THROW(sessions.op->process_watermark(max_watermark), std::logic_error);
}

BOOST_AUTO_TEST_CASE(window_descriptions_and_lateness_errors_follow_flink) {
  BOOST_TEST(tumbling_processing_time_windows::of(5s).describe() ==
             "TumblingProcessingTimeWindows(5000)");
  BOOST_TEST(sliding_processing_time_windows::of(10ms, 5ms).describe() ==
             "SlidingProcessingTimeWindows(10, 5)");
  BOOST_TEST(processing_time_session_windows::with_gap(3s).describe() ==
             "ProcessingTimeSessionWindows(3000)");
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
  keyed.window(event_time_session_windows::with_gap(1s)).sum(&event::time).print();
  BOOST_TEST(env.graph().nodes.back().inputs.front().source == 1);
  BOOST_TEST(env.graph().nodes[1].name ==
             "Window(EventTimeSessionWindows(1000), EventTimeTrigger, Aggregation)");
}

BOOST_AUTO_TEST_SUITE_END()

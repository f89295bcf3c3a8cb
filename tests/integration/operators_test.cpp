// Each operator and partitioner of the DataStream API, end to end in the
// embedded mini-cluster, with exact results.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "support/local_job.hpp"
#include "support/range_source.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::run_job;

namespace {

struct reading {
  std::string sensor;
  std::int64_t value = 0;
  std::int64_t seq = 0;
  friend bool operator==(const reading&, const reading&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, reading& r) {
  return f(r.sensor, r.value, r.seq);
}

/// Collects what a sink receives, from every subtask.
template <class T>
struct collected {
  std::mutex mutex;
  std::vector<T> items;
  auto sink() {
    return [this](const T& x) {
      std::lock_guard<std::mutex> guard{mutex};
      items.push_back(x);
    };
  }
  std::vector<T> sorted() {
    auto copy = items;
    std::sort(copy.begin(), copy.end());
    return copy;
  }
};

job_settings with(int parallelism, runtime_mode mode = runtime_mode::streaming) {
  return testing::job_settings_of("operators", parallelism, mode);
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(to - from + 1));
  std::iota(v.begin(), v.end(), from);
  return v;
}

std::vector<reading> readings() {
  std::vector<reading> out;
  for (std::int64_t i = 0; i < 300; ++i)
    out.push_back({"s" + std::to_string(i % 7), (i * 37) % 101, i});
  return out;
}

/// The count of one key's readings in one 10-second event-time window, and
/// the watermark when its timer fired.
struct window_count {
  std::string sensor;
  std::int64_t window_end = 0;
  std::int64_t count = 0;
  std::int64_t fired_at = 0;
  friend bool operator<(const window_count& a, const window_count& b) {
    return std::tie(a.sensor, a.window_end) < std::tie(b.sensor, b.window_end);
  }
};

template <class Inspector>
auto inspect(Inspector& f, window_count& w) {
  return f(w.sensor, w.window_end, w.count, w.fired_at);
}

/// Tumbling 10-second windows made of keyed state and event-time timers, as
/// a Flink user writes them with a KeyedProcessFunction.
struct windowed_counter : keyed_process_function<std::string, reading, window_count> {
  static constexpr std::int64_t size = 10000;
  std::optional<map_state<std::int64_t, std::int64_t>> counts;

  void open(context& ctx) override {
    counts.emplace(ctx.state(map_state_descriptor<std::int64_t, std::int64_t>{"counts"}));
  }

  void process_element(const reading& r, context& ctx, collector<window_count>& out) override {
    (void)out;
    // The assigner's timestamp, across the key_by edge (failing the job:
    // Boost.Test's checks must not run on the subtasks' threads).
    if (ctx.timestamp() != r.seq)
      throw std::logic_error("record " + std::to_string(r.seq) + " came with timestamp " +
                             std::to_string(ctx.timestamp()));
    auto end = (ctx.timestamp() / size + 1) * size;
    counts->put(end, counts->get(end).value_or(0) + 1);
    ctx.timer_service().register_event_time_timer(end - 1);
  }

  void on_timer(std::int64_t time, context& ctx, collector<window_count>& out) override {
    auto end = time + 1;
    out.collect(window_count{ctx.current_key(), end, counts->get(end).value_or(0),
                             ctx.timer_service().current_watermark()});
    counts->remove(end);
  }
};

/// What the user functions of a job saw of their lifecycle, from every
/// subtask.
struct lifecycle_log {
  std::mutex mutex;
  std::vector<std::string> events;
  void note(const std::string& event) {
    std::lock_guard<std::mutex> guard{mutex};
    events.push_back(event);
  }
  std::vector<std::string> sorted() {
    std::lock_guard<std::mutex> guard{mutex};
    auto copy = events;
    std::sort(copy.begin(), copy.end());
    return copy;
  }
};

/// A map function object with Flink's rich-function lifecycle; throws on
/// `fail_at` (0: never).
struct noting_map {
  lifecycle_log* log;
  std::int64_t fail_at = 0;
  // Runs on the subtasks' threads, where Boost.Test's checks must not.
  void open(const runtime_context& rc) {
    bool named = rc.task_name().find("Noting") != std::string::npos;
    log->note("map open " + std::to_string(rc.index_of_this_subtask()) + "/" +
              std::to_string(rc.number_of_parallel_subtasks()) + " of " +
              std::to_string(rc.max_number_of_parallel_subtasks()) +
              (named ? " in Noting" : " elsewhere") + " attempt " +
              std::to_string(rc.attempt_number()) + " metrics " +
              std::to_string(rc.metrics().read(0).size()));
  }
  void close() { log->note("map close"); }
  std::int64_t operator()(std::int64_t x) const {
    if (x == fail_at)
      throw std::runtime_error("no " + std::to_string(x));
    return x;
  }
};

struct noting_process : process_function<std::int64_t, std::int64_t> {
  lifecycle_log* log = nullptr;
  explicit noting_process(lifecycle_log* l) : log(l) {}
  void open(const runtime_context& rc) override {
    log->note("process open " +
              rc.task_name_with_subtasks().substr(rc.task_name_with_subtasks().find("(")));
  }
  void close() override { log->note("process close"); }
  void process_element(const std::int64_t& x, context&, collector<std::int64_t>& out) override {
    out.collect(std::int64_t{x});
  }
};

struct noting_sum {
  lifecycle_log* log;
  void open(const runtime_context&) { log->note("reduce open"); }
  void close() { log->note("reduce close"); }
  std::int64_t operator()(std::int64_t a, std::int64_t b) const { return a + b; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(operators)

BOOST_AUTO_TEST_CASE(user_functions_open_with_their_subtask_and_close_when_it_stops) {
  lifecycle_log finished;
  auto r = run_job(
    [&](stream_environment& env) {
      env.from_sequence(1, 100)
        .map(noting_map{&finished})
        .name("Noting")
        .process(noting_process{&finished})
        .key_by([](std::int64_t x) { return x % 2; })
        .reduce(noting_sum{&finished})
        .discard();
    },
    with(2));
  BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
  BOOST_TEST(finished.sorted() ==
             (std::vector<std::string>{
               "map close", "map close", "map open 0/2 of 128 in Noting attempt 0 metrics 0",
               "map open 1/2 of 128 in Noting attempt 0 metrics 0", "process close",
               "process close", "process open (1/2)#0", "process open (2/2)#0", "reduce close",
               "reduce close", "reduce open", "reduce open"}));
  // A failure closes what was opened, too.
  lifecycle_log failed;
  r = run_job(
    [&](stream_environment& env) {
      env.from_sequence(1, 100).map(noting_map{&failed, 50}).name("Noting").discard();
    },
    with(1));
  BOOST_TEST((r.status == job_status::failed));
  BOOST_TEST(r.failure.find("no 50") != std::string::npos, r.failure);
  BOOST_TEST(
    failed.sorted() ==
    (std::vector<std::string>{"map close", "map open 0/1 of 128 in Noting attempt 0 metrics 0"}));
}

BOOST_AUTO_TEST_CASE(event_time_windows_aggregate_each_key_per_window) {
  // Sensor s<k> reads k every 250 ms of event time for 40 s, in order.
  std::vector<reading> data;
  for (std::int64_t t = 0; t < 40000; t += 250)
    for (std::int64_t k = 1; k <= 4; ++k)
      data.push_back({"s" + std::to_string(k), k, t});
  auto by_time = watermark_strategy<reading>::for_monotonous_timestamps().with_timestamp_assigner(
    [](const reading& x) { return x.seq; });
  for (int p : {1, 3}) {
    collected<reading> tumbling, sliding;
    auto r = run_job(
      [&](stream_environment& env) {
        auto keyed = env.from_elements(data).assign_timestamps_and_watermarks(by_time).key_by(
          &reading::sensor);
        keyed.window(tumbling_event_time_windows::of(std::chrono::seconds{10}))
          .sum(&reading::value)
          .add_sink(tumbling.sink());
        keyed
          .window(sliding_event_time_windows::of(std::chrono::seconds{10}, std::chrono::seconds{5}))
          .max_by(&reading::seq)
          .add_sink(sliding.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    // Four windows per sensor of 40 readings each; the sum keeps the other
    // fields of the first reading to arrive, one of the window's.
    std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> sums;
    for (const auto& x : tumbling.items)
      sums[x.sensor].emplace_back(x.seq / 10000 * 10000, x.value);
    BOOST_TEST(sums.size() == 4u);
    for (auto& [sensor, windows] : sums) {
      std::sort(windows.begin(), windows.end());
      std::int64_t k = std::stoll(sensor.substr(1));
      BOOST_TEST((windows ==
                  std::vector<std::pair<std::int64_t, std::int64_t>>{
                    {0, 40 * k}, {10000, 40 * k}, {20000, 40 * k}, {30000, 40 * k}}),
                 sensor);
    }
    // Sliding: windows ending every 5 s from 5 s to 45 s; the latest reading
    // of each is the last before its end (or before 40 s).
    std::map<std::string, std::vector<std::int64_t>> latest;
    for (const auto& x : sliding.items)
      latest[x.sensor].push_back(x.seq);
    for (auto& [sensor, seqs] : latest) {
      std::sort(seqs.begin(), seqs.end());

      BOOST_TEST((seqs == std::vector<std::int64_t>{4750, 9750, 14750, 19750, 24750, 29750, 34750,
                                                    39750, 39750}),
                 sensor);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_window_over_records_without_event_time_fails_the_job_saying_why) {
  auto r = run_job(
    [](stream_environment& env) {
      env.from_elements(readings())
        .key_by(&reading::sensor)
        .window(tumbling_event_time_windows::of(std::chrono::seconds{1}))
        .sum(&reading::value)
        .discard();
    },
    with(2));
  BOOST_TEST((r.status == job_status::failed));
  BOOST_TEST(r.failure.find("without a timestamp") != std::string::npos, r.failure);
}

BOOST_AUTO_TEST_CASE(event_time_timers_fire_once_the_watermark_passes_them) {
  // Three sensors, a reading every second for 35 s (the seq is its event
  // time in ms), in order: no reading is late, so every window is complete.
  std::vector<reading> data;
  for (std::int64_t t = 0; t < 35000; t += 1000)
    for (const char* sensor : {"a", "b", "c"})
      data.push_back({sensor, 1, t});
  std::vector<window_count> expected;
  for (const char* sensor : {"a", "b", "c"})
    for (std::int64_t end : {10000, 20000, 30000, 40000})
      expected.push_back({sensor, end, end == 40000 ? 5 : 10, 0});
  for (int p : {1, 3}) {
    collected<window_count> out;
    auto r = run_job(
      [&](stream_environment& env) {
        env.from_elements(data)
          .assign_timestamps_and_watermarks(
            watermark_strategy<reading>::for_monotonous_timestamps().with_timestamp_assigner(
              [](const reading& x) { return x.seq; }))
          .key_by(&reading::sensor)
          .process(windowed_counter{})
          .add_sink(out.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    auto got = out.sorted();
    BOOST_TEST_REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      BOOST_TEST(got[i].sensor == expected[i].sensor);
      BOOST_TEST(got[i].window_end == expected[i].window_end);
      BOOST_TEST(got[i].count == expected[i].count, got[i].sensor << " " << got[i].window_end);
      BOOST_TEST(got[i].fired_at >= got[i].window_end - 1); // never before the watermark passed
    }
  }
}

BOOST_AUTO_TEST_CASE(an_idle_source_does_not_hold_event_time_back) {
  // Source a makes 1000 readings at 500 a second; source b runs silent (its
  // 5 records at 1 a second are all filtered out) and ends at least 4 s
  // after it started, well after a. With idleness b's assigner turns idle
  // and the windows fire as a's watermark passes them; without, b holds
  // event time back until its end.
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> expected;
  for (std::int64_t i = 0; i < 1000; ++i)
    ++expected[{"s" + std::to_string(i % 3), (i * 100 / 10000 + 1) * 10000}];
  for (bool idleness : {true, false}) {
    auto strategy =
      watermark_strategy<reading>::for_monotonous_timestamps().with_timestamp_assigner(
        [](const reading& x) { return x.seq; });
    if (idleness)
      strategy = strategy.with_idleness(std::chrono::milliseconds{100});
    collected<window_count> out;
    auto r = run_job(
      [&](stream_environment& env) {
        auto readings_at = [](std::int64_t i) {
          return reading{"s" + std::to_string(i % 3), 1, i * 100};
        };
        auto a = env.datagen(readings_at, 1000, 500.0).set_parallelism(1);
        auto b = env.datagen(readings_at, 5, 1.0)
                   .set_parallelism(1)
                   .filter([](const reading&) { return false; })
                   .set_parallelism(1);
        a.assign_timestamps_and_watermarks(strategy)
          .set_parallelism(1)
          .union_with(b.assign_timestamps_and_watermarks(strategy).set_parallelism(1))
          .key_by(&reading::sensor)
          .process(windowed_counter{})
          .add_sink(out.sink());
      },
      with(2));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> got;
    bool fired_before_the_end = false;
    for (const auto& w : out.items) {
      got[{w.sensor, w.window_end}] += w.count;
      fired_before_the_end = fired_before_the_end || w.fired_at < max_watermark;
    }
    BOOST_TEST((got == expected), "idleness " << idleness);
    BOOST_TEST(fired_before_the_end == idleness);
  }
}

BOOST_AUTO_TEST_CASE(processing_time_timers_fire_on_the_subtasks_of_a_running_job) {
  // Each of 20 numbers sets a processing-time timer due at once, which
  // emits the number its key saw; 5 more records at the source's pace keep
  // the input open 250 ms after the last number (timers still pending when
  // the input ends lapse, as in Flink).
  struct echo_on_timer : keyed_process_function<std::int64_t, std::int64_t, std::int64_t> {
    std::optional<value_state<std::int64_t>> seen;
    void open(context& ctx) override {
      seen.emplace(ctx.state(value_state_descriptor<std::int64_t>{"seen"}));
    }
    void process_element(const std::int64_t& x, context& ctx, collector<std::int64_t>&) override {
      if (x < 0)
        return; // keeps the input open
      seen->update(x);
      auto& timers = ctx.timer_service();
      timers.register_processing_time_timer(timers.current_processing_time());
    }
    void on_timer(std::int64_t, context& ctx, collector<std::int64_t>& out) override {
      if (ctx.timer_domain() == time_domain::processing_time)
        out.collect(seen->value().value_or(-1));
    }
  };
  for (int p : {1, 2}) {
    collected<std::int64_t> out;
    auto r = run_job(
      [&](stream_environment& env) {
        env.datagen([](std::int64_t i) { return i < 20 ? i : -i; }, 25, 20.0)
          .set_parallelism(1) // the 5 last records come after every number
          .key_by([](std::int64_t x) { return x; })
          .process(echo_on_timer{})
          .add_sink(out.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    BOOST_TEST(out.sorted() == range(0, 19), "parallelism " << p);
  }
}

BOOST_AUTO_TEST_CASE(processing_time_windows_count_every_record_of_a_running_job) {
  // 40 readings of value 1, then 20 of value 0 that keep the input open
  // 200 ms after the last (windows still open when the input ends lapse,
  // as in Flink): the windows' sums add up to 40.
  for (int p : {1, 2}) {
    collected<reading> out;
    auto r = run_job(
      [&](stream_environment& env) {
        env
          .datagen(
            [](std::int64_t i) {
              return reading{"s" + std::to_string(i % 3), i < 40 ? 1 : 0, i};
            },
            60, 100.0)
          .set_parallelism(1)
          .key_by(&reading::sensor)
          .window(tumbling_processing_time_windows::of(std::chrono::milliseconds{50}))
          .sum(&reading::value)
          .add_sink(out.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::int64_t total = 0;
    for (const auto& x : out.items)
      total += x.value;
    BOOST_TEST(total == 40, "parallelism " << p);
  }
}

BOOST_AUTO_TEST_CASE(session_windows_aggregate_each_session_and_side_outputs_reach_their_sinks) {
  // Sensor s<k> reads every 100 ms of event time, in order, with a pause of
  // 1 s after each 10 readings: sessions (gap 500 ms) of 10 readings each.
  // Readings of value 0 also go to a side output of a process function.
  std::vector<reading> data;
  std::vector<std::string> expected;
  for (std::int64_t k = 1; k <= 3; ++k)
    for (std::int64_t session = 0; session < 4; ++session) {
      auto start = session * 2000;
      for (std::int64_t i = 0; i < 10; ++i)
        data.push_back({"s" + std::to_string(k), i % 5 == 0 ? 0 : k, start + i * 100});
      expected.push_back("s" + std::to_string(k) + "," + std::to_string(start) + "," +
                         std::to_string(start + 900 + 500) + ",10," + std::to_string(8 * k));
    }
  std::sort(data.begin(), data.end(),
            [](const reading& a, const reading& b) { return a.seq < b.seq; });
  std::sort(expected.begin(), expected.end());
  struct count_and_sum {
    std::pair<std::int64_t, std::int64_t> create_accumulator() const { return {0, 0}; }
    void add(std::pair<std::int64_t, std::int64_t>& acc, const reading& r) const {
      ++acc.first;
      acc.second += r.value;
    }
    std::pair<std::int64_t, std::int64_t>
    get_result(const std::pair<std::int64_t, std::int64_t>& acc) const {
      return acc;
    }
    void merge(std::pair<std::int64_t, std::int64_t>& acc,
               std::pair<std::int64_t, std::int64_t>&& other) const {
      acc.first += other.first;
      acc.second += other.second;
    }
  };
  struct session_line
    : process_window_function<std::string, std::pair<std::int64_t, std::int64_t>, std::string> {
    void process(const std::string& sensor, context& ctx,
                 std::span<const std::pair<std::int64_t, std::int64_t>> totals,
                 collector<std::string>& out) override {
      out.collect(sensor + "," + std::to_string(ctx.window().start) + "," +
                  std::to_string(ctx.window().end) + "," + std::to_string(totals[0].first) + "," +
                  std::to_string(totals[0].second));
    }
  };
  static const output_tag<std::int64_t> zeros{"zeros"};
  struct zeros_aside : keyed_process_function<std::string, reading, reading> {
    void process_element(const reading& r, context& ctx, collector<reading>& out) override {
      if (r.value == 0)
        ctx.output(zeros, r.seq);
      else
        out.collect(reading(r));
    }
  };
  auto by_time = watermark_strategy<reading>::for_monotonous_timestamps().with_timestamp_assigner(
    [](const reading& x) { return x.seq; });
  static const output_tag<std::int64_t> odd_hundreds{"odd-hundreds"};
  struct odd_hundreds_aside : process_function<reading, reading> {
    void process_element(const reading& r, context& ctx, collector<reading>& out) override {
      if (ctx.timestamp() / 100 % 2 != 0)
        ctx.output(odd_hundreds, r.seq);
      else
        out.collect(reading(r));
    }
  };
  for (int p : {1, 3}) {
    collected<std::string> sessions;
    collected<std::int64_t> aside;
    collected<reading> kept;
    collected<std::int64_t> odd;
    collected<reading> per_two_seconds;
    collected<reading> per_five;
    auto r = run_job(
      [&](stream_environment& env) {
        auto timed = env.from_elements(data).assign_timestamps_and_watermarks(by_time);
        timed.key_by(&reading::sensor)
          .window(event_time_session_windows::with_gap(std::chrono::milliseconds{500}))
          .aggregate(count_and_sum{}, session_line{})
          .add_sink(sessions.sink());
        auto split = timed.key_by(&reading::sensor).process(zeros_aside{});
        split.add_sink(kept.sink());
        split.get_side_output(zeros).add_sink(aside.sink());
        timed.key_by(&reading::sensor)
          .count_window(5)
          .sum(&reading::value)
          .add_sink(per_five.sink());
        auto even = timed.process(odd_hundreds_aside{});
        even.get_side_output(odd_hundreds).add_sink(odd.sink());
        even.map([](reading x) { return x.value = 1, x; })
          .window_all(tumbling_event_time_windows::of(std::chrono::seconds{2}))
          .sum(&reading::value)
          .add_sink(per_two_seconds.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    BOOST_TEST(sessions.sorted() == expected, "parallelism " << p);
    BOOST_TEST(aside.items.size() == 24u); // two of each session's ten readings
    BOOST_TEST(kept.items.size() == data.size() - 24u);
    // Half of each session's readings (at odd hundreds of ms) go aside; the
    // rest, five per sensor and session, fall in one window of 2 s each.
    BOOST_TEST(odd.items.size() == 60u);
    BOOST_TEST(std::all_of(odd.items.begin(), odd.items.end(),
                           [](std::int64_t t) { return t / 100 % 2 != 0; }));
    std::vector<std::int64_t> counts;
    for (const auto& x : per_two_seconds.items)
      counts.push_back(x.value);
    BOOST_TEST((counts == std::vector<std::int64_t>{15, 15, 15, 15}));
    // Count windows of five readings per sensor (which five depends on the
    // arrival order across the parallel subtasks): eight per sensor, adding up
    // to the sensor's total, 32 k.
    std::map<std::string, std::pair<int, std::int64_t>> fives;
    for (const auto& x : per_five.items) {
      ++fives[x.sensor].first;
      fives[x.sensor].second += x.value;
    }
    BOOST_TEST(fives.size() == 3u);
    for (const auto& [sensor, f] : fives) {
      BOOST_TEST(f.first == 8, sensor);
      BOOST_TEST(f.second == 32 * std::stoll(sensor.substr(1)), sensor);
    }
  }
}

BOOST_AUTO_TEST_CASE(count_windows_over_all_records_tumble_and_slide) {
  for (int p : {1, 3}) {
    collected<std::int64_t> tumbling;
    collected<std::int64_t> sliding;
    auto r = run_job(
      [&](stream_environment& env) {
        auto ones = env.from_sequence(1, 100).map([](std::int64_t) { return std::int64_t{1}; });
        ones.count_window_all(10).sum().add_sink(tumbling.sink());
        ones.count_window_all(10, 5).sum().add_sink(sliding.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    BOOST_TEST(tumbling.items == std::vector<std::int64_t>(10, 10), "parallelism " << p);
    // Every 5 records the last 10: the first firing sees 5.
    std::vector<std::int64_t> expected(20, 10);
    expected[0] = 5;
    // The sinks run at the job's parallelism: the windows' results reach
    // them in any order.
    BOOST_TEST(sliding.sorted() == expected, "parallelism " << p);
  }
}

BOOST_AUTO_TEST_CASE(map_filter_flat_map) {
  for (int p : {1, 3}) {
    collected<std::int64_t> out;
    auto r = run_job(
      [&](stream_environment& env) {
        env.from_sequence(1, 1000)
          .filter([](std::int64_t x) { return x % 2 == 0; })
          .map([](std::int64_t x) { return x * 10; })
          .flat_map([](std::int64_t x, collector<std::int64_t>& c) {
            c.collect(x);
            c.collect(x + 1);
          })
          .add_sink(out.sink());
      },
      with(p));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::vector<std::int64_t> expected;
    for (std::int64_t x = 2; x <= 1000; x += 2) {
      expected.push_back(x * 10);
      expected.push_back(x * 10 + 1);
    }
    std::sort(expected.begin(), expected.end());
    BOOST_TEST(out.sorted() == expected);
  }
}

BOOST_AUTO_TEST_CASE(sources_emit_each_record_once) {
  collected<std::int64_t> seq;
  collected<std::int64_t> gen;
  collected<std::string> elems;
  auto r = run_job(
    [&](stream_environment& env) {
      env.from_sequence(-5, 5000).add_sink(seq.sink());
      env.datagen([](std::int64_t i) { return i * i; }, 777).add_sink(gen.sink());
      // Chained with its sink: one channel, so the order is kept.
      env.from_elements(std::string{"x"}, std::string{"y"}, std::string{"z"})
        .add_sink(elems.sink())
        .set_parallelism(1);
    },
    with(4));
  BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
  BOOST_TEST(seq.sorted() == range(-5, 5000));
  std::vector<std::int64_t> squares;
  for (std::int64_t i = 0; i < 777; ++i)
    squares.push_back(i * i);
  BOOST_TEST(gen.sorted() == squares);
  BOOST_TEST((elems.items == std::vector<std::string>{"x", "y", "z"}));
}

BOOST_AUTO_TEST_CASE(a_source_of_the_source_api_reads_every_split_once) {
  // The job master's enumerator finds 20 splits on an I/O thread and hands
  // them out as readers ask; every reader ends once no more come.
  for (int parallelism : {1, 4}) {
    BOOST_TEST_CONTEXT("-p " << parallelism) {
      collected<std::int64_t> out;
      auto r = run_job(
        [&](stream_environment& env) {
          env
            .from_source(testing::range_source{7, testing::range_splits(20, 50)},
                         watermark_strategy<std::int64_t>::no_watermarks(), "ranges")
            .add_sink(out.sink());
        },
        with(parallelism));
      BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
      BOOST_TEST(out.sorted() == range(0, 999));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_watching_file_source_reads_each_file_that_appears_once) {
  // Its enumerator lists the directory every 20 ms; files written while the
  // job runs (hidden, then renamed) are read, those read before never again.
  testing::temp_dir dir;
  testing::write_file(dir.file("1.txt"), "a\nb\n");
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::string> lines;
  auto graph = testing::build_graph(
    [&](stream_environment& env) {
      env
        .from_source(text_file_source<std::string>{dir.path().string()}.monitor_continuously(
                       std::chrono::milliseconds{20}),
                     watermark_strategy<std::string>::no_watermarks(), "watched")
        .add_sink([&](const std::string& line) {
          std::lock_guard<std::mutex> guard{mutex};
          lines.push_back(line);
          arrived.notify_all();
        });
    },
    with(2));
  testing::background_job job{graph};
  auto seen = [&](std::size_t n) {
    std::unique_lock<std::mutex> lock{mutex};
    return arrived.wait_for(lock, std::chrono::minutes{1}, [&] { return lines.size() >= n; });
  };
  auto add_file = [&](const std::string& name, const std::string& text) {
    testing::write_file(dir.file("." + name), text);
    std::filesystem::rename(dir.file("." + name), dir.file(name));
  };
  bool first = seen(2);
  if (first)
    add_file("2.txt", "c\nd\ne\n");
  bool second = first && seen(5);
  if (second)
    add_file("3.txt", "f\n");
  bool third = second && seen(6);
  auto result = job.cancel();
  BOOST_TEST(first);
  BOOST_TEST(second);
  BOOST_TEST(third);
  BOOST_TEST((result.status == job_status::canceled), result.failure);
  std::sort(lines.begin(), lines.end());
  BOOST_TEST(lines == (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
}

BOOST_AUTO_TEST_CASE(an_enumerator_that_throws_fails_the_job_naming_its_source) {
  testing::range_source_options failing;
  failing.splits = testing::range_splits(2, 5);
  failing.failing = true;
  auto r = run_job(
    [&](stream_environment& env) {
      env
        .from_source(testing::range_source{failing},
                     watermark_strategy<std::int64_t>::no_watermarks(), "ranges")
        .discard();
    },
    with(2));
  BOOST_TEST((r.status == job_status::failed));
  BOOST_TEST(r.failure.find("the split enumerator of source 'ranges' failed in "
                            "handle_split_request: no split for subtask") != std::string::npos,
             r.failure);
}

BOOST_AUTO_TEST_CASE(partitioners_deliver_every_record_the_right_number_of_times) {
  collected<std::pair<int, std::int64_t>> rebalanced;
  collected<std::pair<int, std::int64_t>> rescaled;
  collected<std::pair<int, std::int64_t>> broadcast;
  auto r = run_job(
    [&](stream_environment& env) {
      auto s = env.from_sequence(1, 100).set_parallelism(2);
      s.rebalance()
        .map([](std::int64_t x) { return std::make_pair(0, x); })
        .set_parallelism(3)
        .add_sink(rebalanced.sink())
        .set_parallelism(3);
      s.rescale()
        .map([](std::int64_t x) { return std::make_pair(1, x); })
        .set_parallelism(4)
        .add_sink(rescaled.sink())
        .set_parallelism(4);
      s.broadcast()
        .map([](std::int64_t x) { return std::make_pair(2, x); })
        .set_parallelism(3)
        .add_sink(broadcast.sink())
        .set_parallelism(3);
    },
    with(2));
  BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
  BOOST_TEST(rebalanced.items.size() == 100u);
  BOOST_TEST(rescaled.items.size() == 100u);
  BOOST_TEST(broadcast.items.size() == 300u); // every record to each of 3 subtasks
  std::multiset<std::int64_t> b;
  for (auto& [tag_, x] : broadcast.items)
    b.insert(x);
  for (std::int64_t x = 1; x <= 100; ++x)
    BOOST_TEST(b.count(x) == 3u);
}

BOOST_AUTO_TEST_CASE(union_merges_streams) {
  collected<std::int64_t> out;
  auto r = run_job(
    [&](stream_environment& env) {
      auto a = env.from_sequence(1, 50);
      auto b = env.from_sequence(51, 100).set_parallelism(3);
      auto c = env.from_elements(std::int64_t{101});
      a.union_with(b, c).map([](std::int64_t x) { return x; }).add_sink(out.sink());
    },
    with(2));
  BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
  BOOST_TEST(out.sorted() == range(1, 101));
}

BOOST_AUTO_TEST_CASE(rolling_aggregations_follow_flink) {
  auto data = readings();
  std::map<std::string, std::vector<reading>> per_sensor;
  for (const auto& r : data)
    per_sensor[r.sensor].push_back(r);

  for (auto mode : {runtime_mode::streaming, runtime_mode::batch}) {
    collected<reading> sums, mins, maxs, min_bys, max_bys, reduced;
    auto r = run_job(
      [&](stream_environment& env) {
        auto keyed = env.from_elements(data).key_by(&reading::sensor);
        keyed.sum(&reading::value).add_sink(sums.sink());
        keyed.min(&reading::value).add_sink(mins.sink());
        keyed.max(&reading::value).add_sink(maxs.sink());
        keyed.min_by(&reading::value).add_sink(min_bys.sink());
        keyed.max_by(&reading::value).add_sink(max_bys.sink());
        keyed
          .reduce([](reading a, const reading& b) {
            a.seq = std::max(a.seq, b.seq);
            return a;
          })
          .add_sink(reduced.sink());
      },
      with(3, mode));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    bool streaming = mode == runtime_mode::streaming;
    auto final_of = [&](collected<reading>& c) {
      BOOST_TEST(c.items.size() == (streaming ? data.size() : per_sensor.size()));
      // Per key, the last update is the final aggregate (updates of one key
      // stay in order: one subtask, one channel).
      std::map<std::string, reading> last;
      for (const auto& x : c.items)
        last[x.sensor] = x;
      return last;
    };
    auto s = final_of(sums);
    auto mn = final_of(mins);
    auto mx = final_of(maxs);
    auto mnb = final_of(min_bys);
    auto mxb = final_of(max_bys);
    auto red = final_of(reduced);
    for (const auto& [sensor, rs] : per_sensor) {
      std::int64_t total = 0;
      for (const auto& x : rs)
        total += x.value;
      BOOST_TEST(s[sensor].value == total);
      auto smallest =
        *std::min_element(rs.begin(), rs.end(), [](auto& a, auto& b) { return a.value < b.value; });
      auto largest =
        *std::max_element(rs.begin(), rs.end(), [](auto& a, auto& b) { return a.value < b.value; });
      BOOST_TEST(mn[sensor].value == smallest.value);
      BOOST_TEST(mx[sensor].value == largest.value);
      // min/max keep the first record's other fields; min_by/max_by the record.
      BOOST_TEST(mn[sensor].seq == rs.front().seq);
      BOOST_TEST((mnb[sensor] == smallest));
      BOOST_TEST((mxb[sensor] == largest));
      BOOST_TEST(red[sensor].seq == rs.back().seq);
    }
  }
}

BOOST_AUTO_TEST_CASE(windows_of_built_in_aggregations_are_exact_in_batch_mode_too) {
  // In BATCH mode these fold records before the shuffle (per window pane, per
  // session span); every window must still get exactly its own records.
  // Five sensors and a rare one, out of order by up to 170 ms, in blocks
  // of 3 s with 1 s pauses; sessions have a gap of 300 ms.
  std::vector<reading> data;
  for (std::int64_t i = 0; i < 3000; ++i) {
    auto time = i * 20 + (i / 150) * 1000 + (i * 7919 % 11) * 17;
    data.push_back({i % 97 == 0 ? "rare" : "s" + std::to_string(i % 5), i, time});
  }
  constexpr std::int64_t gap = 300;
  // The references: (sensor, sum) per tumbling window of 1 s from 250 ms,
  // per session; the record of the largest value per sliding window of 2 s
  // every 750 ms.
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> tumbling_sums;
  std::map<std::pair<std::string, std::int64_t>, reading> sliding_max;
  std::map<std::string, std::vector<reading>> per_sensor;
  for (const auto& r : data) {
    auto start = r.seq - ((r.seq - 250) % 1000 + 1000) % 1000;
    tumbling_sums[{r.sensor, start}] += r.value;
    for (auto s = (r.seq / 750) * 750; s > r.seq - 2000; s -= 750) {
      auto [it, fresh] = sliding_max.try_emplace({r.sensor, s}, r);
      if (!fresh && it->second.value < r.value)
        it->second = r;
    }
    per_sensor[r.sensor].push_back(r);
  }
  std::vector<std::pair<std::string, std::int64_t>> expected_tumbling, expected_sessions;
  for (const auto& [window, sum] : tumbling_sums)
    expected_tumbling.emplace_back(window.first, sum);
  std::vector<reading> expected_sliding;
  for (const auto& [window, r] : sliding_max)
    expected_sliding.push_back(r);
  for (auto& [sensor, rs] : per_sensor) {
    std::sort(rs.begin(), rs.end(), [](auto& a, auto& b) { return a.seq < b.seq; });
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < rs.size(); ++i) {
      sum += rs[i].value;
      if (i + 1 == rs.size() || rs[i + 1].seq - rs[i].seq > gap)
        expected_sessions.emplace_back(sensor, std::exchange(sum, 0));
    }
  }
  std::sort(expected_tumbling.begin(), expected_tumbling.end());
  std::sort(expected_sliding.begin(), expected_sliding.end(),
            [](auto& a, auto& b) { return a.value < b.value; });
  std::sort(expected_sessions.begin(), expected_sessions.end());
  auto sums_of = [](collected<reading>& c) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& x : c.items)
      out.emplace_back(x.sensor, x.value);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto by_time = watermark_strategy<reading>::for_bounded_out_of_orderness(std::chrono::seconds{1})
                   .with_timestamp_assigner([](const reading& x) { return x.seq; });
  for (auto [mode, p] :
       {std::pair{runtime_mode::streaming, 1}, std::pair{runtime_mode::batch, 3}}) {
    collected<reading> tumbling, sliding, sessions;
    auto r = run_job(
      [&](stream_environment& env) {
        auto keyed =
          env.from_elements(data).rebalance().assign_timestamps_and_watermarks(by_time).key_by(
            &reading::sensor);
        keyed
          .window(tumbling_event_time_windows::of(std::chrono::seconds{1},
                                                  std::chrono::milliseconds{250}))
          .sum(&reading::value)
          .add_sink(tumbling.sink());
        keyed
          .window(
            sliding_event_time_windows::of(std::chrono::seconds{2}, std::chrono::milliseconds{750}))
          .max_by(&reading::value)
          .add_sink(sliding.sink());
        keyed.window(event_time_session_windows::with_gap(std::chrono::milliseconds{gap}))
          .sum(&reading::value)
          .add_sink(sessions.sink());
      },
      with(p, mode));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    BOOST_TEST((sums_of(tumbling) == expected_tumbling), "parallelism " << p);
    auto largest = sliding.items;
    std::sort(largest.begin(), largest.end(), [](auto& a, auto& b) { return a.value < b.value; });
    BOOST_TEST((largest == expected_sliding), "parallelism " << p);
    BOOST_TEST((sums_of(sessions) == expected_sessions), "parallelism " << p);
  }
}

BOOST_AUTO_TEST_CASE(a_throwing_function_fails_the_job_with_its_message) {
  auto r = run_job(
    [](stream_environment& env) {
      env.from_sequence(1, 100000)
        .map([](std::int64_t x) {
          if (x == 5000)
            throw std::invalid_argument("cannot handle 5000");
          return x;
        })
        .name("picky")
        .discard();
    },
    with(2));
  BOOST_TEST((r.status == job_status::failed));
  BOOST_TEST(r.failure.find("picky") != std::string::npos);
  BOOST_TEST(r.failure.find("cannot handle 5000") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

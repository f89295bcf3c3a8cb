#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "runtime/task.hpp"
#include "support/inline_io.hpp"
#include "support/local_job.hpp"
#include "support/manual_clock.hpp"
#include "support/range_source.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

/// Records what a task asks its host to do.
struct fake_host final : task_host {
  struct sent {
    std::uint32_t partition;
    std::uint32_t channel;
    channel_event event;
  };
  std::vector<sent> events;
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> credits;
  int resumes = 0;
  std::vector<std::chrono::milliseconds> flushes;
  std::vector<std::pair<execution_state, std::string>> states;
  std::vector<std::string> commits;

  void send_event(std::uint32_t p, std::uint32_t c, channel_event e) override {
    events.push_back({p, c, std::move(e)});
  }
  void send_credit(std::uint32_t g, std::uint32_t c, std::uint32_t n) override {
    credits.emplace_back(g, c, n);
  }
  void schedule_resume(std::chrono::nanoseconds) override { ++resumes; }
  void schedule_flush(std::chrono::milliseconds d) override { flushes.push_back(d); }
  std::vector<std::chrono::milliseconds> watermark_timers;
  void schedule_watermark(std::chrono::milliseconds d) override { watermark_timers.push_back(d); }
  std::vector<std::pair<std::int64_t, std::chrono::milliseconds>> processing_timers;
  void schedule_processing_timer(std::int64_t time, std::chrono::milliseconds d) override {
    processing_timers.emplace_back(time, d);
  }
  void state_changed(execution_state s, const std::string& f) override {
    states.emplace_back(s, f);
  }
  void committed(const std::string& f) override { commits.push_back(f); }
  std::vector<std::pair<checkpoint_id, std::vector<operator_subtask_state>>> acks;
  std::vector<std::pair<checkpoint_id, std::string>> declines;
  void acknowledge_checkpoint(checkpoint_id id, std::vector<operator_subtask_state> s) override {
    acks.emplace_back(id, std::move(s));
  }
  void decline_checkpoint(checkpoint_id id, const std::string& reason, bool) override {
    declines.emplace_back(id, reason);
  }

  /// The events sent on (partition 0, `channel`), as "b" (a batch), "w<value>"
  /// (a watermark), "e" (end of input), "c" (a barrier), "i" or "a" (idle,
  /// active).
  std::vector<std::string> on_channel(std::uint32_t channel) const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.partition != 0 || e.channel != channel)
        continue;
      switch (e.event.kind) {
        case event_kind::batch:
          out.push_back("b");
          break;
        case event_kind::watermark:
          out.push_back("w" + std::to_string(e.event.value));
          break;
        case event_kind::end_of_input:
          out.push_back("e");
          break;
        case event_kind::barrier:
          out.push_back("c");
          break;
        case event_kind::watermark_status:
          out.push_back(e.event.value != 0 ? "i" : "a");
          break;
      }
    }
    return out;
  }

  std::size_t batches() const {
    std::size_t n = 0;
    for (const auto& e : events)
      n += e.event.kind == event_kind::batch;
    return n;
  }
  std::size_t records() const {
    std::size_t n = 0;
    for (const auto& e : events)
      if (e.event.kind == event_kind::batch)
        n += e.event.batch->size();
    return n;
  }

  /// The records of every batch sent, in order, when they are T.
  template <class T>
  std::vector<T> sent_records() const {
    std::vector<T> out;
    for (const auto& e : events)
      if (e.event.kind == event_kind::batch)
        for (const auto& r : spi::records_of<T>(*e.event.batch))
          out.push_back(r);
    return out;
  }
};

/// 0, 1, 2, ... without end, from a source operator of the runtime's own
/// (no coordinator: the task is alone in these tests). With `durable`, its
/// snapshots need output that is durable once the flag is set.
class endless_numbers final : public detail::source<std::int64_t> {
public:
  explicit endless_numbers(std::shared_ptr<std::atomic<bool>> durable)
    : durable_(std::move(durable)) {}

  spi::poll_result poll(std::size_t max_records) override {
    for (std::size_t i = 0; i < max_records; ++i)
      output().collect(next_++);
    return {spi::input_status::more_available};
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    if (durable_)
      snapshot.durable = [flag = durable_] { return flag->load(); };
  }

private:
  std::shared_ptr<std::atomic<bool>> durable_;
  std::int64_t next_ = 0;
};

data_stream<std::int64_t> endless(stream_environment& env,
                                  std::shared_ptr<std::atomic<bool>> durable = nullptr) {
  detail::stream_node node;
  node.kind = detail::node_kind::source;
  node.name = "Endless Numbers";
  node.bounded = false;
  node.factory = detail::make_operator_factory<std::int64_t>(
    [durable](const spi::operator_context&) { return std::make_unique<endless_numbers>(durable); });
  return detail::add_stream_node<std::int64_t>(env, std::move(node));
}

/// A source vertex that never ends, sending to two downstream subtasks.
std::shared_ptr<const job_graph> endless_source_graph() {
  return flinkcpp::testing::build_graph([](stream_environment& env) {
    endless(env).set_parallelism(1).rebalance().discard().set_parallelism(2);
  });
}

/// A source of the source API (reading 4 numbers of each split per poll),
/// sending to two downstream subtasks.
std::shared_ptr<const job_graph> split_source_graph() {
  return flinkcpp::testing::build_graph([](stream_environment& env) {
    env
      .from_source(flinkcpp::testing::range_source{4},
                   watermark_strategy<std::int64_t>::no_watermarks(), "ranges")
      .set_parallelism(1)
      .rebalance()
      .discard()
      .set_parallelism(2);
  });
}

/// The numbers from..to, for a source that ends by itself (no coordinator).
std::vector<std::int64_t> numbers(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> out;
  for (auto i = from; i <= to; ++i)
    out.push_back(i);
  return out;
}

/// Sources of parallelism 2 feeding one map subtask (vertex 1), which sends
/// to two sink subtasks.
std::shared_ptr<const job_graph> relay_graph() {
  return flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10)
      .set_parallelism(2)
      .rebalance()
      .map([](std::int64_t x) { return x; })
      .set_parallelism(1)
      .rebalance()
      .discard()
      .set_parallelism(2);
  });
}

task_settings small_steps(std::chrono::milliseconds timeout) {
  task_settings s;
  s.buffer_timeout = timeout;
  s.source_step = 5;
  return s;
}

struct task_fixture {
  fake_host host;
  task_metrics metrics;
  flinkcpp::testing::inline_io io;
  flinkcpp::testing::manual_clock clock{1'000'000};
  std::unique_ptr<task> t;
  /// Events the task's operators sent to their coordinators.
  std::vector<std::pair<operator_id, detail::source_event>> to_coordinators;

  void make(std::shared_ptr<const job_graph> graph, int vertex, task_settings settings,
            std::vector<std::uint32_t> inputs, std::vector<std::uint32_t> outputs) {
    graph_ = std::move(graph);
    chain_services services;
    services.io = &io;
    services.wake = [] {};
    services.clock = &clock;
    services.location = "host-7";
    services.send_to_coordinator = [this](const operator_id& op, std::string event) {
      to_coordinators.emplace_back(op, detail::from_bytes<detail::source_event>(event));
    };
    t = std::make_unique<task>(host, *graph_, vertex, 0, settings, services, std::move(inputs),
                               std::move(outputs), metrics);
  }

  /// Hands the task a batch of `records` on channel `channel` of gate 0.
  void receive_records(std::uint32_t channel, std::vector<std::int64_t> records) {
    auto batch = std::make_shared<spi::typed_batch<std::int64_t>>();
    batch->records = std::move(records);
    t->receive(0, channel, channel_event::of(batch));
  }

  /// The endless source with credit for 10 batches on each channel, started.
  void start_endless_source() {
    make(endless_source_graph(), 0, small_steps(100ms), {}, {2});
    t->grant(0, 0, 10);
    t->grant(0, 1, 10);
    t->start();
  }

private:
  std::shared_ptr<const job_graph> graph_;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(tasks, task_fixture)

BOOST_AUTO_TEST_CASE(buffer_timeout_flushes_partial_batches_once_per_timeout) {
  make(endless_source_graph(), 0, small_steps(100ms), {}, {2});
  t->grant(0, 0, 10); // receivers grant credit as they start
  t->grant(0, 1, 10);
  t->start();
  t->resume();
  t->resume();
  BOOST_TEST(host.events.empty()); // 10 records wait in partial batches
  BOOST_TEST((host.flushes == std::vector<std::chrono::milliseconds>{100ms}));
  t->flush_timer();
  BOOST_TEST(host.batches() == 2u);
  BOOST_TEST(host.records() == 10u);
  t->resume();
  BOOST_TEST(host.flushes.size() == 2u); // a new timer for the new partial batches
}

BOOST_AUTO_TEST_CASE(zero_timeout_flushes_after_every_step) {
  make(endless_source_graph(), 0, small_steps(0ms), {}, {2});
  t->grant(0, 0, 10);
  t->grant(0, 1, 10);
  t->start();
  t->resume();
  BOOST_TEST(host.records() == 5u);
  BOOST_TEST(host.flushes.empty());
}

BOOST_AUTO_TEST_CASE(disabled_timeout_sends_only_full_batches) {
  auto settings = small_steps(-1ms);
  settings.batch_bytes = 64; // 8 records
  make(endless_source_graph(), 0, settings, {}, {2});
  t->grant(0, 0, 100);
  t->grant(0, 1, 100);
  t->start();
  for (int i = 0; i < 4; ++i)
    t->resume(); // 20 records, 10 per channel
  BOOST_TEST(host.flushes.empty());
  BOOST_TEST(host.batches() == 2u);
  for (const auto& e : host.events)
    BOOST_TEST(e.event.batch->size() == 8u);
}

BOOST_AUTO_TEST_CASE(without_credit_the_task_stops_and_reports_backpressure) {
  auto settings = small_steps(0ms);
  settings.max_queued_per_channel = 2;
  make(endless_source_graph(), 0, settings, {}, {2});
  t->start();
  for (int i = 0; i < 20; ++i)
    t->resume();
  // Each channel queued two batches; then the source is no longer polled.
  BOOST_TEST(host.events.empty());
  BOOST_TEST(metrics.back_pressured.load());
  auto produced = metrics.records_out.load();
  t->resume();
  BOOST_TEST(metrics.records_out.load() == produced);
  t->grant(0, 0, 10); // the queued batches go, and the source runs again
  t->grant(0, 1, 10);
  BOOST_TEST(host.batches() > 4u);
  BOOST_TEST(metrics.records_out.load() > produced);
  BOOST_TEST(!metrics.back_pressured.load());
}

BOOST_AUTO_TEST_CASE(a_finished_task_drains_and_commits) {
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_elements(numbers(1, 10)).rebalance().discard().set_parallelism(2);
  });
  make(graph, 0, small_steps(100ms), {}, {2});
  t->start();
  t->resume();
  t->resume();
  t->resume();
  // Finished producing: end of input waits behind the batches lacking credit.
  BOOST_TEST((host.states.back().first == execution_state::running));
  t->grant(0, 0, 2);
  t->grant(0, 1, 2);
  BOOST_REQUIRE(!host.states.empty());
  BOOST_TEST((host.states.back().first == execution_state::finished));
  BOOST_TEST(host.records() == 10u);
  BOOST_TEST((host.events.back().event.kind == event_kind::end_of_input));
  t->commit();
  BOOST_TEST((host.commits == std::vector<std::string>{""}));
}

BOOST_AUTO_TEST_CASE(an_input_task_returns_credits_and_ends_with_its_channels) {
  std::vector<std::int64_t> seen;
  auto graph = flinkcpp::testing::build_graph([&seen](stream_environment& env) {
    env.from_sequence(1, 10)
      .set_parallelism(2)
      .rebalance()
      .add_sink([&seen](std::int64_t x) { seen.push_back(x); })
      .set_parallelism(1);
  });
  task_settings settings;
  settings.credits_per_channel = 3;
  make(graph, 1, settings, {2}, {});
  t->start();
  BOOST_TEST(host.credits.size() == 2u); // initial credits, one grant per channel
  BOOST_TEST(std::get<2>(host.credits[0]) == 3u);
  receive_records(1, {7, 8, 9});
  BOOST_TEST((seen == std::vector<std::int64_t>{7, 8, 9}));
  BOOST_TEST((host.credits.back() == std::make_tuple(0u, 1u, 1u)));
  BOOST_TEST(metrics.records_in.load() == 3);
  t->receive(0, 0, channel_event::end_of_input());
  BOOST_TEST((host.states.back().first == execution_state::running));
  t->receive(0, 1, channel_event::end_of_input());
  BOOST_TEST((host.states.back().first == execution_state::finished));
}

BOOST_AUTO_TEST_CASE(input_that_ended_before_the_start_ends_the_task_once_it_starts) {
  // An end of input needs no credit: a fast upstream can end before this
  // subtask started, and nothing else arrives afterwards to wake it.
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(1);
  });
  make(graph, 1, task_settings{}, {2}, {});
  t->receive(0, 0, channel_event::watermark(5));
  t->receive(0, 0, channel_event::end_of_input());
  t->receive(0, 1, channel_event::end_of_input());
  BOOST_TEST(host.states.empty());
  t->start();
  BOOST_TEST_REQUIRE(host.states.size() == 2u);
  BOOST_TEST((host.states[0].first == execution_state::running));
  BOOST_TEST((host.states[1].first == execution_state::finished));
}

BOOST_AUTO_TEST_CASE(an_exception_in_user_code_fails_the_task) {
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_elements(numbers(1, 10))
      .map([](std::int64_t x) {
        if (x == 3)
          throw std::runtime_error("bad record 3");
        return x;
      })
      .discard();
  });
  make(graph, 0, small_steps(0ms), {}, {});
  t->start();
  t->resume();
  BOOST_REQUIRE(!host.states.empty());
  BOOST_TEST((host.states.back().first == execution_state::failed));
  BOOST_TEST(host.states.back().second == "bad record 3");
  t->resume(); // a failed task ignores what still arrives
  BOOST_TEST(host.states.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_assigner_emits_its_watermark_every_interval_behind_the_records_before_it) {
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    endless(env)
      .assign_timestamps_and_watermarks(
        watermark_strategy<std::int64_t>::for_monotonous_timestamps().with_timestamp_assigner(
          [](std::int64_t i) { return 1000 + 10 * i; }))
      .set_parallelism(1)
      .rebalance()
      .discard()
      .set_parallelism(2);
  });
  auto settings = small_steps(100ms);
  settings.auto_watermark_interval = 50ms;
  make(graph, 0, settings, {}, {2});
  t->grant(0, 0, 10);
  t->grant(0, 1, 10);
  t->start();
  BOOST_TEST((host.watermark_timers == std::vector<std::chrono::milliseconds>{50ms}));
  t->resume();
  t->resume(); // records 0..9: timestamps up to 1090
  BOOST_TEST(host.events.empty());
  t->watermark_timer();
  for (std::uint32_t c : {0u, 1u})
    BOOST_TEST((host.on_channel(c) == std::vector<std::string>{"b", "w1089"}));
  BOOST_TEST(host.records() == 10u);
  BOOST_TEST(host.watermark_timers.size() == 2u); // the next one
  t->watermark_timer();                           // no new record: the watermark did not rise
  BOOST_TEST(host.events.size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_source_that_ends_sends_max_watermark_before_its_end_of_input) {
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_elements(numbers(1, 4)).rebalance().discard().set_parallelism(2);
  });
  make(graph, 0, small_steps(100ms), {}, {2});
  t->grant(0, 0, 10);
  t->grant(0, 1, 10);
  t->start();
  BOOST_TEST(host.watermark_timers.empty()); // nothing makes watermarks
  t->resume();
  t->resume();
  BOOST_REQUIRE((host.states.back().first == execution_state::finished));
  for (std::uint32_t c : {0u, 1u})
    BOOST_TEST((host.on_channel(c) ==
                std::vector<std::string>{"b", "w" + std::to_string(max_watermark), "e"}));
}

BOOST_AUTO_TEST_CASE(an_input_task_advances_by_the_minimum_over_its_channels) {
  make(relay_graph(), 1, small_steps(100ms), {2}, {2});
  t->start();
  t->receive(0, 0, channel_event::watermark(500));
  BOOST_TEST(host.events.empty()); // channel 1 has none yet
  BOOST_TEST(metrics.input_watermark.load() == min_watermark);
  t->receive(0, 1, channel_event::watermark(300));
  BOOST_TEST(metrics.input_watermark.load() == 300);
  t->receive(0, 1, channel_event::end_of_input()); // channel 0 alone holds it now
  BOOST_TEST(metrics.input_watermark.load() == 500);
  for (std::uint32_t c : {0u, 1u})
    BOOST_TEST((host.on_channel(c) == std::vector<std::string>{"w300", "w500"}));
}

BOOST_AUTO_TEST_CASE(a_two_input_task_hands_each_gate_to_its_input_and_ends_with_both) {
  // connect: numbers on the first input, words on the second; the co-map
  // heads its vertex, its gate 1 feeds the second input. The watermark is
  // the smaller of both inputs'; the task ends when both ended.
  struct describe : co_map_function<std::int64_t, std::string, std::string> {
    std::string map1(const std::int64_t& n) override { return "n" + std::to_string(n); }
    std::string map2(const std::string& w) override { return "w" + w; }
  };
  std::vector<std::string> seen;
  auto graph = flinkcpp::testing::build_graph([&seen](stream_environment& env) {
    auto numbers = env.from_sequence(1, 3);
    auto words = env.from_elements<std::string>({"a"});
    numbers.connect(words).map(describe{}).add_sink([&seen](const std::string& s) {
      seen.push_back(s);
    });
  });
  make(graph, 2, small_steps(100ms), {1, 1}, {});
  t->start();
  receive_records(0, {7, 8});
  auto words = std::make_shared<spi::typed_batch<std::string>>();
  words->records = {"x", "y"};
  t->receive(1, 0, channel_event::of(words));
  receive_records(0, {9});
  BOOST_TEST((seen == std::vector<std::string>{"n7", "n8", "wx", "wy", "n9"}));
  t->receive(0, 0, channel_event::watermark(500));
  BOOST_TEST(metrics.input_watermark.load() == min_watermark);
  t->receive(1, 0, channel_event::watermark(300));
  BOOST_TEST(metrics.input_watermark.load() == 300);
  t->receive(1, 0, channel_event::end_of_input());
  BOOST_TEST((host.states.back().first == execution_state::running));
  BOOST_TEST(metrics.input_watermark.load() == 500);
  t->receive(0, 0, channel_event::end_of_input());
  BOOST_TEST((host.states.back().first == execution_state::finished));
}

BOOST_AUTO_TEST_CASE(a_two_input_head_hears_each_input_end_once_all_its_gates_ended) {
  // The first input is the union of two streams (two gates), the second
  // one stream: the head hears "input 1 ended" when the second's gate ends,
  // "input 0 ended" only when both gates of the first have, each once,
  // before the task finishes.
  struct ends final : detail::two_input_operator<std::int64_t, std::string, std::string> {
    void end_of_input(int input) override { output().collect("end" + std::to_string(input)); }
    void element1(std::int64_t&& n) override { output().collect("n" + std::to_string(n)); }
    void element2(std::string&& w) override { output().collect("w" + w); }
  };
  std::vector<std::string> seen;
  auto graph = flinkcpp::testing::build_graph([&seen](stream_environment& env) {
    auto numbers = env.from_sequence(1, 3).union_with(env.from_sequence(4, 6));
    auto words = env.from_elements<std::string>({"a"});
    detail::add_two_input_node<std::string>(
      env, "Ends", numbers.inputs(), words.inputs(), false,
      [](const spi::operator_context&) { return std::make_unique<ends>(); })
      .add_sink([&seen](const std::string& s) { seen.push_back(s); });
  });
  int vertex = -1;
  for (std::size_t v = 0; v < graph->vertices().size(); ++v)
    if (graph->vertices()[v].inputs.size() == 3)
      vertex = static_cast<int>(v);
  BOOST_TEST_REQUIRE(vertex >= 0);
  std::vector<std::uint32_t> first_gates;
  std::uint32_t second_gate = 0;
  const auto& inputs = graph->vertices()[static_cast<std::size_t>(vertex)].inputs;
  for (std::uint32_t g = 0; g < inputs.size(); ++g)
    if (graph->edges()[static_cast<std::size_t>(inputs[g])].target_input == 1)
      second_gate = g;
    else
      first_gates.push_back(g);
  BOOST_TEST_REQUIRE(first_gates.size() == 2u);
  make(graph, vertex, small_steps(100ms), {1, 1, 1}, {});
  t->start();
  t->receive(first_gates[0], 0, channel_event::end_of_input());
  BOOST_TEST(seen.empty());
  t->receive(second_gate, 0, channel_event::end_of_input());
  BOOST_TEST((seen == std::vector<std::string>{"end1"}));
  BOOST_TEST((host.states.back().first == execution_state::running));
  t->receive(first_gates[1], 0, channel_event::end_of_input());
  BOOST_TEST((seen == std::vector<std::string>{"end1", "end0"}));
  BOOST_TEST((host.states.back().first == execution_state::finished));
}

BOOST_AUTO_TEST_CASE(processing_time_timers_are_scheduled_with_the_host_and_fire_on_the_task) {
  // Each record x sets a processing-time timer x ms after it arrived; a
  // firing timer emits its time.
  struct later_by : keyed_process_function<std::int64_t, std::int64_t, std::int64_t> {
    void process_element(const std::int64_t& x, context& ctx, collector<std::int64_t>&) override {
      auto& timers = ctx.timer_service();
      timers.register_processing_time_timer(timers.current_processing_time() + x);
    }
    void on_timer(std::int64_t time, context&, collector<std::int64_t>& out) override {
      out.collect(std::int64_t{time});
    }
  };
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10)
      .set_parallelism(2)
      .key_by([](std::int64_t x) { return x; })
      .process(later_by{})
      .set_parallelism(1)
      .rebalance()
      .discard()
      .set_parallelism(1);
  });
  make(graph, 1, small_steps(0ms), {2}, {1});
  t->grant(0, 0, 10);
  t->start();
  BOOST_TEST(host.processing_timers.empty()); // no timer yet
  using timers = std::vector<std::pair<std::int64_t, std::chrono::milliseconds>>;
  receive_records(0, {100, 300});
  BOOST_TEST((host.processing_timers == timers{{1'000'100, 100ms}}));
  receive_records(0, {50}); // earlier than the pending callback: one more
  BOOST_TEST((host.processing_timers == timers{{1'000'100, 100ms}, {1'000'050, 50ms}}));
  receive_records(0, {200}); // later: the pending callbacks cover it
  BOOST_TEST(host.processing_timers.size() == 2u);

  clock.advance(40ms);
  t->processing_timer(1'000'050); // early (the host's clock ran ahead): looks again later
  BOOST_TEST(host.records() == 0u);
  BOOST_TEST((host.processing_timers.back() == std::make_pair(std::int64_t{1'000'050}, 10ms)));
  clock.advance(10ms);
  t->processing_timer(1'000'050);
  BOOST_TEST((host.sent_records<std::int64_t>() == std::vector<std::int64_t>{1'000'050}));
  BOOST_TEST(host.processing_timers.size() == 3u); // 1'000'100 is still pending
  clock.advance(200ms);
  t->processing_timer(1'000'100); // 100 and 200 are due, in time order
  BOOST_TEST((host.sent_records<std::int64_t>() ==
              std::vector<std::int64_t>{1'000'050, 1'000'100, 1'000'200}));
  BOOST_TEST((host.processing_timers.back() == std::make_pair(std::int64_t{1'000'300}, 50ms)));

  t->receive(0, 0, channel_event::end_of_input()); // once the input ended, timers lapse
  t->receive(0, 1, channel_event::end_of_input());
  clock.advance(1h);
  t->processing_timer(1'000'300);
  BOOST_TEST(host.sent_records<std::int64_t>().size() == 3u);
  BOOST_TEST((host.states.back().first == execution_state::finished));
}

BOOST_AUTO_TEST_CASE(a_watermark_with_many_timers_due_fires_them_in_steps_within_credit) {
  // Each record x sets an event-time timer at x, whose firing emits x.
  struct at_value : keyed_process_function<std::int64_t, std::int64_t, std::int64_t> {
    int* fired = nullptr;
    void process_element(const std::int64_t& x, context& ctx, collector<std::int64_t>&) override {
      ctx.timer_service().register_event_time_timer(x);
    }
    void on_timer(std::int64_t time, context&, collector<std::int64_t>& out) override {
      ++*fired;
      out.collect(std::int64_t{time});
    }
  };
  int fired = 0;
  auto graph = flinkcpp::testing::build_graph([&fired](stream_environment& env) {
    at_value f;
    f.fired = &fired;
    env.from_sequence(1, 10)
      .set_parallelism(1)
      .key_by([](std::int64_t x) { return x; })
      .process(f)
      .set_parallelism(1)
      .rebalance()
      .discard()
      .set_parallelism(1);
  });
  auto settings = small_steps(0ms);
  settings.batch_bytes = 64; // a few records a batch
  settings.max_queued_per_channel = 1;
  make(graph, 1, settings, {1}, {1});
  t->start();
  std::vector<std::int64_t> timers(600);
  std::iota(timers.begin(), timers.end(), 0);
  std::reverse(timers.begin(), timers.end());
  receive_records(0, timers);
  t->receive(0, 0, channel_event::watermark(1000));
  // One step's timers, then no room: the watermark waits, and so does the
  // input behind it.
  BOOST_TEST(fired == detail::timers_per_step);
  receive_records(0, {2000});
  t->resume();
  BOOST_TEST(fired == detail::timers_per_step);
  BOOST_TEST(host.events.empty()); // no credit yet
  auto resumes = host.resumes;
  t->grant(0, 0, 1000);
  BOOST_TEST(fired == 2 * detail::timers_per_step); // a step, then other messages first
  BOOST_TEST(host.resumes == resumes + 1);
  t->resume();
  BOOST_TEST(fired == 600);
  t->receive(0, 0, channel_event::watermark(3000)); // fires the timer of the record behind
  std::vector<std::int64_t> want(600);
  std::iota(want.begin(), want.end(), 0);
  want.push_back(2000);
  BOOST_TEST(host.sent_records<std::int64_t>() == want);
  auto kinds = host.on_channel(0);
  BOOST_TEST((std::vector<std::string>(kinds.end() - 3, kinds.end()) ==
              std::vector<std::string>{"w1000", "b", "w3000"}));
}

BOOST_AUTO_TEST_CASE(an_input_task_leaves_idle_channels_out_and_passes_its_idleness_on) {
  make(relay_graph(), 1, small_steps(0ms), {2}, {2});
  t->grant(0, 0, 10);
  t->grant(0, 1, 10);
  t->start();
  t->receive(0, 0, channel_event::watermark(500));
  BOOST_TEST(host.events.empty()); // channel 1 holds it back
  t->receive(0, 1, channel_event::watermark_status(true));
  t->receive(0, 0, channel_event::watermark_status(true)); // all idle
  receive_records(1, {1, 2});                              // records make channel 1 active again
  BOOST_TEST((host.on_channel(0) == std::vector<std::string>{"w500", "i", "a", "b"}));
  BOOST_TEST(metrics.input_watermark.load() == 500);
}

BOOST_AUTO_TEST_CASE(an_assigner_in_a_task_makes_its_own_idleness_and_ignores_upstreams) {
  auto graph = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10)
      .set_parallelism(2)
      .rebalance()
      .assign_timestamps_and_watermarks(
        watermark_strategy<std::int64_t>::for_monotonous_timestamps()
          .with_timestamp_assigner([](std::int64_t x) { return x; })
          .with_idleness(100ms))
      .set_parallelism(1)
      .rebalance()
      .discard()
      .set_parallelism(2);
  });
  auto settings = small_steps(0ms);
  settings.auto_watermark_interval = 50ms;
  make(graph, 1, settings, {2}, {2});
  t->grant(0, 0, 10);
  t->grant(0, 1, 10);
  t->start();
  receive_records(0, {5, 6});
  t->receive(0, 0, channel_event::watermark_status(true)); // upstream's idleness stops here
  t->receive(0, 1, channel_event::watermark_status(true));
  t->watermark_timer();
  clock.advance(100ms); // no record for the idle timeout
  t->watermark_timer();
  receive_records(1, {7}); // wakes it
  BOOST_TEST((host.on_channel(0) == std::vector<std::string>{"b", "w5", "i", "b", "a"}));
}

BOOST_AUTO_TEST_CASE(a_checkpoint_is_acknowledged_only_once_the_output_it_lists_is_durable) {
  // (A part file listed as pending is still being written and synced.)
  auto durable = std::make_shared<std::atomic<bool>>(false);
  make(flinkcpp::testing::build_graph([&](stream_environment& env) {
         endless(env, durable).set_parallelism(1).rebalance().discard().set_parallelism(2);
       }),
       0, small_steps(100ms), {}, {2});
  t->start();
  t->trigger_checkpoint(checkpoint_id{1}, barrier_options{});
  t->wake(); // the snapshot is written (inline), the output not yet durable
  BOOST_TEST(host.acks.empty());
  BOOST_TEST((host.on_channel(0) == std::vector<std::string>{"c"})); // the barrier went on
  durable->store(true);
  t->wake();
  BOOST_REQUIRE(host.acks.size() == 1u);
  BOOST_TEST(host.acks[0].first.value() == 1);
  t->wake();
  BOOST_TEST(host.acks.size() == 1u);
}

BOOST_AUTO_TEST_CASE(stop_with_savepoint_and_drain_sends_max_watermark_then_the_barrier_then_ends) {
  start_endless_source();
  t->trigger_checkpoint(checkpoint_id{1}, barrier_options::stop_with_savepoint(true));
  t->resume();
  for (std::uint32_t c : {0u, 1u})
    BOOST_TEST((host.on_channel(c) ==
                std::vector<std::string>{"w" + std::to_string(max_watermark), "c", "e"}));
  for (const auto& e : host.events)
    if (e.event.kind == event_kind::barrier)
      BOOST_TEST((e.event.options == barrier_options::stop_with_savepoint(true)));
}

BOOST_AUTO_TEST_CASE(stop_with_savepoint_without_drain_ends_with_no_final_watermark) {
  start_endless_source();
  t->trigger_checkpoint(checkpoint_id{1}, barrier_options::stop_with_savepoint(false));
  t->resume();
  for (std::uint32_t c : {0u, 1u})
    BOOST_TEST((host.on_channel(c) == std::vector<std::string>{"c", "e"}));
}

BOOST_AUTO_TEST_CASE(an_input_task_passes_on_the_options_of_the_barriers_it_aligned) {
  make(relay_graph(), 1, small_steps(100ms), {2}, {2});
  t->start();
  t->receive(0, 0, channel_event::barrier(1, barrier_options::savepoint()));
  BOOST_TEST(host.events.empty()); // aligning: channel 1 has not sent its barrier
  t->receive(0, 1, channel_event::barrier(1, barrier_options::savepoint()));
  for (std::uint32_t c : {0u, 1u})
    BOOST_TEST((host.on_channel(c) == std::vector<std::string>{"c"}));
  for (const auto& e : host.events)
    BOOST_TEST((e.event.options == barrier_options::savepoint()));
}

BOOST_AUTO_TEST_CASE(a_source_reader_hears_from_its_coordinator_through_the_task) {
  // The reader registers with its host as the task starts, asks for a
  // split, reads those the coordinator's events bring, and ends once no
  // more come; events for an operator the task does not run fail it.
  make(split_source_graph(), 0, small_steps(0ms), {}, {2});
  t->grant(0, 0, 100);
  t->grant(0, 1, 100);
  t->start();
  t->resume();
  BOOST_TEST_REQUIRE(to_coordinators.size() == 2u);
  auto reader = to_coordinators[0].first;
  BOOST_TEST((to_coordinators[0].second.what == detail::source_event::reader_registration));
  BOOST_TEST(to_coordinators[0].second.host == "host-7");
  BOOST_TEST((to_coordinators[1].second.what == detail::source_event::split_request));
  BOOST_TEST(host.records() == 0u);

  t->coordinator_event(reader, flinkcpp::testing::add_splits_event({{"a", 0, 6}, {"b", 100, 103}}));
  for (int i = 0; i < 4; ++i)
    t->resume();
  auto records = host.sent_records<std::int64_t>();
  std::sort(records.begin(), records.end());
  BOOST_TEST((records == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 100, 101, 102}));
  BOOST_TEST((to_coordinators.back().second.what == detail::source_event::split_request));
  BOOST_TEST((t->state() == execution_state::running));

  t->coordinator_event(reader, flinkcpp::testing::no_more_splits_event());
  t->resume();
  BOOST_REQUIRE(!host.states.empty());
  BOOST_TEST((host.states.back().first == execution_state::finished));
}

BOOST_AUTO_TEST_CASE(an_event_for_an_operator_the_task_does_not_run_fails_it) {
  make(split_source_graph(), 0, small_steps(0ms), {}, {2});
  t->start();
  t->coordinator_event(operator_id::random(), "");
  BOOST_TEST((t->state() == execution_state::failed));
  BOOST_TEST(host.states.back().second.find("which this task does not run") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(cancelling_reports_canceled) {
  make(endless_source_graph(), 0, small_steps(0ms), {}, {2});
  t->start();
  t->cancel();
  BOOST_TEST((host.states.back().first == execution_state::canceled));
  BOOST_TEST((t->state() == execution_state::canceled));
}

BOOST_AUTO_TEST_SUITE_END()

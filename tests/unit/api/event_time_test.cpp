#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/keyed_process_operator.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/collecting.hpp"
#include "support/restored_state.hpp"
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

/// A key computed from the record (returned by value, long enough to live
/// on the heap).
struct padded_key {
  std::string operator()(const event& e) const { return e.key + std::string(40, '.'); }
};

/// Emits the current key as process_element sees it, after an allocation of
/// the key's size (which reuses the memory of a key freed too early).
struct key_echo : keyed_process_function<std::string, event, std::string> {
  void process_element(const event&, context& ctx, collector<std::string>& out) override {
    std::string same_size(ctx.current_key().size(), '#');
    out.collect(ctx.current_key() + "|" + same_size.substr(0, 1));
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(event_time)

BOOST_AUTO_TEST_CASE(a_computed_key_stays_current_while_the_function_runs) {
  spi::operator_context c;
  c.operator_id = "computed-key";
  detail::keyed_process_operator<event, padded_key, key_echo> op{padded_key{}, key_echo{}, c};
  strings out;
  op.set_output(spi::collector_ref::of<std::string>(&out));
  op.collect(event{1, "a"});
  op.collect(event{2, "bb"});
  BOOST_TEST((out.items == std::vector<std::string>{"a" + std::string(40, '.') + "|#",
                                                    "bb" + std::string(40, '.') + "|#"}));
}

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
  spi::operator_snapshot snapshot;
  {
    timer_subtask before{0, 1};
    before.feed(events, 1, 0);
    before.op->snapshot_state(checkpoint_id{1}, snapshot);
    BOOST_REQUIRE(snapshot.keyed); // timers are keyed state
    BOOST_TEST(snapshot.lists.empty());
  }
  std::vector<std::string> fired;
  for (int index : {0, 1}) { // each of the two takes the key groups it owns
    timer_subtask after{index, 2};
    after.op->restore_state(
      testing::restore_of(snapshot, spi::key_groups_of_subtask(128, 2, index)));
    after.op->process_watermark(max_watermark);
    BOOST_TEST(!after.out.items.empty());
    fired.insert(fired.end(), after.out.items.begin(), after.out.items.end());
  }
  std::sort(fired.begin(), fired.end());
  std::sort(all.begin(), all.end());
  BOOST_TEST(fired == all);
}

BOOST_AUTO_TEST_CASE(timers_checkpointed_as_a_union_list_before_they_were_keyed_state_restore) {
  // The form flink-cpp wrote before ABI 6: per subtask, a count, then each
  // timer's time, key hash and key.
  std::string entry;
  detail::binary_writer w{entry};
  w.write_varint(3);
  for (auto [time, key] : {std::pair<std::int64_t, std::string>{10, "a"}, {20, "b"}, {30, "c"}}) {
    w.write(time);
    w.write(detail::key_hash(key));
    w.write(key);
  }
  spi::operator_restore restored;
  restored.lists["event-time-timers"] = {entry};
  std::vector<std::string> fired;
  for (int index : {0, 1}) { // each keeps the timers of its own key groups
    timer_subtask after{index, 2};
    after.op->restore_state(restored);
    after.op->process_watermark(max_watermark);
    fired.insert(fired.end(), after.out.items.begin(), after.out.items.end());
  }
  std::sort(fired.begin(), fired.end());
  BOOST_TEST((fired == std::vector<std::string>{"a@10", "b@20", "c@30"}));
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

BOOST_AUTO_TEST_SUITE_END()

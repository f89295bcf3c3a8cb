#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/detail/keyed_process_operator.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/collecting.hpp"
#include "support/manual_clock.hpp"
#include "support/restored_state.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

/// A request for a timer: key, time, and the domain to set it in.
struct request {
  std::string key;
  std::int64_t time = 0;
  bool processing = true;
  bool remove = false;
};

template <class Inspector>
auto inspect(Inspector& f, request& x) {
  return f(x.key, x.time, x.processing, x.remove);
}

/// Sets (or deletes) the timer each request names; on_timer emits
/// "<key>@<time>/<p|e>" and checks what a firing timer's context says.
struct timer_echo : keyed_process_function<std::string, request, std::string> {
  void process_element(const request& r, context& ctx, collector<std::string>&) override {
    auto& timers = ctx.timer_service();
    if (r.processing && r.remove)
      timers.delete_processing_time_timer(r.time);
    else if (r.processing)
      timers.register_processing_time_timer(r.time);
    else if (r.remove)
      timers.delete_event_time_timer(r.time);
    else
      timers.register_event_time_timer(r.time);
  }
  void on_timer(std::int64_t time, context& ctx, collector<std::string>& out) override {
    bool processing = ctx.timer_domain() == time_domain::processing_time;
    if (processing && ctx.timestamp() != min_watermark)
      throw std::logic_error("a processing-time timer's output carries a timestamp");
    out.collect(ctx.current_key() + "@" + std::to_string(time) + (processing ? "/p" : "/e"));
  }
};

using timer_operator = detail::keyed_process_operator<request, std::string request::*, timer_echo>;

using strings = testing::collecting<std::string>;

/// Subtask `index` of `parallelism` of the timer_echo operator on `clock`.
struct timer_subtask {
  strings out;
  std::unique_ptr<timer_operator> op;

  timer_subtask(const spi::processing_clock& clock, int index = 0, int parallelism = 1) {
    spi::operator_context c;
    c.subtask_index = index;
    c.parallelism = parallelism;
    c.operator_id = "timers";
    c.clock = &clock;
    op = std::make_unique<timer_operator>(&request::key, timer_echo{}, c);
    op->set_output(spi::collector_ref::of<std::string>(&out));
  }

  void send(std::vector<request> requests) {
    for (auto& r : requests)
      op->collect(std::move(r));
  }

  /// Whether this subtask owns `key` at `parallelism`.
  bool owns(const std::string& key, int index, int parallelism) const {
    return spi::key_groups_of_subtask(128, parallelism, index)
      .contains(spi::key_group_of(detail::key_hash(key), 128));
  }
};

/// Reads the subtask's processing time and sets a timer 100 ms later.
struct delayed_by_100 : keyed_process_function<std::string, std::string, std::int64_t> {
  void process_element(const std::string&, context& ctx, collector<std::int64_t>& out) override {
    auto now = ctx.timer_service().current_processing_time();
    ctx.timer_service().register_processing_time_timer(now + 100);
    out.collect(std::int64_t{now});
  }
  void on_timer(std::int64_t time, context&, collector<std::int64_t>& out) override {
    out.collect(-time);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(processing_time)

BOOST_AUTO_TEST_CASE(timers_fire_in_time_order_once_the_clock_reaches_them) {
  testing::manual_clock clock{1000};
  timer_subtask s{clock};
  BOOST_TEST(!s.op->next_processing_timer());
  s.send({{"a", 1300}, {"b", 1100}, {"a", 1200}, {"b", 1100}, {"c", 1400}}); // b@1100 once
  BOOST_TEST(s.op->next_processing_timer().value_or(0) == 1100);
  s.op->on_processing_time(1099);
  BOOST_TEST(s.out.items.empty());
  s.op->on_processing_time(1300);
  BOOST_TEST((s.out.items == std::vector<std::string>{"b@1100/p", "a@1200/p", "a@1300/p"}));
  BOOST_TEST(s.op->next_processing_timer().value_or(0) == 1400);
  s.op->on_processing_time(5000);
  BOOST_TEST(s.out.items.back() == "c@1400/p");
  BOOST_TEST(s.out.items.size() == 4u);
  BOOST_TEST(!s.op->next_processing_timer());
}

BOOST_AUTO_TEST_CASE(the_two_domains_keep_their_timers_apart) {
  testing::manual_clock clock{1000};
  timer_subtask s{clock};
  s.send({{"k", 1100, true}, {"k", 1100, false}, {"k", 50, false}});
  s.op->process_watermark(1099); // event time passes 50 only
  BOOST_TEST((s.out.items == std::vector<std::string>{"k@50/e"}));
  s.op->on_processing_time(1100);
  BOOST_TEST((s.out.items == std::vector<std::string>{"k@50/e", "k@1100/p"}));
  s.op->process_watermark(1100);
  BOOST_TEST((s.out.items == std::vector<std::string>{"k@50/e", "k@1100/p", "k@1100/e"}));
}

BOOST_AUTO_TEST_CASE(a_deleted_timer_does_not_fire) {
  testing::manual_clock clock{1000};
  timer_subtask s{clock};
  s.send({{"kept", 1100},
          {"gone", 1100},
          {"gone", 1100, true, true},
          {"kept", 1200, false},
          {"kept", 1200, true, true}}); // deleting a processing-time timer leaves event time's
  s.op->on_processing_time(2000);
  s.op->process_watermark(max_watermark);
  BOOST_TEST((s.out.items == std::vector<std::string>{"kept@1100/p", "kept@1200/e"}));
}

BOOST_AUTO_TEST_CASE(the_timer_service_reads_the_subtasks_clock) {
  testing::manual_clock clock{7000};
  spi::operator_context c;
  c.operator_id = "delay";
  c.clock = &clock;
  testing::collecting<std::int64_t> out;
  detail::keyed_process_operator<std::string, std::string (*)(const std::string&), delayed_by_100>
    op{[](const std::string& s) { return s; }, delayed_by_100{}, c};
  op.set_output(spi::collector_ref::of<std::int64_t>(&out));
  op.collect(std::string{"x"});
  clock.advance(30ms);
  op.collect(std::string{"y"});
  BOOST_TEST((out.items == std::vector<std::int64_t>{7000, 7030}));
  BOOST_TEST(op.next_processing_timer().value_or(0) == 7100);
  op.on_processing_time(clock.now_ms() + 70);
  BOOST_TEST((out.items == std::vector<std::int64_t>{7000, 7030, -7100}));
}

BOOST_AUTO_TEST_CASE(timers_are_checkpointed_move_with_their_keys_and_fire_once_after_a_restore) {
  testing::manual_clock clock{1000};
  std::vector<request> requests;
  std::vector<std::string> all;
  for (int i = 0; i < 40; ++i) {
    requests.push_back({"k" + std::to_string(i), 1100 + i});
    all.push_back("k" + std::to_string(i) + "@" + std::to_string(1100 + i) + "/p");
  }
  spi::operator_snapshot snapshot; // written after its operator is gone: it holds what it needs
  {
    timer_subtask before{clock};
    before.send(requests);
    before.op->snapshot_state(checkpoint_id{1}, snapshot);
    BOOST_REQUIRE(snapshot.keyed); // timers are keyed state
    BOOST_TEST(snapshot.lists.empty());
  }
  clock.set(5000); // the restore comes after every timer's time
  std::vector<std::string> fired;
  for (int index : {0, 1}) { // each of the two takes the key groups it owns
    timer_subtask after{clock, index, 2};
    after.op->restore_state(
      testing::restore_of(snapshot, spi::key_groups_of_subtask(128, 2, index)));
    BOOST_REQUIRE(after.op->next_processing_timer().has_value());
    BOOST_TEST(*after.op->next_processing_timer() >= 1100);
    after.op->on_processing_time(clock.now_ms());
    after.op->on_processing_time(clock.now_ms()); // once
    BOOST_TEST(!after.out.items.empty());
    for (const auto& f : after.out.items)
      BOOST_TEST(after.owns(f.substr(0, f.find('@')), index, 2));
    fired.insert(fired.end(), after.out.items.begin(), after.out.items.end());
  }
  std::sort(fired.begin(), fired.end());
  std::sort(all.begin(), all.end());
  BOOST_TEST(fired == all);
}

BOOST_AUTO_TEST_SUITE_END()

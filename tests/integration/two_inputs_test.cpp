// Two connected streams in jobs of the embedded mini-cluster: co-map,
// co-flat-map and co-process functions see every record of each input once,
// through the right method, with its timestamp, at parallelism 1 and 2
// (the inputs rebalanced over the subtasks), and a co-process function's
// side output reaches its consumer; broadcast streams reach every subtask
// and keep broadcast state; window joins and co-groups pair the records of
// a key in each window.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;
using flinkcpp::testing::run_job;

namespace {

/// What the sinks of a job received, from every subtask. Thread-safe.
struct received {
  std::mutex mutex;
  std::vector<std::string> items;

  auto sink() {
    return [this](const std::string& s) {
      std::lock_guard<std::mutex> guard{mutex};
      items.push_back(s);
    };
  }
  std::vector<std::string> sorted() {
    std::lock_guard<std::mutex> guard{mutex};
    auto out = items;
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::vector<std::string> words(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back("w" + std::to_string(i));
  return out;
}

/// Even numbers once, each word twice.
struct evens_and_words_twice : co_flat_map_function<std::int64_t, std::string, std::string> {
  void flat_map1(const std::int64_t& n, collector<std::string>& out) override {
    if (n % 2 == 0)
      out.collect("n" + std::to_string(n));
  }
  void flat_map2(const std::string& w, collector<std::string>& out) override {
    out.collect(w);
    out.collect(w);
  }
};

struct tagged : co_map_function<std::int64_t, std::string, std::string> {
  std::string map1(const std::int64_t& n) override { return "first:" + std::to_string(n); }
  std::string map2(const std::string& w) override { return "second:" + w; }
};

const output_tag<std::string> odd{"odd"};

/// Each record with its timestamp; odd numbers to the side output "odd".
struct with_time : co_process_function<std::int64_t, std::string, std::string> {
  void process_element1(const std::int64_t& n, context& ctx, collector<std::string>& out) override {
    auto text = std::to_string(n) + "@" + std::to_string(ctx.timestamp());
    if (n % 2 != 0)
      ctx.output(odd, text);
    else
      out.collect(text);
  }
  void process_element2(const std::string& w, context& ctx, collector<std::string>& out) override {
    out.collect(w + "@" + std::to_string(ctx.timestamp()));
  }
};

struct order {
  std::int64_t id = 0;
  std::string customer;
  std::int64_t time = 0;
};

template <class Inspector>
auto inspect(Inspector& f, order& x) {
  return f(x.id, x.customer, x.time);
}

struct customer {
  std::string name;
  std::string city;
  std::int64_t time = 0;
};

template <class Inspector>
auto inspect(Inspector& f, customer& x) {
  return f(x.name, x.city, x.time);
}

/// Enriches each order with its customer's city: orders before the
/// customer's record wait in list state until it comes; the city is kept
/// in value state. A timer at the customer's time + 10 s reports how many
/// orders the customer had by then. State and timers are the key's, shared
/// by both inputs.
struct enrich : keyed_co_process_function<std::string, order, customer, std::string> {
  std::optional<value_state<std::string>> city;
  std::optional<list_state<std::int64_t>> waiting;
  std::optional<value_state<std::int64_t>> orders;

  void open(context& ctx) override {
    city.emplace(ctx.state(value_state_descriptor<std::string>{"city"}));
    waiting.emplace(ctx.state(list_state_descriptor<std::int64_t>{"waiting"}));
    orders.emplace(ctx.state(value_state_descriptor<std::int64_t>{"orders"}));
  }

  void process_element1(const order& o, context& ctx, collector<std::string>& out) override {
    orders->update(orders->value().value_or(0) + 1);
    if (auto c = city->value())
      out.collect(std::to_string(o.id) + "," + ctx.current_key() + "," + *c);
    else
      waiting->add(o.id);
  }

  void process_element2(const customer& c, context& ctx, collector<std::string>& out) override {
    city->update(c.city);
    for (auto id : waiting->get())
      out.collect(std::to_string(id) + "," + ctx.current_key() + "," + c.city);
    waiting->clear();
    ctx.timer_service().register_event_time_timer(c.time + 10000);
  }

  void on_timer(std::int64_t time, context& ctx, collector<std::string>& out) override {
    out.collect("timer," + ctx.current_key() + "," + std::to_string(time) + "," +
                std::to_string(orders->value().value_or(0)));
  }
};

struct shipment {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t time = 0;
};

template <class Inspector>
auto inspect(Inspector& f, shipment& x) {
  return f(x.id, x.order_id, x.time);
}

/// "order,shipment,delay,output timestamp" for each pair.
struct delays : process_join_function<order, shipment, std::string> {
  void process_element(const order& o, const shipment& s, context& ctx,
                       collector<std::string>& out) override {
    out.collect(std::to_string(o.id) + "," + std::to_string(s.id) + "," +
                std::to_string(s.time - o.time) + "," + std::to_string(ctx.timestamp()));
  }
};

struct sale {
  std::string category;
  std::int64_t amount = 0;
};

template <class Inspector>
auto inspect(Inspector& f, sale& x) {
  return f(x.category, x.amount);
}

struct rate {
  std::string category;
  std::int64_t percent = 0;
};

template <class Inspector>
auto inspect(Inspector& f, rate& x) {
  return f(x.category, x.percent);
}

const map_state_descriptor<std::string, std::int64_t> rates{"rates"};

/// Each sale's amount at its category's rate, "category,amount,taxed":
/// sales whose rate has not come yet wait in keyed list state, and the
/// rate's arrival releases them through apply_to_keyed_state; a rate
/// coming again is ignored. Whatever the order of the inputs, each sale
/// is emitted once, with its rate.
struct taxed : keyed_broadcast_process_function<std::string, sale, rate, std::string> {
  std::optional<list_state<std::int64_t>> waiting;

  static std::string line(const std::string& category, std::int64_t amount, std::int64_t percent) {
    return category + "," + std::to_string(amount) + "," + std::to_string(amount * percent / 100);
  }

  void open(read_only_context& ctx) override {
    waiting.emplace(ctx.state(list_state_descriptor<std::int64_t>{"waiting"}));
  }

  void process_element(const sale& s, read_only_context& ctx,
                       collector<std::string>& out) override {
    if (auto percent = ctx.get_broadcast_state(rates).get(ctx.current_key()))
      out.collect(line(s.category, s.amount, *percent));
    else
      waiting->add(s.amount);
  }

  void process_broadcast_element(const rate& r, context& ctx,
                                 collector<std::string>& out) override {
    auto known = ctx.get_broadcast_state(rates);
    if (known.contains(r.category))
      return;
    known.put(r.category, r.percent);
    ctx.apply_to_keyed_state(list_state_descriptor<std::int64_t>{"waiting"},
                             [&](const std::string& category, list_state<std::int64_t>& amounts) {
                               if (category != r.category)
                                 return;
                               for (auto amount : amounts.get())
                                 out.collect(line(category, amount, r.percent));
                               amounts.clear();
                             });
  }
};

/// Emits each broadcast word once per subtask ("word/subtask"), and each
/// number with the number of words its subtask had seen (its broadcast
/// state's size) to the side output.
struct words_everywhere : broadcast_process_function<std::int64_t, std::string, std::string> {
  const map_state_descriptor<std::string, int>* seen = nullptr;
  int subtask = 0;

  void open(const runtime_context& runtime) override { subtask = runtime.index_of_this_subtask(); }
  void process_element(const std::int64_t& n, read_only_context& ctx,
                       collector<std::string>&) override {
    ctx.output(odd, std::to_string(n) + ":" +
                      std::to_string(ctx.get_broadcast_state(*seen).entries().size()));
  }
  void process_broadcast_element(const std::string& w, context& ctx,
                                 collector<std::string>& out) override {
    ctx.get_broadcast_state(*seen).put(w, subtask);
    out.collect(w + "/" + std::to_string(subtask) + "@" + std::to_string(ctx.timestamp()));
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(two_inputs)

BOOST_AUTO_TEST_CASE(broadcast_rules_reach_every_subtask_and_release_waiting_keyed_state) {
  // 3000 sales of 40 categories, and the 40 rates (each sent twice) on a
  // broadcast stream, interleaved by the two sources' own pace: every sale
  // is emitted once at its category's rate, whether it came before or after
  // the rate reached its subtask.
  std::vector<sale> sales;
  for (int i = 0; i < 3000; ++i)
    sales.push_back({"c" + std::to_string(i * 7 % 40), i});
  std::vector<rate> rules;
  for (int round = 0; round < 2; ++round)
    for (int c = 0; c < 40; ++c)
      rules.push_back({"c" + std::to_string(c), round == 0 ? c + 1 : 99});
  for (auto mode : {runtime_mode::streaming, runtime_mode::batch})
    for (int parallelism : {1, 2, 3}) {
      received out;
      auto r = run_job(
        [&](stream_environment& env) {
          env.from_elements(sales)
            .key_by(&sale::category)
            .connect(env.from_elements(rules).broadcast(rates))
            .process(taxed{})
            .add_sink(out.sink());
        },
        testing::job_settings_of("broadcast", parallelism, mode));
      BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
      std::vector<std::string> expected;
      for (const auto& s : sales)
        expected.push_back(taxed::line(s.category, s.amount, std::stoll(s.category.substr(1)) + 1));
      std::sort(expected.begin(), expected.end());
      BOOST_TEST(out.sorted() == expected, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(every_subtask_sees_every_broadcast_record_with_its_timestamp) {
  const map_state_descriptor<std::string, int> seen{"seen"};
  for (int parallelism : {1, 3}) {
    received main;
    received side;
    auto r = run_job(
      [&](stream_environment& env) {
        auto numbers = env.from_sequence(1, 500);
        auto names = env.from_elements(words(30)).assign_timestamps_and_watermarks(
          watermark_strategy<std::string>::for_monotonous_timestamps().with_timestamp_assigner(
            [](const std::string& w) { return std::stoll(w.substr(1)) * 10; }));
        words_everywhere f;
        f.seen = &seen;
        auto out = numbers.connect(names.broadcast(seen)).process(f);
        out.add_sink(main.sink());
        out.get_side_output(odd).add_sink(side.sink());
      },
      testing::job_settings_of("broadcast", parallelism));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::vector<std::string> expected;
    for (const auto& w : words(30))
      for (int subtask = 0; subtask < parallelism; ++subtask)
        expected.push_back(w + "/" + std::to_string(subtask) + "@" +
                           std::to_string(std::stoll(w.substr(1)) * 10));
    std::sort(expected.begin(), expected.end());
    BOOST_TEST(main.sorted() == expected, boost::test_tools::per_element());
    auto numbers = side.sorted();
    BOOST_TEST(numbers.size() == 500u);
    for (const auto& n : numbers) { // a subtask's words so far: 0 to 30
      auto seen_count = std::stoi(n.substr(n.find(':') + 1));
      BOOST_TEST((seen_count >= 0 && seen_count <= 30), n);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_broadcast_state_the_stream_did_not_declare_fails_the_job) {
  const map_state_descriptor<std::string, int> declared{"declared"};
  const map_state_descriptor<std::string, int> other{"other"};
  words_everywhere f;
  f.seen = &other;
  auto r = run_job(
    [&](stream_environment& env) {
      env.from_sequence(1, 5)
        .connect(env.from_elements(words(3)).broadcast(declared))
        .process(f)
        .add_sink([](const std::string&) {});
    },
    testing::job_settings_of("broadcast", 1));
  BOOST_TEST((r.status == job_status::failed));
  BOOST_TEST(r.failure.find("broadcast state 'other' is not one the broadcast stream declared") !=
               std::string::npos,
             r.failure);
}

BOOST_AUTO_TEST_CASE(an_interval_join_finds_exactly_the_pairs_within_its_bounds) {
  // 2000 orders and their shipments, each stream out of order by up to 3 s
  // (watermarks 5 s behind), shipments from 2 s before to 12 s after their
  // order; joined on the order id within [0, 10 s], then with both bounds
  // exclusive, against the pairs counted here.
  std::mt19937_64 random{7};
  std::vector<order> orders;
  std::vector<shipment> shipments;
  for (int i = 0; i < 2000; ++i) {
    auto time = i * 100L + static_cast<std::int64_t>(random() % 3000);
    orders.push_back({i, "c", time});
    for (int s = 0; s < static_cast<int>(random() % 4); ++s)
      shipments.push_back({static_cast<std::int64_t>(shipments.size()), i,
                           time - 2000 + static_cast<std::int64_t>(random() % 14001)});
  }
  // The shipments in the order of their time plus up to 3 s: each at most
  // 3 s behind any before it.
  std::vector<std::pair<std::int64_t, shipment>> shuffled;
  for (const auto& s : shipments)
    shuffled.emplace_back(s.time + static_cast<std::int64_t>(random() % 3000), s);
  std::sort(shuffled.begin(), shuffled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  shipments.clear();
  for (const auto& [at, s] : shuffled)
    shipments.push_back(s);
  for (int parallelism : {1, 2, 4})
    for (bool exclusive : {false, true}) {
      received out;
      auto r = run_job(
        [&](stream_environment& env) {
          auto o = env.from_elements(orders).assign_timestamps_and_watermarks(
            watermark_strategy<order>::for_bounded_out_of_orderness(std::chrono::seconds{5})
              .with_timestamp_assigner([](const order& x) { return x.time; }));
          auto s = env.from_elements(shipments).assign_timestamps_and_watermarks(
            watermark_strategy<shipment>::for_bounded_out_of_orderness(std::chrono::seconds{5})
              .with_timestamp_assigner([](const shipment& x) { return x.time; }));
          auto join = o.key_by(&order::id)
                        .interval_join(s.key_by(&shipment::order_id))
                        .between(std::chrono::seconds{0}, std::chrono::seconds{10});
          if (exclusive)
            join.lower_bound_exclusive().upper_bound_exclusive();
          join.process(delays{}).add_sink(out.sink());
        },
        testing::job_settings_of("interval-join", parallelism));
      BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
      std::vector<std::string> expected;
      for (const auto& s : shipments) {
        const auto& o = orders[static_cast<std::size_t>(s.order_id)];
        auto delay = s.time - o.time;
        if (exclusive ? delay > 0 && delay < 10000 : delay >= 0 && delay <= 10000)
          expected.push_back(std::to_string(o.id) + "," + std::to_string(s.id) + "," +
                             std::to_string(delay) + "," +
                             std::to_string(std::max(o.time, s.time)));
      }
      std::sort(expected.begin(), expected.end());
      BOOST_TEST(out.sorted() == expected, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(a_keyed_co_process_function_shares_state_and_timers_across_its_inputs) {
  // 600 orders of 20 customers, event time 10 ms apart (0 to 5.99 s); each
  // customer's record has time 1000 + 100 * i, so some of its orders come
  // before it and some after. Each order is emitted once with the city,
  // whichever input came first; each timer (11 s + 100 * i, after every
  // order) fires once, when the operator's watermark (the smaller of both
  // inputs') passed it, so after every order of each channel: it counts
  // all 30 orders of its customer. The same in BATCH mode (timers fire at
  // the end of the input).
  std::vector<order> orders;
  for (int i = 0; i < 600; ++i)
    orders.push_back({i, "c" + std::to_string(i % 20), i * 10L});
  std::vector<customer> customers;
  for (int i = 0; i < 20; ++i)
    customers.push_back({"c" + std::to_string(i), "city" + std::to_string(i), 1000 + 100L * i});
  for (auto mode : {runtime_mode::streaming, runtime_mode::batch})
    for (int parallelism : {1, 2}) {
      for (bool by_connected_key_by : {false, true}) {
        received out;
        auto r = run_job(
          [&](stream_environment& env) {
            auto o = env.from_elements(orders).assign_timestamps_and_watermarks(
              watermark_strategy<order>::for_monotonous_timestamps().with_timestamp_assigner(
                [](const order& x) { return x.time; }));
            auto c = env.from_elements(customers).assign_timestamps_and_watermarks(
              watermark_strategy<customer>::for_monotonous_timestamps().with_timestamp_assigner(
                [](const customer& x) { return x.time; }));
            auto enriched =
              by_connected_key_by
                ? o.connect(c).key_by(&order::customer, &customer::name).process(enrich{})
                : o.key_by(&order::customer).connect(c.key_by(&customer::name)).process(enrich{});
            enriched.add_sink(out.sink());
          },
          testing::job_settings_of("two-inputs", parallelism, mode));
        BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
        std::vector<std::string> expected;
        for (const auto& o : orders)
          expected.push_back(std::to_string(o.id) + "," + o.customer + ",city" +
                             o.customer.substr(1));
        for (int i = 0; i < 20; ++i)
          expected.push_back("timer,c" + std::to_string(i) + "," +
                             std::to_string(11000 + 100L * i) + ",30");
        std::sort(expected.begin(), expected.end());
        BOOST_TEST(out.sorted() == expected, boost::test_tools::per_element());
      }
    }
}

BOOST_AUTO_TEST_CASE(co_map_and_co_flat_map_see_each_record_of_each_input_once) {
  for (int parallelism : {1, 2}) {
    received mapped;
    received flat;
    auto r = run_job(
      [&](stream_environment& env) {
        auto numbers = env.from_sequence(1, 1000);
        auto names = env.from_elements(words(300)).rebalance();
        numbers.connect(names).map(tagged{}).add_sink(mapped.sink());
        numbers.connect(names).flat_map(evens_and_words_twice{}).add_sink(flat.sink());
      },
      testing::job_settings_of("two-inputs", parallelism));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::vector<std::string> expected_mapped;
    std::vector<std::string> expected_flat;
    for (int n = 1; n <= 1000; ++n) {
      expected_mapped.push_back("first:" + std::to_string(n));
      if (n % 2 == 0)
        expected_flat.push_back("n" + std::to_string(n));
    }
    for (const auto& w : words(300)) {
      expected_mapped.push_back("second:" + w);
      expected_flat.push_back(w);
      expected_flat.push_back(w);
    }
    std::sort(expected_mapped.begin(), expected_mapped.end());
    std::sort(expected_flat.begin(), expected_flat.end());
    BOOST_TEST(mapped.sorted() == expected_mapped, boost::test_tools::per_element());
    BOOST_TEST(flat.sorted() == expected_flat, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(a_co_process_function_sees_timestamps_and_feeds_its_side_output) {
  for (int parallelism : {1, 2}) {
    received main;
    received side;
    auto r = run_job(
      [&](stream_environment& env) {
        auto numbers = env.from_sequence(1, 200).assign_timestamps_and_watermarks(
          watermark_strategy<std::int64_t>::for_monotonous_timestamps().with_timestamp_assigner(
            [](const std::int64_t& n) { return n * 10; }));
        auto names = env.from_elements(words(50)).assign_timestamps_and_watermarks(
          watermark_strategy<std::string>::for_monotonous_timestamps().with_timestamp_assigner(
            [](const std::string& w) { return std::stoll(w.substr(1)) + 5; }));
        auto out = numbers.connect(names).process(with_time{});
        out.add_sink(main.sink());
        out.get_side_output(odd).add_sink(side.sink());
      },
      testing::job_settings_of("two-inputs", parallelism));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::vector<std::string> expected_main;
    std::vector<std::string> expected_side;
    for (int n = 1; n <= 200; ++n)
      (n % 2 == 0 ? expected_main : expected_side)
        .push_back(std::to_string(n) + "@" + std::to_string(n * 10));
    for (int i = 0; i < 50; ++i)
      expected_main.push_back("w" + std::to_string(i) + "@" + std::to_string(i + 5));
    std::sort(expected_main.begin(), expected_main.end());
    std::sort(expected_side.begin(), expected_side.end());
    BOOST_TEST(main.sorted() == expected_main, boost::test_tools::per_element());
    BOOST_TEST(side.sorted() == expected_side, boost::test_tools::per_element());
  }
}

/// Appends each record's timestamp: "record@timestamp".
struct stamped : process_function<std::string, std::string> {
  void process_element(const std::string& s, context& ctx, collector<std::string>& out) override {
    out.collect(s + "@" + std::to_string(ctx.timestamp()));
  }
};

/// 1500 orders of 100 ids (each id several times), and shipments of those
/// ids, both out of order by up to 2 s; the shipments from 3 s before to
/// 3 s after their order.
struct join_inputs {
  std::vector<order> orders;
  std::vector<shipment> shipments;

  join_inputs() {
    std::mt19937_64 random{11};
    for (int i = 0; i < 1500; ++i) {
      orders.push_back(
        {i % 100, "c" + std::to_string(i), i * 20L + static_cast<long>(random() % 2000)});
      auto n = static_cast<int>(random() % 3);
      for (int k = 0; k < n; ++k)
        shipments.push_back({static_cast<std::int64_t>(shipments.size()), i % 100,
                             std::max(0L, i * 20L - 3000 + static_cast<long>(random() % 6001))});
    }
  }

  data_stream<order> order_stream(stream_environment& env) const {
    return env.from_elements(orders).assign_timestamps_and_watermarks(
      watermark_strategy<order>::for_bounded_out_of_orderness(std::chrono::seconds{3})
        .with_timestamp_assigner([](const order& x) { return x.time; }));
  }
  data_stream<shipment> shipment_stream(stream_environment& env) const {
    return env.from_elements(shipments).rebalance().assign_timestamps_and_watermarks(
      watermark_strategy<shipment>::for_bounded_out_of_orderness(std::chrono::seconds{3})
        .with_timestamp_assigner([](const shipment& x) { return x.time; }));
  }
};

BOOST_AUTO_TEST_CASE(a_window_join_pairs_the_records_of_a_key_in_each_window_they_share) {
  // Orders and shipments joined on the order id in tumbling 1 s windows and
  // in sliding 2 s windows every 1 s: each pair once per window holding
  // both, at the window's max timestamp, against the pairs counted here.
  join_inputs in;
  for (bool sliding : {false, true})
    for (int parallelism : {1, 2, 4}) {
      received out;
      auto r = run_job(
        [&](stream_environment& env) {
          auto pairs = [&](auto assigner) {
            return in.order_stream(env)
              .join(in.shipment_stream(env))
              .where(&order::id)
              .equal_to(&shipment::order_id)
              .window(assigner)
              .apply([](const order& o, const shipment& s) {
                return o.customer + "," + std::to_string(s.id);
              });
          };
          (sliding ? pairs(sliding_event_time_windows::of(std::chrono::seconds{2},
                                                          std::chrono::seconds{1}))
                   : pairs(tumbling_event_time_windows::of(std::chrono::seconds{1})))
            .process(stamped{})
            .add_sink(out.sink());
        },
        testing::job_settings_of("window-join", parallelism));
      BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
      std::vector<std::string> expected;
      for (const auto& o : in.orders)
        for (const auto& s : in.shipments) {
          if (s.order_id != o.id)
            continue;
          auto size = sliding ? 2000L : 1000L;
          // Windows [start, start + size) with start a multiple of 1 s
          // holding both times.
          for (long start = std::max(o.time, s.time) / 1000 * 1000;
               start > std::min(o.time, s.time) - size; start -= 1000)
            if (start <= std::min(o.time, s.time) && std::max(o.time, s.time) < start + size)
              expected.push_back(o.customer + "," + std::to_string(s.id) + "@" +
                                 std::to_string(start + size - 1));
        }
      std::sort(expected.begin(), expected.end());
      BOOST_TEST_REQUIRE(expected.size() > 500u);
      BOOST_TEST(out.sorted() == expected, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(a_co_group_makes_a_left_outer_join) {
  // Per order id and 1 s tumbling window: each order with the number of
  // that window's shipments of its id, "none" when there are none; windows
  // with shipments only emit nothing.
  join_inputs in;
  for (int parallelism : {1, 3}) {
    received out;
    auto r = run_job(
      [&](stream_environment& env) {
        in.order_stream(env)
          .co_group(in.shipment_stream(env))
          .where(&order::id)
          .equal_to(&shipment::order_id)
          .window(tumbling_event_time_windows::of(std::chrono::seconds{1}))
          .apply([](std::span<const order> orders, std::span<const shipment> shipments,
                    collector<std::string>& collect) {
            for (const auto& o : orders)
              collect.collect(
                o.customer + "," +
                (shipments.empty() ? std::string{"none"} : std::to_string(shipments.size())));
          })
          .add_sink(out.sink());
      },
      testing::job_settings_of("co-group", parallelism));
    BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
    std::vector<std::string> expected;
    std::size_t none = 0;
    for (const auto& o : in.orders) {
      std::size_t n = 0;
      for (const auto& s : in.shipments)
        n += s.order_id == o.id && s.time / 1000 == o.time / 1000;
      none += n == 0;
      expected.push_back(o.customer + "," + (n == 0 ? std::string{"none"} : std::to_string(n)));
    }
    std::sort(expected.begin(), expected.end());
    BOOST_TEST_REQUIRE(none > 100u);
    BOOST_TEST_REQUIRE(none < in.orders.size() - 100);
    BOOST_TEST(out.sorted() == expected, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(streams_of_two_environments_cannot_be_connected) {
  stream_environment first;
  stream_environment second;
  auto a = first.from_sequence(1, 2);
  auto b = second.from_sequence(1, 2);
  BOOST_CHECK_THROW(a.connect(b), std::logic_error);
  BOOST_CHECK_THROW(a.join(b), std::logic_error);
  BOOST_CHECK_THROW(a.connect(b.broadcast(map_state_descriptor<int, int>{"s"})), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

// Timers as keyed state on both backends: order, uniqueness, removal,
// snapshots taken while timers go on changing, and restores on either
// backend at another parallelism.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/timer_queue.hpp"
#include "support/restored_state.hpp"
#include "support/state_backends.hpp"

using namespace flinkcpp;
using namespace flinkcpp::detail;
using namespace flinkcpp::spi;
using flinkcpp::testing::snapshot_for;

namespace {

constexpr int max_parallelism = 128;

using store_type = keyed_state_store<std::string>;
using timer_set = std::set<std::pair<std::int64_t, std::string>>;

struct fixture : flinkcpp::testing::state_backends {
  fixture() : state_backends(64 << 10) {} // deleted rows spread over many tables
  int stores = 0;

  std::unique_ptr<store_type> store(bool on_leveldb, key_group_range range) {
    return state_backends::store(on_leveldb, range, max_parallelism,
                                 "op" + std::to_string(++stores));
  }
};

/// Adds and removes the timers of keys, as a timer service does.
struct timer_user {
  store_type& store;
  timer_table<std::string>& table;
  std::string key;

  timer_user(store_type& s, const std::string& name)
    : store(s),
      table(s.timers<std::string>(name)) {}

  void at(const std::string& k) {
    key = k;
    store.set_current_key(key, key_hash(key));
  }
  void add(const std::string& k, std::int64_t time) {
    at(k);
    table.add(time, key, key_hash(key), store.current_group());
  }
  void remove(const std::string& k, std::int64_t time) {
    at(k);
    table.remove(time, key, key_hash(key), store.current_group());
  }
  /// Takes every timer due at `time`, checking that they come in order.
  timer_set take_due(std::int64_t time) {
    timer_set out;
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    while (auto t = table.take_due(time)) {
      BOOST_TEST(t->timestamp >= last);
      BOOST_TEST(t->timestamp <= time);
      BOOST_TEST(t->key_hash == key_hash(t->payload));
      last = t->timestamp;
      BOOST_TEST(out.emplace(t->timestamp, t->payload).second, "fired twice");
    }
    return out;
  }
};

constexpr std::int64_t earliest = std::numeric_limits<std::int64_t>::min() + 1;
constexpr std::int64_t latest = std::numeric_limits<std::int64_t>::max();

/// 300 keys with three timers each (one at the end of time), and what stays
/// of them after the removals `fill` makes.
timer_set fill(timer_user& u) {
  timer_set want;
  for (int i = 0; i < 300; ++i) {
    auto key = "key" + std::to_string(i);
    for (std::int64_t t : {std::int64_t{i % 17} * 1000 - 5000, std::int64_t{i} * 10, latest}) {
      u.add(key, t);
      u.add(key, t); // a second time: still one timer
      want.emplace(t, key);
    }
    if (i % 5 == 0) {
      u.remove(key, std::int64_t{i} * 10);
      want.erase({std::int64_t{i} * 10, key});
    }
    u.remove(key, 123456); // none there
  }
  u.add("early", earliest);
  want.emplace(earliest, "early");
  return want;
}

timer_set up_to(const timer_set& all, std::int64_t time) {
  timer_set out;
  for (const auto& t : all)
    if (t.first <= time)
      out.insert(t);
  return out;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(timer_tables, fixture)

BOOST_AUTO_TEST_CASE(timers_fire_once_each_in_time_order) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, {0, max_parallelism});
      timer_user u{*s, "_timer_state/event_user-timers"};
      BOOST_TEST(!u.table.next().has_value());
      auto want = fill(u);
      BOOST_TEST(u.table.next().value_or(0) == earliest);
      BOOST_TEST((u.take_due(earliest - 1).empty()));
      BOOST_TEST((u.take_due(-1) == up_to(want, -1)));
      BOOST_TEST(u.table.next().value_or(-1) == 0);
      // A timer earlier than those taken (behind every row taken from its
      // group) is found again.
      u.add("late", -100);
      BOOST_TEST(u.table.next().value_or(0) == -100);
      BOOST_TEST((u.take_due(-100) == timer_set{{-100, "late"}}));
      auto rest = u.take_due(latest);
      BOOST_TEST(rest.size() == want.size() - up_to(want, -1).size());
      BOOST_TEST(
        (up_to(rest, 2990) == timer_set(want.lower_bound({0, ""}), want.lower_bound({2991, ""}))));
      BOOST_TEST(!u.table.next().has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(timers_move_with_their_key_groups_to_either_backend) {
  for (bool from_leveldb : {false, true}) {
    for (bool to_leveldb : {false, true}) {
      BOOST_TEST_CONTEXT((from_leveldb ? "leveldb" : "hashmap")
                         << " -> " << (to_leveldb ? "leveldb" : "hashmap")) {
        auto source = store(from_leveldb, {0, max_parallelism});
        timer_user from{*source, "_timer_state/processing_user-timers"};
        auto want = fill(from);
        from.take_due(-1); // taken timers stay out of the snapshot
        timer_set restored;
        for (int subtask = 0; subtask < 3; ++subtask) {
          auto range = key_groups_of_subtask(max_parallelism, 3, subtask);
          auto target = store(to_leveldb, range);
          target->restore(snapshot_for(*source, range));
          timer_user to{*target, "_timer_state/processing_user-timers"};
          for (const auto& t : to.take_due(latest)) {
            BOOST_TEST(range.contains(key_group_of(key_hash(t.second), max_parallelism)));
            restored.insert(t);
          }
        }
        BOOST_TEST((restored == timer_set(want.lower_bound({0, ""}), want.end())));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_snapshot_holds_the_timers_as_they_were_when_taken) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, {0, max_parallelism});
      timer_user u{*s, "timers"};
      auto want = fill(u);
      operator_snapshot snap;
      s->snapshot(snap); // written below, after the timers changed
      u.take_due(1000);
      u.add("after", 5);
      u.remove("key299", latest);
      auto target = store(!on_leveldb, {0, max_parallelism});
      target->restore(flinkcpp::testing::restore_of(snap));
      timer_user t{*target, "timers"};
      BOOST_TEST((t.take_due(latest) == want));
    }
  }
}

BOOST_AUTO_TEST_CASE(timers_moved_removed_and_added_again_fire_as_a_model_says) {
  // Session windows move their timer with every record; windows of one key
  // may share a time. Random changes, checked against a set, on both
  // backends; several payloads share a key hash ("key/window").
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, {0, max_parallelism});
      auto& table = s->timers<std::string>("moved");
      std::mt19937 random{42};
      timer_set model;
      std::int64_t now = 0;
      auto change = [&](bool add, std::int64_t time, const std::string& payload) {
        auto key = payload.substr(0, payload.find('/'));
        s->set_current_key(key, key_hash(key));
        if (add) {
          table.add(time, payload, key_hash(key), s->current_group());
          model.emplace(time, payload);
        } else {
          table.remove(time, payload, key_hash(key), s->current_group());
          model.erase({time, payload});
        }
      };
      for (int step = 0; step < 20000; ++step) {
        auto payload = "k" + std::to_string(random() % 40) + "/w" + std::to_string(random() % 3);
        auto time = now + static_cast<std::int64_t>(random() % 50);
        switch (random() % 8) {
          case 0: // a later firing of a timer that exists
            if (auto it = model.lower_bound({now, ""}); it != model.end()) {
              auto moved = *it;
              change(false, moved.first, moved.second);
              change(true, moved.first + 30, moved.second);
            }
            break;
          case 1:
            change(false, time, payload);
            break;
          case 2: { // removed and added again: the heap holds it twice
            change(true, time, payload);
            change(false, time, payload);
            change(true, time, payload);
            break;
          }
          case 3: {
            now += static_cast<std::int64_t>(random() % 20);
            timer_set want(model.begin(), model.upper_bound({now, std::string(1, '\x7f')}));
            timer_set got;
            std::int64_t last = std::numeric_limits<std::int64_t>::min();
            while (auto t = table.take_due(now)) {
              BOOST_TEST(t->timestamp >= last);
              last = t->timestamp;
              got.emplace(t->timestamp, t->payload);
            }
            BOOST_TEST((got == want));
            for (const auto& t : got)
              model.erase(t);
            break;
          }
          default:
            change(true, time, payload);
        }
        if (model.empty())
          BOOST_TEST(!table.next().has_value());
        else
          BOOST_TEST(table.next().value_or(-1) == model.begin()->first);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_timer_queue_holds_and_gives_timers_as_a_model_says) {
  // Mostly timers after all others, some among them, slots shared by
  // payloads (a key hash of few values), removals, re-adds, copies
  // (snapshots): every step against a model of slots, each with its
  // payloads in the order added (taken last first, visited first first).
  std::mt19937 random{7};
  timer_queue<std::string> queue;
  std::map<std::pair<std::int64_t, std::uint64_t>, std::vector<std::string>> model;
  std::int64_t now = 0;
  std::int64_t latest = 0;
  auto model_add = [&](std::int64_t time, std::uint64_t hash, const std::string& payload) {
    auto& payloads = model[{time, hash}];
    if (std::find(payloads.begin(), payloads.end(), payload) == payloads.end())
      payloads.push_back(payload);
  };
  auto model_remove = [&](std::int64_t time, std::uint64_t hash, const std::string& payload) {
    auto it = model.find({time, hash});
    if (it == model.end())
      return;
    std::erase(it->second, payload);
    if (it->second.empty())
      model.erase(it);
  };
  for (int step = 0; step < 50000; ++step) {
    auto payload = "p" + std::to_string(random() % 6);
    auto hash = static_cast<std::uint64_t>(random() % 3);
    auto time = random() % 4 == 0 ? now + static_cast<std::int64_t>(random() % 40)
                                  : latest + static_cast<std::int64_t>(random() % 3);
    latest = std::max(latest, time);
    switch (random() % 10) {
      case 0:
      case 1:
        queue.remove(time, payload, hash);
        model_remove(time, hash, payload);
        break;
      case 2:
        if (!model.empty()) { // a held one, removed and added again
          auto [slot, payloads] = *std::next(model.begin(), random() % model.size());
          queue.remove(slot.first, payloads.front(), slot.second);
          queue.add(slot.first, payloads.front(), slot.second);
          model_remove(slot.first, slot.second, payloads.front());
          model_add(slot.first, slot.second, payloads.front());
        }
        break;
      case 3: {
        now += static_cast<std::int64_t>(random() % 30);
        while (auto t = queue.take_due(now)) {
          BOOST_TEST_REQUIRE(!model.empty());
          auto& [slot, payloads] = *model.begin();
          BOOST_TEST_REQUIRE(t->timestamp == slot.first);
          BOOST_TEST(t->key_hash == slot.second);
          BOOST_TEST(t->payload == payloads.back());
          payloads.pop_back();
          if (payloads.empty())
            model.erase(model.begin());
        }
        BOOST_TEST((model.empty() || model.begin()->first.first > now));
        break;
      }
      case 4: {
        auto copy = queue; // as a snapshot's frozen group
        std::vector<std::string> visited;
        copy.for_each([&](std::int64_t t, std::uint64_t h, const std::string& p) {
          visited.push_back(std::to_string(t) + "/" + std::to_string(h) + "/" + p);
        });
        std::vector<std::string> expected;
        for (const auto& [slot, payloads] : model)
          for (const auto& p : payloads)
            expected.push_back(std::to_string(slot.first) + "/" + std::to_string(slot.second) +
                               "/" + p);
        BOOST_TEST(visited == expected, boost::test_tools::per_element());
        break;
      }
      default:
        queue.add(time, payload, hash);
        model_add(time, hash, payload);
    }
    BOOST_TEST_REQUIRE(queue.empty() == model.empty());
    if (!model.empty())
      BOOST_TEST_REQUIRE(queue.next().value_or(-1) == model.begin()->first.first);
  }
}

BOOST_AUTO_TEST_CASE(group_heads_rank_groups_as_a_sorted_set_of_them_does) {
  // 100 groups (not a power of two), random heads at the ends of time too.
  constexpr int groups = 100;
  detail::timer_group_heads heads{groups};
  std::vector<std::optional<std::int64_t>> model_heads(groups);
  std::set<std::pair<std::int64_t, int>> model;
  std::mt19937 random{3};
  auto random_time = [&]() -> std::int64_t {
    switch (random() % 8) {
      case 0:
        return std::numeric_limits<std::int64_t>::min();
      case 1:
        return std::numeric_limits<std::int64_t>::max();
      default:
        return static_cast<std::int64_t>(random() % 60) - 10;
    }
  };
  for (int step = 0; step < 20000; ++step) {
    int g = static_cast<int>(random() % groups);
    std::optional<std::int64_t> now;
    if (random() % 4 != 0)
      now = random_time();
    if (model_heads[g])
      model.erase({*model_heads[g], g});
    if (now)
      model.insert({*now, g});
    model_heads[g] = now;
    heads.set(g, now);
    BOOST_TEST((heads.of(g) == now));
    std::optional<std::int64_t> earliest;
    if (!model.empty())
      earliest = model.begin()->first;
    BOOST_REQUIRE((heads.earliest() == earliest));
    auto probe = random_time();
    std::optional<int> due;
    if (!model.empty() && model.begin()->first <= probe)
      due = model.begin()->second;
    BOOST_REQUIRE((heads.due_group(probe) == due));
  }
}

BOOST_AUTO_TEST_CASE(a_timer_table_and_a_state_of_one_name_are_refused) {
  auto s = store(false, {0, max_parallelism});
  s->timers<std::string>("clash");
  BOOST_CHECK_THROW(s->state(value_state_descriptor<long>{"clash"}), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

// Keyed state on both backends: each state kind's semantics, time to live,
// and snapshots that restore on either backend at another parallelism.

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/kv_state_tables.hpp"
#include "support/restored_state.hpp"
#include "support/state_backends.hpp"

using namespace flinkcpp;
using namespace flinkcpp::detail;
using namespace flinkcpp::spi;
using flinkcpp::testing::snapshot_for;

namespace {

constexpr int max_parallelism = 128;

/// A store on the hashmap backend, or on LevelDB in a temp directory.
struct backend_fixture : flinkcpp::testing::state_backends {
  std::unique_ptr<keyed_state_store<std::string>> store(bool on_leveldb, key_group_range range,
                                                        const std::string& name = "op") {
    return state_backends::store(on_leveldb, range, max_parallelism, name);
  }
};

key_group_range all_groups() {
  return {0, max_parallelism};
}

/// Keeps keys alive while they are current (the store points at them).
struct keys {
  std::vector<std::unique_ptr<std::string>> owned;
  void set(keyed_state_store<std::string>& store, const std::string& key) {
    owned.push_back(std::make_unique<std::string>(key));
    store.set_current_key(*owned.back(), key_hash(*owned.back()));
  }
};

struct sum_fn {
  long operator()(long a, long b) const { return a + b; }
};

struct average {
  std::pair<long, long> create_accumulator() const { return {0, 0}; }
  void add(std::pair<long, long>& acc, const long& v) const {
    acc.first += v;
    ++acc.second;
  }
  double get_result(const std::pair<long, long>& acc) const {
    return static_cast<double>(acc.first) / static_cast<double>(acc.second);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(keyed_state, backend_fixture)

BOOST_AUTO_TEST_CASE(each_state_kind_is_scoped_to_the_current_key) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, all_groups(), on_leveldb ? "kinds" : "unused");
      keys k;
      auto value = s->state(value_state_descriptor<long>{"value"});
      auto list = s->state(list_state_descriptor<std::string>{"list"});
      auto map = s->state(map_state_descriptor<std::string, long>{"map"});
      auto reduce = s->state(reducing_state_descriptor<long, sum_fn>{"sum", sum_fn{}});
      auto avg =
        s->state(aggregating_state_descriptor<long, std::pair<long, long>, double, average>{
          "avg", average{}});
      k.set(*s, "a");
      BOOST_TEST(!value.value().has_value());
      value.update(7);
      list.add("x");
      list.add("y");
      map.put("one", 1);
      map.put("two", 2);
      reduce.add(5);
      reduce.add(6);
      avg.add(2);
      avg.add(4);
      k.set(*s, "b");
      BOOST_TEST(!value.value().has_value());
      BOOST_TEST(list.get().empty());
      BOOST_TEST(map.is_empty());
      value.update(1);
      k.set(*s, "a");
      BOOST_TEST(value.value().value() == 7);
      BOOST_TEST((list.get() == std::vector<std::string>{"x", "y"}));
      BOOST_TEST(map.get("two").value() == 2);
      BOOST_TEST(!map.get("three").has_value());
      BOOST_TEST(map.contains("one"));
      BOOST_TEST(map.update("two", [](long& v) { v += 40; }));
      BOOST_TEST(map.get("two").value() == 42);
      BOOST_TEST(!map.update("three", [](long&) { BOOST_FAIL("updated what is not there"); }));
      BOOST_TEST(!map.contains("three"));
      map.remove("one");
      BOOST_TEST(!map.contains("one"));
      BOOST_TEST(map.entries().size() == 1u);
      BOOST_TEST(reduce.get().value() == 11);
      BOOST_TEST(avg.get().value() == 3.0);
      list.update({"z"});
      BOOST_TEST((list.get() == std::vector<std::string>{"z"}));
      value.clear();
      list.clear();
      map.clear();
      BOOST_TEST(!value.value().has_value());
      BOOST_TEST(list.get().empty());
      BOOST_TEST(map.is_empty());
      k.set(*s, "b");
      BOOST_TEST(value.value().value() == 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(expired_entries_are_hidden_unless_asked_for) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, all_groups(), on_leveldb ? "ttl" : "unused");
      keys k;
      k.set(*s, "key");
      // A TTL of zero has expired by the time anything reads the entry.
      auto gone = s->state(value_state_descriptor<long>{"gone"}.enable_time_to_live(
        state_ttl_config{std::chrono::milliseconds{0}}));
      auto visible = s->state(value_state_descriptor<long>{"visible"}.enable_time_to_live(
        state_ttl_config{std::chrono::milliseconds{0}}.set_state_visibility(
          state_ttl_config::state_visibility::return_expired_if_not_cleaned_up)));
      auto kept = s->state(value_state_descriptor<long>{"kept"}.enable_time_to_live(
        state_ttl_config{std::chrono::hours{1}}));
      auto elements = s->state(list_state_descriptor<long>{"elements"}.enable_time_to_live(
        state_ttl_config{std::chrono::milliseconds{0}}));
      gone.update(1);
      visible.update(2);
      kept.update(3);
      elements.add(4);
      BOOST_TEST(!gone.value().has_value());
      BOOST_TEST(visible.value().value() == 2);
      BOOST_TEST(kept.value().value() == 3);
      BOOST_TEST(elements.get().empty());
      elements.add(5);
      elements.for_each([](const long&) { BOOST_ERROR("read an expired element"); });
      elements.add(6);
      BOOST_TEST(elements.remove_if([](const long&) {
        BOOST_ERROR("asked about an expired element");
        return false;
      }) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(snapshots_restore_on_either_backend_at_another_parallelism) {
  for (bool from_leveldb : {false, true}) {
    for (bool to_leveldb : {false, true}) {
      BOOST_TEST_CONTEXT((from_leveldb ? "leveldb" : "hashmap")
                         << " -> " << (to_leveldb ? "leveldb" : "hashmap")) {
        auto source = store(from_leveldb, all_groups(), "from" + std::to_string(to_leveldb));
        keys k;
        {
          auto counts = source->state(value_state_descriptor<long>{"count"});
          auto tags = source->state(list_state_descriptor<std::string>{"tags"});
          auto attrs = source->state(map_state_descriptor<std::string, long>{"attrs"});
          for (int i = 0; i < 500; ++i) {
            k.set(*source, "key" + std::to_string(i));
            counts.update(i);
            tags.add("t" + std::to_string(i));
            tags.add("u");
            attrs.put("a", i);
          }
        }
        // Restore at parallelism 3: every subtask gets the keys of its groups.
        std::map<std::string, long> restored_counts;
        for (int subtask = 0; subtask < 3; ++subtask) {
          auto range = key_groups_of_subtask(max_parallelism, 3, subtask);
          auto target =
            store(to_leveldb, range, "to" + std::to_string(from_leveldb) + std::to_string(subtask));
          target->restore(snapshot_for(*source, range));
          auto counts = target->state(value_state_descriptor<long>{"count"});
          auto tags = target->state(list_state_descriptor<std::string>{"tags"});
          auto attrs = target->state(map_state_descriptor<std::string, long>{"attrs"});
          for (int i = 0; i < 500; ++i) {
            auto key = "key" + std::to_string(i);
            if (!range.contains(key_group_of(key_hash(key), max_parallelism)))
              continue;
            k.set(*target, key);
            restored_counts[key] = counts.value().value_or(-1);
            BOOST_TEST((tags.get() == std::vector<std::string>{"t" + std::to_string(i), "u"}));
            BOOST_TEST(attrs.get("a").value_or(-1) == i);
          }
        }
        BOOST_TEST(restored_counts.size() == 500u);
        for (int i = 0; i < 500; ++i)
          BOOST_TEST(restored_counts["key" + std::to_string(i)] == i);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(leveldb_values_cached_changed_and_evicted_are_what_was_last_written) {
  // More keys than a LevelDB value table keeps decoded, each changed in
  // rounds (values evicted, written back, read again), one erased while
  // its change was held back: listings, reads held across evictions and a
  // snapshot restored on the other backend all see the last writes.
  auto s = store(true, all_groups(), "cached");
  auto counts = s->state(value_state_descriptor<long>{"count"});
  constexpr int n = 3 * static_cast<int>(kv_value_cache_entries);
  keys k;
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    names.push_back("key" + std::to_string(i));
  for (int round = 1; round <= 3; ++round)
    for (int i = 0; i < n; ++i) {
      k.set(*s, names[static_cast<std::size_t>(i)]);
      counts.update(counts.value().value_or(0) + i);
    }
  k.set(*s, names[0]);
  counts.update(-1);
  auto& table = s->value_table_of<long>(value_state_descriptor<long>{"count"});
  const long* held = table.get();
  BOOST_REQUIRE(held != nullptr);
  for (int i = 1; i < n; ++i) { // changes read (so cache) and evict all else, never held
    k.set(*s, names[static_cast<std::size_t>(i)]);
    BOOST_TEST(table.update([](long& v) {
      ++v;
      return true;
    }));
  }
  BOOST_TEST(*held == -1);
  for (int i = 1; i < n; ++i) { // read back, from the cache or the store
    k.set(*s, names[static_cast<std::size_t>(i)]);
    BOOST_TEST(counts.value().value_or(-2) == 3L * i + 1);
  }
  k.set(*s, names[1]);
  counts.update(7);
  counts.clear(); // a change held back, then erased: it must not come back
  std::size_t listed = 0;
  s->for_each_key(value_state_descriptor<long>{"count"},
                  [&](const std::string&, auto&) { ++listed; });
  BOOST_TEST(listed == static_cast<std::size_t>(n - 1));

  auto target = store(false, all_groups());
  target->restore(snapshot_for(*s, all_groups()));
  auto restored = target->state(value_state_descriptor<long>{"count"});
  for (int i = 0; i < n; ++i) {
    k.set(*target, names[static_cast<std::size_t>(i)]);
    long expected = i == 0 ? -1 : i == 1 ? -2 : 3L * i + 1; // -2: none
    BOOST_TEST(restored.value().value_or(-2) == expected, names[static_cast<std::size_t>(i)]);
  }
}

BOOST_AUTO_TEST_CASE(a_map_empties_and_fills_again_through_removes_and_a_restore) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, all_groups(), on_leveldb ? "refill" : "unused");
      keys k;
      auto map = s->state(map_state_descriptor<long, long>{"m"});
      k.set(*s, "a");
      for (long i = 0; i < 1000; ++i) // many removed entries under one key
        map.put(i, i);
      for (long i = 0; i < 999; ++i)
        map.remove(i);
      map.remove(5);   // gone already: nothing changes
      map.put(999, 1); // there already: still one entry
      BOOST_TEST(!map.is_empty());
      BOOST_TEST(map.entries().size() == 1u);
      auto target = store(on_leveldb, all_groups(), on_leveldb ? "refill-to" : "unused");
      target->restore(snapshot_for(*s, all_groups()));
      auto restored = target->state(map_state_descriptor<long, long>{"m"});
      k.set(*target, "a");
      restored.put(7, 7);
      restored.remove(999);
      BOOST_TEST(!restored.is_empty());
      restored.remove(7);
      BOOST_TEST(restored.is_empty());
      restored.put(8, 8);
      BOOST_TEST(restored.entries().size() == 1u);
      k.set(*s, "a");
      map.remove(999);
      BOOST_TEST(map.is_empty());
      BOOST_TEST(snapshot_for(*s, all_groups()).key_groups.empty()); // no marker left behind
    }
  }
}

BOOST_AUTO_TEST_CASE(a_list_is_read_in_place_and_thinned_keeping_what_is_left_in_order) {
  // for_each and remove_if (what an interval join's buffers use): in the
  // order added, only the current key's, the list gone when nothing is left
  // (its first add says so again), and what is left restores as it was.
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, all_groups(), on_leveldb ? "thin" : "unused");
      keys k;
      auto list = s->state(list_state_descriptor<long>{"l"});
      auto read = [&list] {
        std::vector<long> seen;
        list.for_each([&](const long& v) { seen.push_back(v); });
        return seen;
      };
      k.set(*s, "other");
      BOOST_TEST(list.add(-1));
      k.set(*s, "a");
      BOOST_TEST(read().empty());
      BOOST_TEST(list.remove_if([](const long&) {
        BOOST_ERROR("visited a list the key does not have");
        return true;
      }) == 0u);
      BOOST_TEST(list.add(5));
      for (long v : {3L, 8L, 1L, 6L})
        BOOST_TEST(!list.add(v));
      BOOST_TEST((read() == std::vector<long>{5, 3, 8, 1, 6}));
      std::vector<long> visited;
      auto left = list.remove_if([&](const long& v) {
        visited.push_back(v);
        return v < 5;
      });
      BOOST_TEST(left == 3u);
      BOOST_TEST((visited == std::vector<long>{5, 3, 8, 1, 6}));
      BOOST_TEST((read() == std::vector<long>{5, 8, 6}));
      BOOST_TEST(!list.add(2));
      BOOST_TEST((list.get() == std::vector<long>{5, 8, 6, 2}));
      auto target = store(on_leveldb, all_groups(), on_leveldb ? "thin-to" : "unused");
      target->restore(snapshot_for(*s, all_groups()));
      auto restored = target->state(list_state_descriptor<long>{"l"});
      k.set(*target, "a");
      BOOST_TEST((restored.get() == std::vector<long>{5, 8, 6, 2}));
      BOOST_TEST(list.remove_if([](const long& v) { return v != 8; }) == 1u);
      BOOST_TEST(list.remove_if([](const long&) { return true; }) == 0u);
      BOOST_TEST(read().empty());
      BOOST_TEST(list.add(9)); // the key's first again
      BOOST_TEST((read() == std::vector<long>{9}));
      k.set(*s, "other");
      BOOST_TEST((read() == std::vector<long>{-1}));
      list.clear();
      k.set(*s, "a");
      list.clear();
      BOOST_TEST(snapshot_for(*s, all_groups()).key_groups.empty()); // no marker left behind
    }
  }
}

BOOST_AUTO_TEST_CASE(each_key_with_an_entry_is_visited_once_with_its_state_current) {
  // for_each_key (apply_to_keyed_state) visits the keys of the subtask's
  // groups that have an entry in one state, each with the handle on it:
  // not keys of other states, not keys cleared before, and not the
  // elements or user keys of lists and maps as keys of their own.
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, {0, 64}, on_leveldb ? "visit" : "unused");
      keys k;
      auto list = s->state(list_state_descriptor<std::string>{"list"});
      auto map = s->state(map_state_descriptor<std::string, long>{"map"});
      auto other = s->state(value_state_descriptor<long>{"other"});
      std::map<std::string, std::size_t> expected; // key -> list length
      for (int i = 0; i < 300; ++i) {
        auto key = "k" + std::to_string(i);
        if (key_group_of(key_hash(key), max_parallelism) >= 64)
          continue;
        k.set(*s, key);
        other.update(i);
        if (i % 3 == 0)
          continue; // no list
        for (int j = 0; j <= i % 4; ++j)
          list.add("e" + std::to_string(j));
        map.put("u" + std::to_string(i), i);
        if (i % 5 == 0)
          list.clear();
        else
          expected[key] = static_cast<std::size_t>(i % 4 + 1);
      }
      BOOST_TEST_REQUIRE(expected.size() > 50u);
      std::map<std::string, std::size_t> visited;
      s->for_each_key(list_state_descriptor<std::string>{"list"},
                      [&](const std::string& key, list_state<std::string>& state) {
                        BOOST_TEST(visited.count(key) == 0u);
                        visited[key] = state.get().size();
                        if (visited.size() % 2 == 0)
                          state.clear(); // changing the state as it goes
                      });
      BOOST_TEST(visited == expected);
      std::size_t left = 0;
      s->for_each_key(list_state_descriptor<std::string>{"list"},
                      [&](const std::string&, list_state<std::string>&) { ++left; });
      BOOST_TEST(left == expected.size() - expected.size() / 2);
    }
  }
}

BOOST_AUTO_TEST_CASE(window_state_is_per_key_and_window_and_moves_with_the_key) {
  for (bool from_leveldb : {false, true}) {
    for (bool to_leveldb : {false, true}) {
      BOOST_TEST_CONTEXT((from_leveldb ? "leveldb" : "hashmap")
                         << " -> " << (to_leveldb ? "leveldb" : "hashmap")) {
        const time_window first{0, 10}, second{10, 20};
        auto source = store(from_leveldb, all_groups(), "wfrom" + std::to_string(to_leveldb));
        keys k;
        for (int i = 0; i < 100; ++i) {
          k.set(*source, "key" + std::to_string(i));
          source->window_state(value_state_descriptor<long>{"fired"}, first).update(i);
          source->window_state(list_state_descriptor<long>{"seen"}, second).add(i + 1000);
          BOOST_TEST(!source->window_state(value_state_descriptor<long>{"fired"}, second).value());
        }
        k.set(*source, "key7");
        BOOST_TEST(
          source->window_state(value_state_descriptor<long>{"fired"}, first).value().value_or(-1) ==
          7);
        BOOST_CHECK_THROW(source->state(value_state_descriptor<long>{"fired"}), std::logic_error);
        for (int subtask = 0; subtask < 2; ++subtask) {
          auto range = key_groups_of_subtask(max_parallelism, 2, subtask);
          auto target = store(to_leveldb, range,
                              "wto" + std::to_string(from_leveldb) + std::to_string(subtask));
          target->restore(snapshot_for(*source, range));
          for (int i = 0; i < 100; ++i) {
            auto key = "key" + std::to_string(i);
            if (!range.contains(key_group_of(key_hash(key), max_parallelism)))
              continue;
            k.set(*target, key);
            auto fired = target->window_state(value_state_descriptor<long>{"fired"}, first);
            BOOST_TEST(fired.value().value_or(-1) == i);
            fired.clear();
            BOOST_TEST(!fired.value());
            auto seen = target->window_state(list_state_descriptor<long>{"seen"}, second);
            BOOST_TEST((seen.get() == std::vector<long>{i + 1000}));
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(per_window_values_change_in_place) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto s = store(on_leveldb, all_groups(), "in-place");
      keys k;
      auto& table = s->window_value_table_of<long>(value_state_descriptor<long>{"acc"});
      const time_window first{0, 10}, second{10, 20};
      auto add = [&](long delta) {
        return table.update([delta](long& v) {
          v += delta;
          return true;
        });
      };
      k.set(*s, "a");
      s->set_current_window(first);
      BOOST_TEST(!add(1));
      BOOST_TEST(table.get() == nullptr);
      table.put(1);
      s->set_current_window(second);
      table.put(100);
      k.set(*s, "b");
      s->set_current_window(first);
      BOOST_TEST(table.get() == nullptr);
      table.put(5);
      k.set(*s, "a");
      s->set_current_window(first);
      BOOST_TEST(add(41));
      BOOST_TEST(*table.get() == 42);
      s->set_current_window(second);
      BOOST_TEST(*table.get() == 100);
      BOOST_TEST(s->window_state(value_state_descriptor<long>{"acc"}, first).value().value_or(-1) ==
                 42);
      k.set(*s, "b");
      s->set_current_window(first);
      BOOST_TEST(add(1));
      BOOST_TEST(*table.get() == 6);
      table.erase();
      BOOST_TEST(!add(1));
      k.set(*s, "a");
      s->set_current_window(second);
      BOOST_TEST(*table.get() == 100);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_snapshot_holds_the_state_as_it_was_when_taken) {
  for (bool on_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((on_leveldb ? "leveldb" : "hashmap")) {
      auto source = store(on_leveldb, all_groups(), "taken");
      keys k;
      auto counts = source->state(value_state_descriptor<long>{"count"});
      auto tags = source->state(list_state_descriptor<std::string>{"tags"});
      auto windows = source->state(map_state_descriptor<long, long>{"windows"});
      for (int i = 0; i < 300; ++i) {
        k.set(*source, "key" + std::to_string(i));
        counts.update(i);
        tags.add("before");
        windows.put(10, i);
      }
      operator_snapshot snap;
      source->snapshot(snap);
      // Changed after the snapshot was taken, before it is written.
      for (int i = 0; i < 300; ++i) {
        k.set(*source, "key" + std::to_string(i));
        if (i % 3 == 0)
          counts.clear();
        else if (i % 3 == 1) // in place
          source->value_table_of<long>(value_state_descriptor<long>{"count"}).update([&](long& v) {
            v = -i;
            return true;
          });
        else
          counts.update(-i);
        tags.add("after");
        windows.update(10, [](long& v) { v = -1; }); // in place: the snapshot keeps its copy
      }
      k.set(*source, "new");
      counts.update(7);
      operator_restore written;
      snap.keyed([&](int g, std::string_view bytes) { written.key_groups.emplace_back(g, bytes); });
      auto target = store(false, all_groups());
      target->restore(written);
      auto restored_counts = target->state(value_state_descriptor<long>{"count"});
      auto restored_tags = target->state(list_state_descriptor<std::string>{"tags"});
      auto restored_windows = target->state(map_state_descriptor<long, long>{"windows"});
      for (int i = 0; i < 300; ++i) {
        k.set(*target, "key" + std::to_string(i));
        BOOST_TEST(restored_counts.value().value_or(-1) == i);
        BOOST_TEST(restored_windows.get(10).value_or(-2) == i);
        BOOST_TEST((restored_tags.get() == std::vector<std::string>{"before"}));
      }
      k.set(*target, "new");
      BOOST_TEST(!restored_counts.value().has_value());
      // And the live store has the changes.
      k.set(*source, "key1");
      BOOST_TEST(counts.value().value_or(0) == -1);
    }
  }
}

BOOST_AUTO_TEST_CASE(state_a_job_no_longer_declares_goes_into_later_snapshots) {
  auto first = store(false, all_groups());
  keys k;
  first->state(value_state_descriptor<long>{"old"});
  k.set(*first, "x");
  first->state(value_state_descriptor<long>{"old"}).update(42);
  auto second = store(true, all_groups(), "carry");
  second->restore(snapshot_for(*first, all_groups()));
  // `second` never declares "old"; a third store restored from it still has it.
  auto third = store(false, all_groups());
  third->restore(snapshot_for(*second, all_groups()));
  k.set(*third, "x");
  BOOST_TEST(third->state(value_state_descriptor<long>{"old"}).value().value() == 42);
}

BOOST_AUTO_TEST_CASE(misuse_is_reported) {
  auto s = store(false, key_groups_of_subtask(max_parallelism, 2, 0));
  keys k;
  std::string foreign;
  for (int i = 0;; ++i) { // a key of the other subtask's groups
    foreign = "k" + std::to_string(i);
    if (key_group_of(key_hash(foreign), max_parallelism) >= 64)
      break;
  }
  BOOST_CHECK_THROW(s->set_current_key(foreign, key_hash(foreign)), std::logic_error);
  s->state(value_state_descriptor<long>{"v"});
  BOOST_CHECK_THROW(s->state(value_state_descriptor<std::string>{"v"}), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

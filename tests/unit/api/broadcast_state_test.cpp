// Broadcast state of one operator instance: only the states the broadcast
// stream declared exist; a snapshot holds them once (subtask 0's), as union
// lists every subtask restores whole; restored states not used since go
// into later snapshots unchanged.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/broadcast_state.hpp"

using namespace flinkcpp;
using namespace flinkcpp::detail;

namespace {

const map_state_descriptor<std::string, long> rules{"rules"};
const map_state_descriptor<long, std::string> names{"names"};

broadcast_states declared() {
  return broadcast_states{{broadcast_states::declare(rules), broadcast_states::declare(names)}};
}

/// What a restoring subtask receives of `snapshot`'s lists, as union lists.
spi::operator_restore restore_of(const spi::operator_snapshot& snapshot) {
  spi::operator_restore r;
  for (const auto& [name, list] : snapshot.lists) {
    BOOST_TEST((list.mode == spi::redistribution::union_all));
    r.lists[name] = list.entries;
  }
  return r;
}

template <class K, class V>
std::vector<std::pair<K, V>> sorted(const read_only_broadcast_state<K, V>& state) {
  auto entries = state.entries();
  std::sort(entries.begin(), entries.end());
  return entries;
}

} // namespace

BOOST_AUTO_TEST_SUITE(broadcast_state_tables)

BOOST_AUTO_TEST_CASE(subtask_0_checkpoints_the_states_that_every_subtask_restores) {
  auto states = declared();
  broadcast_state<std::string, long> r{states.table(rules)};
  read_only_broadcast_state<std::string, long> view{states.table(rules)};
  r.put("a", 1);
  r.put("b", 2);
  r.put("a", 3);
  r.put("c", 4);
  r.remove("c");
  BOOST_TEST(view.get("a").value_or(0) == 3);
  BOOST_TEST(!view.get("c").has_value());
  BOOST_TEST(view.contains("b"));
  broadcast_state<long, std::string>{states.table(names)}.put(7, "seven");

  spi::operator_snapshot other;
  states.snapshot(false, other);
  BOOST_TEST(other.lists.empty()); // one copy only: subtask 0's

  spi::operator_snapshot snapshot;
  states.snapshot(true, snapshot);
  BOOST_TEST(snapshot.lists.size() == 2u);
  for (int subtask = 0; subtask < 3; ++subtask) {
    auto restored = declared();
    restored.restore(restore_of(snapshot));
    read_only_broadcast_state<std::string, long> back{restored.table(rules)};
    BOOST_TEST((sorted(back) == std::vector<std::pair<std::string, long>>{{"a", 3}, {"b", 2}}));
    read_only_broadcast_state<long, std::string> back_names{restored.table(names)};
    BOOST_TEST(back_names.get(7).value_or("") == "seven");
  }
}

BOOST_AUTO_TEST_CASE(restored_states_not_used_since_stay_in_later_snapshots) {
  auto states = declared();
  broadcast_state<std::string, long>{states.table(rules)}.put("x", 9);
  spi::operator_snapshot first;
  states.snapshot(true, first);

  auto restored = declared();
  restored.restore(restore_of(first));
  spi::operator_snapshot second; // "rules" not used after the restore
  restored.snapshot(true, second);
  auto again = declared();
  again.restore(restore_of(second));
  read_only_broadcast_state<std::string, long> back{again.table(rules)};
  BOOST_TEST(back.get("x").value_or(0) == 9);
}

BOOST_AUTO_TEST_CASE(only_states_the_broadcast_stream_declared_exist) {
  auto states = declared();
  BOOST_CHECK_THROW(states.table(map_state_descriptor<std::string, long>{"other"}),
                    std::logic_error);
  BOOST_CHECK_THROW(states.table(map_state_descriptor<std::string, int>{"rules"}),
                    std::logic_error);
  states.table(rules);
  BOOST_CHECK_THROW(states.table(map_state_descriptor<long, long>{"rules"}), std::logic_error);
  broadcast_state<std::string, long> r{states.table(rules)};
  r.put("a", 1);
  r.clear();
  read_only_broadcast_state<std::string, long> cleared{states.table(rules)};
  BOOST_TEST(cleared.is_empty());
}

BOOST_AUTO_TEST_CASE(corrupt_restored_entries_are_reported) {
  broadcast_states states = declared();
  spi::operator_restore r;
  r.lists["broadcast-state:rules"] = {"\x05"};
  states.restore(r);
  BOOST_CHECK_THROW(states.table(rules), serialization_error);
}

BOOST_AUTO_TEST_SUITE_END()

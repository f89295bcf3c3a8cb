#pragma once

#include <string>
#include <string_view>

#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

namespace flinkcpp::testing {

/// What a subtask owning key groups `range` restores of `snapshot` (taken,
/// not written yet): those groups of its keyed state, and every list entry.
inline spi::operator_restore restore_of(const spi::operator_snapshot& snapshot,
                                        spi::key_group_range range = {0, 128}) {
  spi::operator_restore restore;
  if (snapshot.keyed)
    snapshot.keyed([&](int g, std::string_view bytes) {
      if (range.contains(g))
        restore.key_groups.emplace_back(g, std::string{bytes});
    });
  for (const auto& [name, list] : snapshot.lists)
    restore.lists[name] = list.entries;
  return restore;
}

/// What a subtask owning `range` restores of a snapshot of `store` (a
/// keyed_state_store) taken now.
template <class Store>
spi::operator_restore snapshot_for(const Store& store, spi::key_group_range range) {
  spi::operator_snapshot snapshot;
  store.snapshot(snapshot);
  return restore_of(snapshot, range);
}

} // namespace flinkcpp::testing

#pragma once

#include <memory>

#include "state/state_backend.hpp"

namespace flinkcpp {

/// The hashmap backend (state.backend.type: hashmap, Flink's
/// HashMapStateBackend): keyed state in the operators' own tables in memory,
/// snapshots in the canonical format only. A native snapshot of another
/// backend (an incremental LevelDB checkpoint) cannot be restored into it:
/// the restore fails saying to change backends through a savepoint.
std::shared_ptr<const state_backend> make_hashmap_state_backend();

} // namespace flinkcpp

#pragma once

#include <memory>

#include "state/state_backend.hpp"

namespace flinkcpp {

/// The LevelDB backend (state.backend.type: leveldb, Flink's RocksDB backend
/// with LevelDB): each keyed operator subtask's state in a LevelDB of its own
/// below `settings.local_dir`/job-<id> (leveldb_store.hpp), canonical and
/// native snapshots (leveldb_native.hpp), canonical snapshots restored by
/// bulk loading (leveldb_canonical_restore.hpp). Requires a non-empty
/// local_dir.
std::shared_ptr<const state_backend>
make_leveldb_state_backend(const state_backend_settings& settings);

} // namespace flinkcpp

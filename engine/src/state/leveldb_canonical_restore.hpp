#pragma once

// Restoring canonical snapshots (savepoints, full checkpoints, hashmap
// state) into the LevelDB backend without LevelDB's write path: the state
// files are read one key group at a time, each group's entries sorted and
// written straight into table files (leveldb_bulk_loader). Memory stays at
// one key group's state, however large the whole.

#include <memory>
#include <string>
#include <vector>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

namespace flinkcpp {

/// Builds, in a new directory under `local_dir`/job-`job`, the database of
/// a subtask owning key groups `range` from the canonical keyed state files
/// `handles` (in `checkpoint_directory`; their ranges disjoint, as the old
/// subtasks' were). Each file is checked as it is read (envelope, size,
/// checksum). Blocking (an I/O thread). Fails naming the missing or corrupt
/// file; nothing of a failed build stays on disk.
result<std::shared_ptr<spi::native_state>>
build_canonical_restore(const std::string& checkpoint_directory,
                        std::vector<keyed_state_handle> handles, spi::key_group_range range,
                        const std::string& local_dir, const std::string& job);

} // namespace flinkcpp

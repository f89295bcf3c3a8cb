#pragma once

// Incremental checkpoints of the LevelDB backend (execution.checkpointing.incremental):
// a checkpoint pins the store's table files (cheap, on the subtask's thread),
// then uploads on an I/O thread only the tables the latest completed
// checkpoint does not hold; restoring links them into a new database.

#include <memory>
#include <string>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "state/leveldb_database.hpp"

namespace flinkcpp {

/// Flushes the database's buffered writes into tables and pins the tables
/// of its current version. Blocks while LevelDB writes the buffer (and
/// until a running compaction lets it). Throws std::runtime_error naming
/// the directory.
std::shared_ptr<leveldb_file_snapshot> pin_tables(const std::shared_ptr<leveldb_database>& d);

/// The keyed state handle of `snapshot` (a leveldb_file_snapshot) for
/// checkpoint `checkpoint` of key groups `range`: tables not in the latest
/// completed checkpoint are copied durably into `shared_directory`. Blocking
/// (an I/O thread). Fails naming the file.
result<keyed_state_handle> upload_native_snapshot(spi::native_state& snapshot,
                                                  const std::string& shared_directory,
                                                  checkpoint_id checkpoint,
                                                  spi::key_group_range range);

/// Rebuilds the database of a native `handle` (of the checkpoint in
/// `checkpoint_directory`) in a new directory under `local_dir`/job-`job`:
/// its tables linked (or copied) there, each checked against its recorded
/// size and checksum, and a descriptor naming them. `reusable`: the tables
/// are in this job's shared directory, so later checkpoints may reference
/// them. Blocking. Fails naming the missing or corrupt file.
result<std::shared_ptr<spi::native_state>>
prepare_native_restore(const std::string& checkpoint_directory, const keyed_state_handle& handle,
                       const std::string& local_dir, const std::string& job, bool reusable);

} // namespace flinkcpp

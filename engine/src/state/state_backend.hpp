#pragma once

// A job's state backend (Flink's StateBackend), chosen by state.backend.type:
// where its subtasks keep keyed state, how they snapshot it and how they take
// it back from a snapshot. `hashmap` keeps keyed state in the operators'
// memory and snapshots it in the canonical format; `leveldb` keeps each keyed
// operator subtask's state in a LevelDB of its own below a local working
// directory, with native (incremental) snapshots besides the canonical ones.
// Nothing outside state/ names a backend.

#include <cstdint>
#include <memory>
#include <string>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "checkpoint/storage/keyed_state_restorer.hpp"
#include "config/core_options.hpp"
#include "flinkcpp/configuration.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/kv_store.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// Which backend a job uses and its settings, as they travel with every
/// task deployment.
struct state_backend_settings {
  /// state.backend.type, normalised: "hashmap" or "leveldb" (rocksdb is
  /// taken as leveldb).
  std::string type = "hashmap";
  /// Checkpoints take native snapshots sharing the files of earlier ones
  /// (execution.checkpointing.incremental; a backend with native snapshots).
  bool incremental = false;
  /// The root of subtasks' working state on local disk, resolved
  /// (state.backend.leveldb.localdir; a task executor narrows it to a
  /// directory of its own). Empty for a backend keeping none.
  std::string local_dir;
  /// state.backend.leveldb.block-cache-size
  std::uint64_t block_cache_bytes = options::leveldb_block_cache.default_value();
  /// state.backend.leveldb.write-buffer-size
  std::uint64_t write_buffer_bytes = options::leveldb_write_buffer.default_value();
  /// state.backend.leveldb.files.open (-1: no limit)
  std::int64_t open_files = options::leveldb_open_files.default_value();

  /// The backend's name as Flink's REST API reports it.
  const char* name() const {
    return type == "hashmap" ? "HashMapStateBackend" : "EmbeddedLevelDBStateBackend";
  }

  /// Whether subtasks keep working state below local_dir.
  bool keeps_local_state() const { return !local_dir.empty(); }
};

/// The backend settings a validated configuration asks for.
state_backend_settings state_backend_settings_from(const configuration& config);

/// One job's state backend in one process. Immutable and thread-safe: the
/// subtasks of a job and the I/O threads writing their snapshots share it.
class state_backend {
public:
  virtual ~state_backend() = default;

  /// The keyed stores of one subtask of `job`, handed to its operators
  /// (operator_context::state_backend); null: the operators keep keyed state
  /// in memory. The stores outlive the subtask's operators.
  virtual std::unique_ptr<spi::keyed_backend> open_subtask(const job_id& job,
                                                           int subtask) const = 0;

  /// How a subtask of `job` takes the keyed state of a snapshot;
  /// `own_checkpoints` is the job's checkpoint directory (files of a snapshot
  /// there may be shared again by its later checkpoints).
  virtual keyed_state_restorer restorer(const job_id& job,
                                        const std::string& own_checkpoints) const = 0;

  /// Writes a native snapshot this backend's stores took, for checkpoint
  /// `checkpoint` of key groups `range`, sharing files through
  /// `shared_directory`. Blocking (an I/O thread). Fails naming the file.
  virtual result<keyed_state_handle> write_native_snapshot(spi::native_state& snapshot,
                                                           const std::string& shared_directory,
                                                           checkpoint_id checkpoint,
                                                           spi::key_group_range range) const = 0;
};

/// The backend `settings` name.
std::shared_ptr<const state_backend> make_state_backend(const state_backend_settings& settings);

} // namespace flinkcpp

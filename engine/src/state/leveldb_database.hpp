#pragma once

// Internals shared by the LevelDB store (leveldb_store.cpp) and its native
// snapshots (leveldb_native.cpp): an open database, what its incremental
// checkpoints uploaded, pinned table files, and restored databases.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

namespace flinkcpp {

/// An open database, closed (and its directory removed) with its last user.
/// `db` and `sequence` are used from the subtask's thread; the upload
/// bookkeeping from I/O threads too, under `uploads_mutex`.
struct leveldb_database {
  std::unique_ptr<leveldb::Cache> cache;
  /// Bloom filters in the tables it writes: a read of a key a table does
  /// not hold (a new entry, a contains() that is false) skips the table.
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  std::unique_ptr<leveldb::DB> db;
  leveldb::Options options;
  std::string directory;
  std::string name; ///< unique; names its tables in the shared directory
  /// LevelDB's last sequence number: it counts every write applied, so a
  /// restored database continues after it.
  std::uint64_t sequence = 0;

  std::mutex uploads_mutex;
  /// By table number: the files of the latest completed checkpoint, which
  /// later checkpoints reference instead of uploading again.
  std::map<std::uint64_t, shared_state_file> confirmed;
  /// By checkpoint: every table file of a checkpoint not yet completed.
  std::map<std::int64_t, std::map<std::uint64_t, shared_state_file>> pending;

  ~leveldb_database();

  /// Applies `batch` of `count` writes. Throws std::runtime_error naming the
  /// directory when LevelDB fails.
  void write(leveldb::WriteBatch& batch, std::uint64_t count);
  /// Throws std::runtime_error naming the directory.
  [[noreturn]] void fail(const leveldb::Status& status) const;
  /// Checkpoint `checkpoint` completed: its files become the shared ones.
  void confirm(std::int64_t checkpoint);
};

/// The table files of a database at one moment, pinned by hard links in a
/// directory beside it (removed with this) so compactions cannot delete them
/// before they are uploaded.
struct leveldb_file_snapshot final : spi::native_state {
  struct table {
    std::uint64_t number = 0;
    std::int32_t level = 0;
  };
  std::shared_ptr<leveldb_database> database;
  std::string pinned; ///< the directory of links
  std::vector<table> tables;
  std::uint64_t sequence = 0;

  ~leveldb_file_snapshot() override;
};

/// A database rebuilt from a native snapshot, waiting to be adopted by the
/// store restoring it (or copied from, when key groups were redistributed).
/// Its directory is removed with it unless adopted.
struct leveldb_restored final : spi::native_state {
  std::string directory;
  std::int32_t first_group = 0;
  std::int32_t end_group = 0;
  std::uint64_t sequence = 0;
  /// Its tables as uploads later checkpoints may reference (empty when the
  /// snapshot belongs to another job's checkpoints).
  std::map<std::uint64_t, shared_state_file> reusable;
  bool adopted = false;

  ~leveldb_restored() override;
};

/// A new, empty directory under `local_dir`/job-`job` for a database that
/// will hold key groups `range` and continue after `sequence`. Blocking.
/// Fails naming the directory.
result<std::shared_ptr<leveldb_restored>> make_restored_database(const std::string& local_dir,
                                                                 const std::string& job,
                                                                 spi::key_group_range range,
                                                                 std::uint64_t sequence);

} // namespace flinkcpp

#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "flinkcpp/spi/kv_store.hpp"

namespace flinkcpp {

struct leveldb_database;

/// The LevelDB backend's settings (state.backend.leveldb.*).
struct leveldb_settings {
  std::string local_dir; ///< where working databases live
  std::size_t block_cache_bytes = 8 << 20;
  std::size_t write_buffer_bytes = 4 << 20;
  /// LevelDB's max_open_files: it keeps up to this many table files open
  /// (less the ten it reserves), each with its index and filter loaded; a
  /// read of a table not open opens it again (file, footer, index, filter).
  int max_open_files = no_open_file_limit;

  /// The most LevelDB takes.
  static constexpr int no_open_file_limit = 50000;
};

/// Opens the kv stores of one subtask's keyed operators: one LevelDB each,
/// in a fresh directory below `settings.local_dir` named after the job,
/// operator and subtask. A database is working state: its directory is
/// removed when its store and every snapshot of it are gone (checkpoints
/// hold the durable copy). Stores restore and take native snapshots
/// (leveldb_native.hpp) for incremental checkpoints. Thread-safe.
class leveldb_backend final : public spi::keyed_backend {
public:
  leveldb_backend(leveldb_settings settings, std::string job, int subtask);

  /// Throws std::runtime_error naming the directory when LevelDB cannot open.
  std::unique_ptr<spi::kv_store> open(const std::string& name) override;

  void checkpoint_complete(std::int64_t checkpoint) override;

private:
  leveldb_settings settings_;
  std::string job_;
  int subtask_;
  std::mutex mutex_;
  std::vector<std::weak_ptr<leveldb_database>> databases_; ///< guarded by mutex_
};

} // namespace flinkcpp

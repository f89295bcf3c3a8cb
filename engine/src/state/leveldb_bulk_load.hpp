#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <leveldb/options.h>

#include "checkpoint/storage/checkpoint_metadata.hpp"

namespace leveldb {
class TableBuilder;
class WritableFile;
} // namespace leveldb

namespace flinkcpp {

/// Builds a LevelDB database in an empty directory from entries given in
/// ascending key order, without LevelDB's write path (no log, no memtable,
/// no compactions): table files of up to `options.max_file_size` are written
/// directly, all at the bottom level with one sequence number, and a
/// descriptor names them. For restoring canonical snapshots into the LevelDB
/// backend. The files are working state: not flushed to disk. One thread at
/// a time; blocking. A loader destroyed before finish() leaves its files to
/// the directory's owner.
class leveldb_bulk_loader {
public:
  /// The sequence number of every entry, which writes continue after.
  static constexpr std::uint64_t sequence = 1;

  leveldb_bulk_loader(std::string directory, const leveldb::Options& options);
  ~leveldb_bulk_loader();

  leveldb_bulk_loader(const leveldb_bulk_loader&) = delete;
  leveldb_bulk_loader& operator=(const leveldb_bulk_loader&) = delete;

  /// Adds one entry. Fails when `key` does not sort after the previous key
  /// (corrupt input: a key given twice) or a table cannot be written.
  result<void> add(std::string_view key, std::string_view value);

  /// Writes the last table and the descriptor. Fails naming the file.
  result<void> finish();

private:
  result<void> open_table();
  result<void> close_table();

  std::string directory_;
  leveldb::Options options_;
  std::unique_ptr<leveldb::WritableFile> file_;
  std::unique_ptr<leveldb::TableBuilder> builder_;
  std::string internal_key_;
  std::string last_key_;
  bool any_ = false;
  std::vector<shared_state_file> tables_;
};

} // namespace flinkcpp

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint/storage/checkpoint_metadata.hpp"

namespace flinkcpp {

/// Makes `directory`, which holds the table files of `tables` under their
/// numbers, a LevelDB database: writes a descriptor (MANIFEST-000001, in
/// LevelDB's log format) placing each table at its level, with
/// `last_sequence` as the sequence number writes continue after, and the
/// CURRENT file naming it. LevelDB opens the result as it opens its own.
/// Blocking. Fails naming the file that could not be written.
result<void> write_leveldb_manifest(const std::string& directory,
                                    const std::vector<shared_state_file>& tables,
                                    std::uint64_t last_sequence);

/// The file name LevelDB gives table `number`.
std::string leveldb_table_file_name(std::uint64_t number);

} // namespace flinkcpp

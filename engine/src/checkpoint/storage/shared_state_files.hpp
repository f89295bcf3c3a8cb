#pragma once

// The shared directory of a job's incremental checkpoints (Flink's shared/,
// where checkpoint_storage puts it):
// LevelDB table files, each uploaded once under a name no other upload
// uses, then referenced by every checkpoint that still holds the table.
// Files are removed once no retained checkpoint refers to them.

#include <set>
#include <string>

#include "flinkcpp/checkpoint_id.hpp"

namespace flinkcpp {

/// A table's file name in the shared directory: the table `number` of store
/// `store` (unique per database) as uploaded by `checkpoint`.
std::string shared_file_name(const std::string& store, std::uint64_t number,
                             checkpoint_id checkpoint);

/// A shared file as a checkpoint's handle names it (relative to the
/// checkpoint's own directory).
std::string shared_file_reference(const std::string& name);

/// Deletes the files in `shared_directory` that checkpoints up to and
/// including `completed` uploaded (also half-written ones) and none of
/// `in_use` (names, as shared_file_name makes them) refers to: the files of
/// subsumed and failed checkpoints. Later checkpoints' files are left alone.
/// Blocking; best effort (a file that cannot go stays until the next sweep).
void sweep_shared_files(const std::string& shared_directory, checkpoint_id completed,
                        const std::set<std::string>& in_use);

} // namespace flinkcpp

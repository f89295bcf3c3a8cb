#pragma once

// What a completed checkpoint or savepoint consists of: per operator (matched
// across runs by its operator id, which follows its uid) and per subtask, the
// operator state lists inline and a handle to the file holding its keyed
// state. The same structures travel in a subtask's acknowledgement and are
// stored, versioned and checksummed, in the checkpoint's `_metadata` file.
// File names are relative to the checkpoint's directory, so a savepoint can
// be moved as a whole.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "util/id.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// A table file of a LevelDB store in the job's shared directory, uploaded
/// by one incremental checkpoint and referenced by each later one that
/// still needs it (Flink's shared state).
struct shared_state_file {
  std::string file;           ///< relative to the checkpoint directory
  std::uint64_t size = 0;     ///< bytes
  std::uint64_t checksum = 0; ///< xxh64 of the whole file
  checkpoint_id uploaded_by;  ///< the checkpoint that wrote it
  std::uint64_t number = 0;   ///< the table's number in its database
  std::int32_t level = 0;     ///< its LevelDB level at this checkpoint
  std::string smallest;       ///< the LevelDB internal keys it spans
  std::string largest;
};

template <class Inspector>
auto inspect(Inspector& f, shared_state_file& x) {
  return f(x.file, x.size, x.checksum, x.uploaded_by, x.number, x.level, x.smallest, x.largest);
}

/// One operator subtask's keyed state over key groups [first_group,
/// end_group). Canonical (portable between backends and parallelisms): one
/// file of the groups' bytes. Native (incremental LevelDB checkpoints): the
/// store's table files and its last sequence number.
struct keyed_state_handle {
  std::string file;           ///< canonical: relative to the checkpoint directory
  std::uint64_t size = 0;     ///< bytes (native: of all its tables)
  std::uint64_t checksum = 0; ///< canonical: xxh64 of the whole file
  std::int32_t first_group = 0;
  std::int32_t end_group = 0;
  bool native = false;
  std::vector<shared_state_file> tables; ///< native
  std::uint64_t sequence = 0;            ///< native
};

template <class Inspector>
auto inspect(Inspector& f, keyed_state_handle& x) {
  return f(x.file, x.size, x.checksum, x.first_group, x.end_group, x.native, x.tables, x.sequence);
}

/// One operator state list of one subtask.
struct operator_list_state {
  std::string name;
  spi::redistribution mode = spi::redistribution::split;
  std::vector<std::string> entries;
};

template <class Inspector>
auto inspect(Inspector& f, operator_list_state& x) {
  return f(x.name, x.mode, x.entries);
}

/// The state of one operator in one subtask at one checkpoint.
struct operator_subtask_state {
  operator_id op;
  std::int32_t subtask = 0;
  std::vector<operator_list_state> lists;
  bool has_keyed = false;
  keyed_state_handle keyed;
  bool finished = false; ///< the subtask had finished: restore it as finished
};

template <class Inspector>
auto inspect(Inspector& f, operator_subtask_state& x) {
  return f(x.op, x.subtask, x.lists, x.has_keyed, x.keyed, x.finished);
}

/// The state of one operator over all its subtasks.
struct operator_state {
  operator_id op;
  std::string name; ///< for messages: the operator's name when it was written
  std::int32_t parallelism = 1;
  std::int32_t max_parallelism = 128;
  std::vector<operator_subtask_state> subtasks;
};

template <class Inspector>
auto inspect(Inspector& f, operator_state& x) {
  return f(x.name, x.op, x.parallelism, x.max_parallelism, x.subtasks);
}

/// The size of the state files of `s`, in bytes.
std::uint64_t state_size_of(const operator_subtask_state& s);

/// The bytes of `s` that checkpoint `id` wrote itself: its state size less the
/// shared files earlier checkpoints uploaded (Flink's checkpointed size).
std::uint64_t checkpointed_size_of(const operator_subtask_state& s, checkpoint_id id);

/// The state of an operator's coordinator in the job master (a source's
/// split enumerator: Flink's coordinator state of an OperatorState).
struct coordinator_state {
  operator_id op;
  std::string name; ///< for messages: the operator's name when it was written
  std::string state;
};

template <class Inspector>
auto inspect(Inspector& f, coordinator_state& x) {
  return f(x.op, x.name, x.state);
}

/// A completed checkpoint or savepoint.
struct checkpoint_metadata {
  job_id job;
  checkpoint_id id;
  std::int64_t timestamp = 0; ///< epoch milliseconds when it was triggered
  bool savepoint = false;
  std::vector<operator_state> operators;
  std::vector<coordinator_state> coordinators; ///< none in format version 2

  /// The state of operator `op`'s coordinator, if it has one here.
  const std::string* coordinator_of(const operator_id& op) const;

  /// The total size of its state files, in bytes.
  std::uint64_t state_size() const;
  /// The bytes this checkpoint wrote itself: its state size less the shared
  /// files earlier checkpoints uploaded (Flink's checkpointed size).
  std::uint64_t checkpointed_size() const;
};

template <class Inspector>
auto inspect(Inspector& f, checkpoint_metadata& x) {
  return f(x.job, x.id, x.timestamp, x.savepoint, x.operators, x.coordinators);
}

/// The name of the metadata file inside a checkpoint or savepoint directory.
inline constexpr const char* metadata_file_name = "_metadata";
/// The envelope of a metadata file (sealed_file.hpp): its magic and the
/// format version this build writes; it reads this one and version 2
/// (without coordinator states).
inline constexpr std::string_view metadata_magic = "FCPMETA1";
inline constexpr std::uint32_t metadata_version = 3;

/// Writes `metadata` to `directory`/_metadata atomically (a temporary file,
/// flushed to disk, then renamed) with a format version and a checksum.
/// Blocking. Fails with a message naming the file.
result<void> write_checkpoint_metadata(const std::string& directory,
                                       const checkpoint_metadata& metadata);

/// Reads and checks a `_metadata` file: given a checkpoint directory or the
/// file itself. Missing, empty, truncated, corrupt (checksum) or unknown-version
/// files fail with a message naming the file and what is wrong. Blocking.
result<checkpoint_metadata> read_checkpoint_metadata(const std::string& path);

/// The directory of a checkpoint given its directory or its `_metadata` file.
std::string checkpoint_directory_of(const std::string& path);

} // namespace flinkcpp

#pragma once

// Where a job's snapshots go (Flink's CheckpointStorage), chosen by
// execution.checkpointing.storage. flink-cpp has one kind, Flink's
// FileSystemCheckpointStorage: `jobmanager` is read as `filesystem`, never
// less durable than asked. The layout, built nowhere else:
//
//   <execution.checkpointing.dir>/<job>/chk-<n>/   checkpoint n: _metadata and
//                                                  the subtasks' state files
//   <execution.checkpointing.dir>/<job>/shared/    files incremental
//                                                  checkpoints share
//   <target>/savepoint-<job 6>-<random 12>/        a savepoint, self-contained;
//                                                  target: the one given, else
//                                                  execution.checkpointing.savepoint-dir

#include <string>
#include <vector>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/configuration.hpp"
#include "util/id.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// The snapshot directories of one job: a plain value that travels with
/// every task deployment.
struct job_checkpoint_directories {
  std::string job; ///< <checkpoints dir>/<job>; empty: the job takes no checkpoints

  /// Checkpoint `id`'s own directory (chk-<id>).
  std::string checkpoint(checkpoint_id id) const;
  /// The files its incremental checkpoints share (shared/).
  std::string shared() const;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, job_checkpoint_directories& x) {
    return f(x.job);
  }
};

/// The checkpoint storage of a configuration. A plain value; its functions
/// only build paths, except where they say they read the disk.
class checkpoint_storage {
public:
  /// The storage of an empty configuration.
  checkpoint_storage();

  /// `checkpoints_dir` must not be empty; `savepoints_dir` may be (then a
  /// savepoint needs a target).
  checkpoint_storage(std::string checkpoints_dir, std::string savepoints_dir);

  /// From a validated configuration: execution.checkpointing.dir (unset: one
  /// below the temp directory) and execution.checkpointing.savepoint-dir.
  static checkpoint_storage from(const configuration& config);

  /// Flink's name of the storage, as REST reports it.
  static const char* name() { return "FileSystemCheckpointStorage"; }

  const std::string& checkpoints_dir() const { return checkpoints_dir_; }
  const std::string& savepoints_dir() const { return savepoints_dir_; }

  job_checkpoint_directories for_job(job_id job) const;

  /// A new savepoint directory of `job` below `target` (empty: the default
  /// savepoint directory). Fails when there is neither, saying what to set.
  result<std::string> new_savepoint_directory(const std::string& target, job_id job) const;

  /// The snapshot directories a jobmanager started again may resume `job`
  /// from: its checkpoints (chk-*) and the savepoints (savepoint-*) directly
  /// below the default savepoint directory, complete or not, in no order.
  /// Reads the directories; missing ones hold nothing.
  std::vector<std::string> snapshot_candidates(job_id job) const;

  /// Completes a snapshot whose subtasks all wrote their files into
  /// `written_to`: a savepoint's files move into its own `final_directory`
  /// (self-contained; copied when on another file system), then `metadata`
  /// is written there durably, last, so that a snapshot with metadata is
  /// whole. Through file_system::current(). Blocking. Fails naming the file;
  /// a snapshot that failed or was cut short by a crash has no metadata and
  /// is never restored from.
  static result<void> complete(const std::string& written_to, const std::string& final_directory,
                               const checkpoint_metadata& metadata);

private:
  std::string checkpoints_dir_;
  std::string savepoints_dir_;
};

} // namespace flinkcpp

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/io_executor.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// One committable handed to a commit, as bytes, and what became of it (the
/// untyped side of commit_request).
struct commit_attempt {
  enum class outcome : std::uint8_t { committed, retry_later, failed };

  std::string bytes;
  int retries = 0;
  outcome result = outcome::committed;
  std::string failure;
};

/// Commits a batch of committables (the sink's typed committer behind
/// it); runs on an I/O thread.
using commit_function = std::function<void(std::vector<commit_attempt>&)>;

/// The committables of one sink subtask that are not committed yet (the
/// state of Flink's CommitterOperator): those each checkpoint barrier
/// prepared, kept in every snapshot until committed (operator state list
/// "committables", dealt out on restore), committed in checkpoint order when
/// their checkpoint completes, all those restored at open, and those of the
/// end of the input when the job finished.
///
/// Commits run one at a time on the io executor; the subtask is woken after
/// each. A committable that asks to retry later is tried again at the next
/// completed checkpoint, or at the job's end at once, up to
/// retries_at_job_end times. A failed commit (signal_failed, an exception,
/// retries exhausted) is reported by check().
///
/// Subtask thread only (the commits keep what they touch alive).
class committable_store {
public:
  static constexpr int retries_at_job_end = 10;

  committable_store(spi::io_executor& io, std::function<void()> wake, commit_function commit);
  ~committable_store();
  committable_store(const committable_store&) = delete;
  committable_store& operator=(const committable_store&) = delete;

  /// Committables prepared on the barrier of `checkpoint`.
  void add(checkpoint_id checkpoint, std::vector<std::string> committables);
  /// Committables prepared at the end of the input (committed by
  /// commit_all, or by a restore from a checkpoint taken after them).
  void add_final(std::vector<std::string> committables);

  /// Lists every committable not known to be committed (also those a commit
  /// is working on: committing twice is harmless, losing one is not).
  void snapshot(spi::operator_snapshot& snapshot);
  /// Takes the committables this subtask gets; call before commit_restored.
  void restore(const spi::operator_restore& state);

  /// Commits the restored committables: their checkpoint completed.
  void commit_restored();
  /// Commits those of `checkpoint` and earlier ones.
  void checkpoint_complete(checkpoint_id checkpoint);
  /// The job finished: commits every committable held.
  void commit_all();

  /// Whether it holds committables not yet committed.
  bool holds_any() const;
  /// Whether no commit is in flight.
  bool quiescent() const;
  /// Throws std::runtime_error if a commit failed.
  void check() const;

private:
  struct entry;
  struct commits;

  /// Drops committed entries; those to retry wait again.
  void sweep();
  /// Commits the waiting entries of checkpoints up to `last`.
  void submit(std::int64_t last, int attempts);
  /// Commits `batch` (on an I/O thread): up to `attempts` rounds, each
  /// retrying what the last asked to retry; throws with the first failure.
  static void commit_batch(const commit_function& commit,
                           const std::vector<std::shared_ptr<entry>>& batch, int attempts);

  std::vector<std::shared_ptr<entry>> entries_;
  std::unique_ptr<commits> commits_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// Flink's sink model (Sink V2). A sink makes one writer per parallel
// subtask. The writer takes the records; on every checkpoint barrier it
// flushes what it buffered and, in a two-phase sink, hands out committables
// (prepare_commit): descriptions of output written but not yet visible (a
// part file under its in-progress name, an open Kafka transaction). The
// runtime keeps the committables in the checkpoint and gives them to the
// sink's committer once the checkpoint completes, and again after a
// restore from that checkpoint, so a committer must be idempotent.
//
// - at least once: a writer without committables whose flush makes
//   everything written so far durable (records since the last completed
//   checkpoint are written again after a failure);
// - exactly once: a writer whose output becomes visible only through its
//   committables.
//
// Committables and writer states sit in checkpoints: value types with an
// inspect() overload, as records have.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/spi/io_executor.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "flinkcpp/spi/processing_clock.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// The committable type of a sink without a commit phase.
struct no_committable {};

/// The writer state type of a sink whose writers keep no state.
struct no_writer_state {};

/// What comes with each record a writer takes (Flink's SinkWriter.Context).
struct sink_write_context {
  /// The record's event time; min_watermark when it has none.
  std::int64_t timestamp = min_watermark;
  /// The sink's input watermark.
  std::int64_t current_watermark = min_watermark;
};

/// What a writer may ask of its subtask (Flink's WriterInitContext).
/// Implemented by the runtime; valid while the writer lives.
class sink_writer_context {
public:
  virtual ~sink_writer_context() = default;

  virtual int subtask_index() const = 0;
  virtual int parallelism() const = 0;
  /// 0 for the subtask's first run, one more after each restart.
  virtual int attempt_number() const = 0;
  /// Whether the job takes checkpoints.
  virtual bool checkpointing() const = 0;

  /// What to call when asynchronous work of the writer finished (a write
  /// or flush done): the subtask looks at the writer again (ready(),
  /// the durability of a flush). Thread-safe, and harmless after the writer
  /// is gone: work off the subtask's thread keeps a copy.
  virtual std::function<void()> waker() const = 0;

  /// Runs blocking writes off the scheduler threads (they then call the
  /// waker).
  virtual spi::io_executor& io() = 0;

  /// The subtask's processing time.
  virtual const spi::processing_clock& clock() const = 0;

  /// The writer's metrics (the sink operator's group).
  virtual metric_group& metrics() = 0;
};

/// Takes a sink's records in one parallel subtask (Flink's SinkWriter, with
/// the commit phase of a two-phase sink and the state of a stateful one).
/// Called from the subtask's thread only; never blocks: blocking writes go
/// through sink_writer_context::io. Exceptions fail the subtask.
template <class T, class Committable = no_committable, class State = no_writer_state>
class sink_writer {
public:
  virtual ~sink_writer() = default;

  /// Takes one record (writes it, or buffers it until flush).
  virtual void write(T&& record, const sink_write_context& context) = 0;

  /// The sink's input watermark rose to `watermark`.
  virtual void write_watermark(std::int64_t /*watermark*/) {}

  /// Whether it takes more records now; false (writes in flight, a full
  /// buffer) stops the subtask and backpressures its inputs until the
  /// writer calls the waker.
  virtual bool ready() { return true; }

  /// Whether it holds written records in memory that it could hand on now
  /// (print's lines, kept to write many at once): the runtime then calls
  /// flush_held_output() within execution.buffer-timeout, so that output
  /// does not wait for a full buffer or a checkpoint.
  virtual bool holds_output() const { return false; }
  virtual void flush_held_output() {}

  /// On every checkpoint barrier (end_of_input false) and at the end of the
  /// input (true, once the writer is ready()): begins making everything
  /// written so far durable, and
  /// returns a predicate that holds once it is (called on the subtask's
  /// thread whenever the writer woke it). Empty: durable already. The
  /// checkpoint is acknowledged only once it holds. May throw
  /// spi::snapshot_declined when the writer cannot take part in snapshots;
  /// it must then have changed nothing.
  virtual std::function<bool()> flush(bool end_of_input) = 0;

  /// After flush: the committables of what was written since the last
  /// prepare_commit (a two-phase sink).
  virtual std::vector<Committable> prepare_commit() { return {}; }

  /// After prepare_commit, on a checkpoint barrier: the writer's state
  /// (what create_writer gets back on restore).
  virtual std::vector<State> snapshot_state(checkpoint_id /*checkpoint*/) { return {}; }

  /// Throws if asynchronous work failed.
  virtual void check() {}

  /// Whether no asynchronous work is in flight.
  virtual bool quiescent() const { return true; }

  /// The job failed or was cancelled: drop output no committable describes
  /// (those the runtime still holds are committed or dropped by the restore).
  /// Asynchronous like writes; must not throw.
  virtual void abort() noexcept {}

  /// Called once, last (also when the subtask fails or is cancelled).
  virtual void close() {}
};

/// One committable to commit, and what became of it (Flink's
/// CommitRequest). Unless told otherwise, it counts as committed.
template <class Committable>
class commit_request {
public:
  enum class outcome { committed, retry_later, failed };

  commit_request(Committable committable, int retries)
    : committable_(std::move(committable)),
      retries_(retries) {}

  const Committable& committable() const noexcept { return committable_; }
  /// How many commits of it asked to retry later before this one.
  int retries() const noexcept { return retries_; }

  /// Not committed now, for a reason that may pass (a broker down): the
  /// runtime tries again when the next checkpoint completes, and at the end
  /// of the job at once, a few times.
  void retry_later() { outcome_ = outcome::retry_later; }
  /// Cannot be committed (the output is lost): the job fails with `reason`.
  void signal_failed(std::string reason) {
    outcome_ = outcome::failed;
    failure_ = std::move(reason);
  }
  /// An earlier attempt committed it already (counts as committed).
  void signal_already_committed() { outcome_ = outcome::committed; }

  outcome result() const noexcept { return outcome_; }
  const std::string& failure() const noexcept { return failure_; }

private:
  Committable committable_;
  int retries_ = 0;
  outcome outcome_ = outcome::committed;
  std::string failure_;
};

/// Makes the output that committables describe visible (Flink's
/// Committer). Runs on an I/O thread, so it may block; one commit at a time
/// per subtask, committables in checkpoint order. Must be idempotent: after
/// a restore it gets again the committables of the restored checkpoint,
/// which an earlier attempt may have committed. An exception fails the job
/// as signal_failed does.
template <class Committable>
class committer {
public:
  virtual ~committer() = default;
  virtual void commit(std::vector<commit_request<Committable>>& requests) = 0;
};

/// A sink (Flink's Sink, with SupportsCommitter and SupportsWriterState
/// when Committable and State are not the no_ types). Shared and immutable,
/// as a source: every process building the job makes the same one; only
/// committables and writer states cross the wire, in checkpoints.
template <class T, class Committable = no_committable, class State = no_writer_state>
class sink {
public:
  using record_type = T;
  using committable_type = Committable;
  using state_type = State;
  using writer_type = sink_writer<T, Committable, State>;

  virtual ~sink() = default;

  /// The writer of one subtask; `restored` holds the writer states this
  /// subtask gets when the job restored (empty otherwise).
  virtual std::unique_ptr<writer_type> create_writer(sink_writer_context& context,
                                                     std::vector<State> restored) const = 0;

  /// The committer of one subtask; a sink with committables must give one.
  virtual std::unique_ptr<committer<Committable>> create_committer() const { return nullptr; }

  /// How writer states are dealt out on restore: split (Flink's default)
  /// or union_all (every writer gets every state).
  virtual spi::redistribution writer_state_redistribution() const {
    return spi::redistribution::split;
  }

  /// Checked before the job starts (`restoring`: from a checkpoint or
  /// savepoint): the problem with the sink's settings, or nullopt.
  virtual std::optional<std::string> validate(bool /*restoring*/) const { return std::nullopt; }
};

} // namespace flinkcpp

FLINKCPP_API_END

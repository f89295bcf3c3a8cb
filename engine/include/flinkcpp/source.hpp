#pragma once

// Flink's source model (FLIP-27). A source is cut into splits (files or
// ranges of them, Kafka partitions, ranges of numbers). Its split enumerator
// runs once per job, in the job master: it finds the splits and hands them
// to readers as they register and ask. Its source readers run in the
// parallel subtasks: each reads the splits it was given, without blocking,
// and snapshots each split's position into every checkpoint. The enumerator
// checkpoints the splits it has not handed out; a reader's splits come back
// to the enumerator when the reader fails before a checkpoint took them.
//
// Splits cross processes and sit in checkpoints: a split type is a value
// type with an inspect() overload (as records have) and a split_id()
// naming it among the source's splits. So is the enumerator's checkpoint.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/detail/cache_line.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/spi/stream_operator.hpp"
#include "flinkcpp/watermark_generator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Whether a source ends (Flink's Boundedness). Only a job whose sources
/// are all bounded runs in BATCH mode.
enum class boundedness {
  bounded,              ///< its readers reach end_of_input
  continuous_unbounded, ///< it reads until the job is cancelled
};

/// What a reader's poll found (Flink's InputStatus).
using input_status = spi::input_status;

/// A registered reader, as its enumerator sees it (Flink's ReaderInfo).
struct reader_info {
  int subtask = 0;
  /// The host of the taskmanager running it, for assignments that prefer
  /// splits stored there.
  std::string host;
};

/// What a split enumerator may ask of the job (Flink's
/// SplitEnumeratorContext). Implemented by the runtime. Every call is made
/// from the enumerator's own thread (the one calling the enumerator), as
/// are the continuations of call_async.
template <class Split>
class split_enumerator_context {
public:
  virtual ~split_enumerator_context() = default;

  /// How many readers the source has (its parallelism).
  virtual int current_parallelism() const = 0;

  /// The readers registered now, by subtask index.
  virtual std::map<int, reader_info> registered_readers() const = 0;

  /// Gives `split` to the reader of `subtask`, which must be registered
  /// (else std::invalid_argument). From here on the split is the reader's:
  /// in its checkpoints, or back with add_splits_back if it fails first.
  virtual void assign_split(Split split, int subtask) = 0;

  /// Tells the reader of `subtask` that no more splits will come to it; a
  /// reader of a bounded source ends once it has read all it was given.
  virtual void signal_no_more_splits(int subtask) = 0;

  /// Runs `work` on a thread for blocking work (listing files, asking
  /// brokers); it returns what to run on the enumerator's thread with its
  /// result. With a positive `period`, again every `period` (discovering
  /// new splits) until the enumerator closes. `work` must not touch the
  /// enumerator (it may run after the enumerator closed); what it returns
  /// may, and does not run once the enumerator closed. An exception from
  /// either fails the job.
  virtual void call_async(std::function<std::function<void()>()> work,
                          std::chrono::milliseconds period = std::chrono::milliseconds{0}) = 0;

  /// The enumerator's metrics (Flink's coordinator metric group).
  virtual metric_group& metrics() = 0;
};

/// Finds a source's splits and hands them to readers (Flink's
/// SplitEnumerator). One per source and job, called from one thread (never
/// concurrently); it must not block: blocking work goes through
/// split_enumerator_context::call_async.
template <class Split, class Checkpoint>
class split_enumerator {
public:
  virtual ~split_enumerator() = default;

  /// Called once before anything else (begins discovering splits).
  virtual void start() = 0;

  /// The reader of `subtask`, running on `host`, asks for a split (a
  /// reader that pulls splits one at a time).
  virtual void handle_split_request(int subtask, const std::string& host) = 0;

  /// Splits given to the reader of `subtask` since the last checkpoint that
  /// reader failed before taking into one: they are the enumerator's again.
  virtual void add_splits_back(std::vector<Split> splits, int subtask) = 0;

  /// The reader of `subtask` registered (first start, restart, rescale).
  virtual void add_reader(int subtask) = 0;

  /// Its state for checkpoint `checkpoint`: the splits it has not handed out
  /// and whatever it needs to go on discovering.
  virtual Checkpoint snapshot_state(checkpoint_id checkpoint) = 0;

  /// Checkpoint `checkpoint` completed.
  virtual void notify_checkpoint_complete(checkpoint_id /*checkpoint*/) {}

  /// Called once, last.
  virtual void close() {}
};

/// Where a reader's records go, with the timestamps and watermarks of one
/// split (Flink's SourceOutput): a reader of several splits that emits
/// watermarks per split gets one from reader_output::output_for_split, so
/// that the subtask's watermark is the least of its splits'.
template <class T>
class source_output : public watermark_output {
public:
  /// Emits `record`; its timestamp comes from the watermark strategy's
  /// assigner (none without one).
  virtual void collect(T record) = 0;
  /// Emits `record` with the event time `timestamp` (a Kafka record's), which
  /// the strategy's assigner may still replace.
  virtual void collect(T record, std::int64_t timestamp) = 0;
};

/// Where a reader's records go (Flink's ReaderOutput): the subtask's own
/// output, and one for each split that keeps its own watermarks.
template <class T>
class reader_output : public source_output<T> {
public:
  /// The output of split `split_id`, created on first use, whose watermark
  /// generator (the strategy's, one per split) and idleness are its own.
  virtual source_output<T>& output_for_split(const std::string& split_id) = 0;
  /// Split `split_id` is done: its watermark no longer holds the subtask's.
  virtual void release_output_for_split(const std::string& split_id) = 0;
};

/// What a reader may ask of its subtask (Flink's SourceReaderContext).
/// Implemented by the runtime; valid while the reader lives.
class source_reader_context {
public:
  virtual ~source_reader_context() = default;

  virtual int subtask_index() const = 0;
  virtual int parallelism() const = 0;

  /// Asks the enumerator for a split (answered by an add_splits, or a
  /// notify_no_more_splits, later). Subtask thread only.
  virtual void send_split_request() = 0;

  /// What to call when the reader has records again after a poll that
  /// returned nothing_available (Flink's isAvailable future completing):
  /// the subtask polls it once more. Thread-safe, and harmless after the
  /// reader is gone: work off the subtask's thread keeps a copy.
  virtual std::function<void()> waker() const = 0;

  /// Runs blocking reads off the scheduler threads (they then call the
  /// waker).
  virtual spi::io_executor& io() = 0;

  /// The subtask's processing time.
  virtual const spi::processing_clock& clock() const = 0;

  /// The reader's metrics (the source operator's group).
  virtual metric_group& metrics() = 0;
};

/// The split requests of a reader that pulls its splits one at a time (as
/// Flink's file and iterator source readers do): it asks when it has none
/// left, once until splits come, and ends once told no more will. A plain
/// value the reader keeps; subtask thread only.
class split_requests {
public:
  /// What a reader without a split to read returns from poll_next:
  /// end_of_input once told no more come, else nothing_available, having
  /// asked the enumerator for a split (once until splits came).
  input_status none_left(source_reader_context& context) {
    if (no_more_)
      return input_status::end_of_input;
    if (!asked_) {
      asked_ = true;
      context.send_split_request();
    }
    return input_status::nothing_available;
  }
  /// Splits came (add_splits): the next time it has none, it asks again.
  void splits_came() noexcept { asked_ = false; }
  /// notify_no_more_splits.
  void no_more() noexcept { no_more_ = true; }

private:
  bool asked_ = false;
  bool no_more_ = false;
};

/// Reads the splits given to one parallel subtask (Flink's SourceReader).
/// Called from the subtask's thread only; never blocks (reads that block go
/// through source_reader_context::io, then call its waker).
template <class T, class Split>
class alignas(detail::cache_line_size) source_reader {
public:
  virtual ~source_reader() = default;

  /// Called once, before the first poll, after restored splits were added.
  virtual void start() {}

  /// Emits what it has ready, at most about `max_records` records, and says
  /// whether more is there at once, nothing for now (poll again after a
  /// wake-up), or never again (a bounded source read every split it was
  /// given and was told no more come).
  virtual input_status poll_next(reader_output<T>& output, std::size_t max_records) = 0;

  /// After poll_next said nothing is available: poll again after this long
  /// even without a wake-up (a rate limit: Flink's RateLimitedSourceReader);
  /// zero, the default: only once woken.
  virtual std::chrono::nanoseconds retry_after() const { return std::chrono::nanoseconds{0}; }

  /// The splits it holds for checkpoint `checkpoint`, each with its current
  /// position (what a reader restores with add_splits).
  virtual std::vector<Split> snapshot_state(checkpoint_id checkpoint) = 0;

  /// Splits to read: assigned by the enumerator, or restored.
  virtual void add_splits(std::vector<Split> splits) = 0;

  /// No more splits will come.
  virtual void notify_no_more_splits() = 0;

  /// Checkpoint `checkpoint` completed (a Kafka reader commits its offsets).
  virtual void notify_checkpoint_complete(checkpoint_id /*checkpoint*/) {}

  /// Called once, last (also when the subtask fails or is cancelled).
  virtual void close() {}
};

/// A source (Flink's Source): makes the enumerator and the readers. Shared
/// and immutable, as operator factories are: every process building the job
/// makes the same one, so a source never crosses the wire; its enumerator
/// and readers do not either, only splits and checkpoints do.
template <class T, class Split, class Checkpoint>
class source {
public:
  using record_type = T;
  using split_type = Split;
  using checkpoint_type = Checkpoint;

  virtual ~source() = default;

  virtual boundedness get_boundedness() const = 0;

  /// What is wrong with its settings where the job is submitted, before it
  /// starts (a missing input path), or nullopt; the job then fails saying so.
  virtual std::optional<std::string> validate() const { return std::nullopt; }

  virtual std::unique_ptr<source_reader<T, Split>>
  create_reader(source_reader_context& context) const = 0;

  virtual std::unique_ptr<split_enumerator<Split, Checkpoint>>
  create_enumerator(split_enumerator_context<Split>& context) const = 0;

  /// The enumerator of a job restored from a checkpoint holding `checkpoint`.
  virtual std::unique_ptr<split_enumerator<Split, Checkpoint>>
  restore_enumerator(split_enumerator_context<Split>& context, Checkpoint checkpoint) const = 0;
};

} // namespace flinkcpp

FLINKCPP_API_END

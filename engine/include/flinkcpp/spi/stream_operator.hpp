#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/cache_line.hpp"
#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/runtime_mode.hpp"
#include "flinkcpp/spi/io_executor.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/kv_store.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/spi/record_batch.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// A type-erased pointer to a collector<T> that remembers T, so that the
/// runtime can wire operators of a chain together and still check types.
struct collector_ref {
  void* target = nullptr;
  const std::type_info* type = nullptr;

  template <class T>
  static collector_ref of(collector<T>* c) {
    return {c, &typeid(T)};
  }

  /// The collector, if it takes T; throws std::logic_error otherwise (a bug in
  /// graph construction, never a user error).
  template <class T>
  collector<T>* as() const {
    if (type == nullptr || *type != typeid(T))
      throw std::logic_error("flink-cpp: operator wired to an output of another record type");
    return static_cast<collector<T>*>(target);
  }
};

/// The event time of the record being handed on (Flink's StreamRecord
/// timestamp), one per chain: whoever hands a record on sets it (the reader of
/// a batch, a timestamp assigner, a timer firing), the operators after it in
/// the chain read it, and record writers put it into the batch with the
/// record. min_watermark: the record has none.
struct record_timestamp {
  std::int64_t value = min_watermark;
};

/// How far an operator making watermarks has brought its output: its
/// watermark, and whether it is idle (Flink's WatermarkStatus): an idle
/// output holds no subtask downstream back.
struct generated_watermark {
  std::int64_t watermark = min_watermark;
  bool idle = false;
};

/// What the runtime tells an operator about the subtask it runs in.
struct operator_context {
  int subtask_index = 0;
  int parallelism = 1;
  int max_parallelism = 128;
  runtime_mode mode = runtime_mode::streaming;
  /// Whether the job takes checkpoints (sinks then commit per checkpoint).
  bool checkpointing = false;
  std::string operator_name;
  /// The operator's id (32 hex digits), unique within the job.
  std::string operator_id;
  /// Where keyed operators keep their state: null for the hashmap backend,
  /// else opens a kv store per operator (the LevelDB backend).
  keyed_backend* state_backend = nullptr;
  /// Runs blocking I/O off the scheduler threads; lives as long as the subtask.
  io_executor* io = nullptr;
  /// Thread-safe: asks the runtime to look at the subtask again because
  /// asynchronous work of an operator finished (data read, write done).
  std::function<void()> wake;
  /// The subtask's processing time (never null; outlives the operator).
  const processing_clock* clock = &processing_clock::system();
  /// Subtask thread only: an operator making watermarks calls it when its
  /// generator emitted one while processing a record, and the runtime sends
  /// it on at once, after that record (Flink's punctuated watermarks);
  /// empty: the runtime reads generated() after the step.
  std::function<void()> emit_generated;
  /// The operator's metrics (built-in ones such as numLateRecordsDropped,
  /// and its functions'); reported with the operator's scope.
  metric_group metrics;
  /// The name of the task running the operator (its vertex: the chained
  /// operators' names, "Source: words -> Map").
  std::string task_name;
  /// 0 for the subtask's first run, one more after each restart.
  int attempt_number = 0;
  /// The host of the taskmanager running the subtask (where a source
  /// reader tells its split enumerator it reads).
  std::string location;
  /// Subtask thread only: sends `event` to the operator's coordinator in
  /// the job master (Flink's OperatorEventGateway), in order with the
  /// subtask's other messages to it; empty when the operator has none.
  std::function<void(std::string event)> send_to_coordinator;

  key_group_range key_groups() const {
    return key_groups_of_subtask(max_parallelism, parallelism, subtask_index);
  }
};

/// One operator instance of one parallel subtask: a source, a transformation or
/// a sink. Operators of a chain call each other directly through collectors;
/// the runtime calls the methods below, always from the subtask's own thread.
///
/// Exceptions thrown from any method (user code, I/O failures reported by
/// check()) fail the subtask; the runtime then calls abort().
class alignas(detail::cache_line_size) stream_operator {
public:
  virtual ~stream_operator() = default;

  /// Shares the chain's record timestamp; called once, before open().
  /// Until then (and in tests) the operator has one of its own.
  void bind_timestamp(record_timestamp& shared) noexcept { timestamp_ = &shared; }

  /// The collector taking this operator's input (none for sources).
  virtual collector_ref input() { return {}; }

  /// Connects the operator's output (sinks have none). Called once, before open().
  virtual void set_output(collector_ref) {
    throw std::logic_error("flink-cpp: operator has no output");
  }

  /// Connects the side output `tag` (an output_tag's id) to its
  /// consumers; side outputs nothing consumes stay unconnected, and what is
  /// emitted to them is dropped. Called before open(). Throws
  /// std::logic_error for an operator without side outputs.
  virtual void set_side_output(const std::string& tag, collector_ref) {
    throw std::logic_error("flink-cpp: operator has no side output '" + tag + "'");
  }

  /// Called once before the first record.
  virtual void open() {}

  /// Called once after open() when the subtask stops (Flink's close): when
  /// the job finished and the operator's output is committed, or when the
  /// subtask is cancelled or fails (after abort()). Not called if open()
  /// was not. An exception fails a finishing subtask; after a cancel or a
  /// failure it is logged.
  virtual void close() {}

  /// Records emitted so far (Flink's operator numRecordsOut); 0 for sinks.
  virtual std::int64_t records_emitted() const noexcept { return 0; }

  /// Processes a batch arriving over the network; only called on chain heads.
  virtual void process_batch(record_batch&) {
    throw std::logic_error("flink-cpp: operator cannot head a chain");
  }

  /// Processes a batch of a two-input operator's second input (Flink's
  /// processElement2; process_batch takes the first). Two-input operators
  /// always head their chain.
  virtual void process_batch2(record_batch&) {
    throw std::logic_error("flink-cpp: operator has no second input");
  }

  /// Input `input` (0: the first, 1: the second) of a two-input operator
  /// ended: every channel feeding it delivered its end (Flink's
  /// BoundedMultiInput#endInput). Called once per input, the last one
  /// included, before end_input(); never for one-input operators.
  virtual void end_of_input(int /*input*/) {}

  /// All input has ended: emit what is left (batch-mode aggregates emit their
  /// results here). May emit in steps: returns false while more remains, and
  /// the runtime calls it again once the outputs have room.
  virtual bool end_input() { return true; }

  /// Whether the operator can take more input now; a sink whose writes are
  /// still in flight says no, which stops the subtask and backpressures its
  /// inputs. May start pending asynchronous work.
  virtual bool ready() { return true; }

  /// Whether no asynchronous work (I/O) is in flight.
  virtual bool quiescent() const { return true; }

  /// Whether it holds output in memory (a print sink's lines) that
  /// flush_held_output() hands on: the runtime calls that within
  /// execution.buffer-timeout of a processing step, as it sends partial
  /// batches, and before every checkpoint barrier.
  virtual bool holds_output() const { return false; }
  virtual void flush_held_output() {}

  /// Throws if asynchronous work failed.
  virtual void check() {}

  /// Whether the operator holds output to commit when the whole job finished
  /// (part files written in progress).
  virtual bool needs_commit() const { return false; }

  /// Makes the output final (renames in-progress part files). Asynchronous:
  /// done when quiescent(); failures through check().
  virtual void commit() {}

  /// The job failed or was cancelled: discard output that is not final.
  /// Asynchronous like commit(); must not throw.
  virtual void abort() noexcept {}

  /// An event from the operator's coordinator in the job master (bytes
  /// only the two understand), in the order it sent them and in order with
  /// the checkpoint barriers it triggered. Throws std::logic_error for an
  /// operator without a coordinator.
  virtual void handle_coordinator_event(std::string_view /*event*/) {
    throw std::logic_error("flink-cpp: operator has no coordinator to hear from");
  }

  // -- event time ------------------------------------------------------------

  /// The operator's input watermark rose to `watermark`. Returns the
  /// watermark it sends on (the runtime sends it only if it rises): by
  /// default the same; an operator making watermarks of its own returns
  /// min_watermark for those it ignores.
  virtual std::int64_t process_watermark(std::int64_t watermark) { return watermark; }

  /// Whether the last process_watermark did only part of its work (fired
  /// some of the timers due, so that its output stays within the credit
  /// downstream gives): it then returned no watermark to send on, and the
  /// runtime calls it again with the same watermark once the outputs have
  /// room, before the operator gets any other input.
  virtual bool watermark_pending() const { return false; }

  /// Whether the operator makes watermarks of its own: the runtime then
  /// calls emit_periodic_watermark() every `pipeline.auto-watermark-interval`
  /// and reads generated() after that and after every step. The idleness of
  /// its input stops at such an operator.
  virtual bool generates_watermarks() const { return false; }

  /// Periodic emission (Flink's onPeriodicEmit): may raise generated().
  virtual void emit_periodic_watermark() {}

  /// The watermark the operator's output has reached and whether it is
  /// idle (min_watermark and active: nothing yet).
  virtual generated_watermark generated() const { return {}; }

  // -- processing time -------------------------------------------------------

  /// The earliest processing time at which the operator has a timer, if it
  /// has one: the runtime calls on_processing_time once its clock reached
  /// that time. Asked after every step (keep it cheap).
  virtual std::optional<std::int64_t> next_processing_timer() const { return std::nullopt; }

  /// The processing time is `now`: fire the timers due (time <= now), in
  /// time order. Called on the subtask's thread while it runs, never after
  /// its input ended (as Flink, pending processing-time timers then lapse).
  virtual void on_processing_time(std::int64_t /*now*/) {}

  // -- checkpoints -----------------------------------------------------------

  /// Records the operator's state for checkpoint `checkpoint`, at a point
  /// where every record before the checkpoint's barrier has been processed
  /// and none after it. Must be quick: slow work goes into snapshot.keyed,
  /// which runs later on an I/O thread.
  virtual void snapshot_state(checkpoint_id /*checkpoint*/, operator_snapshot& /*snapshot*/) {}

  /// Restores the state saved by snapshot_state (possibly by other subtasks,
  /// at another parallelism). Called once, before open().
  virtual void restore_state(const operator_restore& /*state*/) {}

  /// Checkpoint `checkpoint` (and so every earlier one) is complete: output
  /// it covers can be made final. Asynchronous like commit().
  virtual void notify_checkpoint_complete(checkpoint_id /*checkpoint*/) {}

protected:
  /// The event time of the record being handed on (see record_timestamp).
  record_timestamp& timestamp() noexcept { return *timestamp_; }
  /// Where timestamp() points: stable for the operator's life, so that
  /// contexts made before bind_timestamp() can follow it.
  record_timestamp* const& timestamp_slot() const noexcept { return timestamp_; }

private:
  record_timestamp own_timestamp_;
  record_timestamp* timestamp_ = &own_timestamp_;
};

/// The result of one source poll (Flink's InputStatus).
enum class input_status {
  more_available,    ///< call poll again
  nothing_available, ///< wait: for operator_context::wake, or for retry_after
  end_of_input,      ///< the source is exhausted
};

struct poll_result {
  input_status status = input_status::more_available;
  /// With nothing_available: poll again after this long (rate limits); zero
  /// means "wait for wake".
  std::chrono::nanoseconds retry_after{0};
};

/// A source: the head of a chain that produces records when polled.
class source_operator : public stream_operator {
public:
  /// Emits at most about `max_records` records, then returns. Never blocks.
  virtual poll_result poll(std::size_t max_records) = 0;
};

/// Keeps a fanout alive without knowing its type.
using fanout_holder = std::shared_ptr<void>;

/// Creates the operator instances of one stream node, one per subtask. Shared,
/// immutable and thread-safe: every process that runs the job builds the same
/// graph, so factories (and the user functions they hold) never cross the wire.
class operator_factory {
public:
  virtual ~operator_factory() = default;

  virtual std::unique_ptr<stream_operator> create(const operator_context& context) const = 0;

  /// A collector copying to all `targets`, typed by the operator's output,
  /// kept alive by the returned holder.
  virtual collector_ref make_fanout(const std::vector<collector_ref>& targets,
                                    fanout_holder& holder) const = 0;
};

} // namespace flinkcpp::spi
FLINKCPP_API_END

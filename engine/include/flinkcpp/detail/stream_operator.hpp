#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "flinkcpp/checkpoint_id.hpp"
#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/io_executor.hpp"
#include "flinkcpp/detail/key_groups.hpp"
#include "flinkcpp/detail/kv_store.hpp"
#include "flinkcpp/detail/operator_snapshot.hpp"
#include "flinkcpp/detail/record_batch.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/runtime_mode.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

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
class stream_operator {
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

  /// Called once before the first record.
  virtual void open() {}

  /// Records emitted so far (Flink's operator numRecordsOut); 0 for sinks.
  virtual std::int64_t records_emitted() const noexcept { return 0; }

  /// Processes a batch arriving over the network; only called on chain heads.
  virtual void process_batch(record_batch&) {
    throw std::logic_error("flink-cpp: operator cannot head a chain");
  }

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

  // -- event time ------------------------------------------------------------

  /// The operator's input watermark rose to `watermark`. Returns the
  /// watermark it sends on (the runtime sends it only if it rises): by
  /// default the same; an operator making watermarks of its own returns
  /// min_watermark for those it ignores.
  virtual std::int64_t process_watermark(std::int64_t watermark) { return watermark; }

  /// Whether the operator makes watermarks of its own: the runtime then
  /// asks periodic_watermark() every `pipeline.auto-watermark-interval`.
  virtual bool generates_watermarks() const { return false; }

  /// The watermark the operator's output has reached (min_watermark: none yet).
  virtual std::int64_t periodic_watermark() { return min_watermark; }

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

/// Calls fn(record, index) for each record of `batch` (known to hold T),
/// with `now` set to the record's timestamp when the batch carries them.
template <class T, class F>
void for_each_record(record_batch& batch, record_timestamp& now, F&& fn) {
  auto& records = records_of<T>(batch);
  if (batch.timestamps.size() != records.size()) {
    now.value = min_watermark; // a stream without event time
    for (std::size_t i = 0; i < records.size(); ++i)
      fn(records[i], i);
    return;
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    now.value = batch.timestamps[i];
    fn(records[i], i);
  }
}

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

/// Passes records on to another collector, counting them: a plain
/// increment per record, read by the runtime between steps on the same
/// thread.
template <class T>
class counting_collector final : public collector<T> {
public:
  using collector<T>::collect;

  void collect(T&& record) override {
    ++count_;
    target_->collect(std::move(record));
  }

  void set_target(collector<T>* target) noexcept { target_ = target; }
  std::int64_t count() const noexcept { return count_; }

private:
  collector<T>* target_ = nullptr;
  std::int64_t count_ = 0;
};

/// Adds a typed, counted output to an operator base.
template <class Out, class Base = stream_operator>
class output_operator : public Base {
public:
  void set_output(collector_ref out) override { out_.set_target(out.as<Out>()); }
  std::int64_t records_emitted() const noexcept override { return out_.count(); }

protected:
  collector<Out>& output() { return out_; }

private:
  counting_collector<Out> out_;
};

/// Adds a typed input to an operator base: records arrive through collect(),
/// batches through process_batch().
template <class In, class Base>
class input_operator : public Base, public collector<In> {
public:
  using collector<In>::collect;

  collector_ref input() override { return collector_ref::of<In>(this); }

  void process_batch(record_batch& batch) override {
    for_each_record<In>(batch, this->timestamp(),
                        [this](In& record, std::size_t) { this->collect(std::move(record)); });
  }
};

/// A transformation from In to Out.
template <class In, class Out>
class one_input_operator : public input_operator<In, output_operator<Out>> {};

/// A sink consuming In.
template <class In>
class sink_operator : public input_operator<In, stream_operator> {};

/// A source producing Out.
template <class Out>
class source : public output_operator<Out, source_operator> {};

/// Copies each record to several collectors (an operator whose output feeds
/// more than one consumer).
template <class T>
class fanout final : public collector<T> {
public:
  explicit fanout(std::vector<collector<T>*> targets) : targets_(std::move(targets)) {}

  void collect(T&& record) override {
    for (std::size_t i = 0; i + 1 < targets_.size(); ++i)
      targets_[i]->collect(static_cast<const T&>(record));
    targets_.back()->collect(std::move(record));
  }

private:
  std::vector<collector<T>*> targets_;
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

/// The factory of a node whose operators emit Out (void for sinks), built from
/// a callable `Make(const operator_context&) -> std::unique_ptr<stream_operator>`.
template <class Out, class Make>
class callable_operator_factory final : public operator_factory {
public:
  explicit callable_operator_factory(Make make) : make_(std::move(make)) {}

  std::unique_ptr<stream_operator> create(const operator_context& context) const override {
    return make_(context);
  }

  collector_ref make_fanout(const std::vector<collector_ref>& targets,
                            fanout_holder& holder) const override {
    if constexpr (std::is_void_v<Out>) {
      (void)targets;
      (void)holder;
      throw std::logic_error("flink-cpp: a sink has no output to fan out");
    } else {
      std::vector<collector<Out>*> typed;
      typed.reserve(targets.size());
      for (const auto& t : targets)
        typed.push_back(t.as<Out>());
      auto f = std::make_shared<fanout<Out>>(std::move(typed));
      holder = f;
      return collector_ref::of<Out>(f.get());
    }
  }

private:
  Make make_;
};

template <class Out, class Make>
std::shared_ptr<const operator_factory> make_operator_factory(Make make) {
  return std::make_shared<callable_operator_factory<Out, Make>>(std::move(make));
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "metrics/task_metrics.hpp"
#include "runtime/barrier_aligner.hpp"
#include "runtime/barrier_options.hpp"
#include "runtime/credit_gate.hpp"
#include "runtime/execution_state.hpp"
#include "runtime/input_credits.hpp"
#include "runtime/input_gate.hpp"
#include "runtime/input_watermarks.hpp"
#include "runtime/operator_chain.hpp"
#include "runtime/task_settings.hpp"

namespace flinkcpp {

/// What a task needs from whatever runs it (the subtask actor, or a test).
/// Called only from the task's own thread, inside the task's entry points.
class task_host {
public:
  virtual ~task_host() = default;

  /// Sends `event` on channel `channel` of output partition `partition`.
  virtual void send_event(std::uint32_t partition, std::uint32_t channel, channel_event event) = 0;

  /// Grants the sender of input channel (`gate`, `channel`) more credits.
  virtual void send_credit(std::uint32_t gate, std::uint32_t channel, std::uint32_t credits) = 0;

  /// Calls task::resume after `delay` (zero: after the messages already queued).
  virtual void schedule_resume(std::chrono::nanoseconds delay) = 0;

  /// Calls task::flush_timer after `delay`.
  virtual void schedule_flush(std::chrono::milliseconds delay) = 0;

  /// Calls task::watermark_timer after `delay`.
  virtual void schedule_watermark(std::chrono::milliseconds delay) = 0;

  /// Calls task::processing_timer(time) after `delay`: when the task's
  /// processing clock should have reached `time`.
  virtual void schedule_processing_timer(std::int64_t time, std::chrono::milliseconds delay) = 0;

  /// The task reached `state` (RUNNING, FINISHED, CANCELED, FAILED); `failure`
  /// says why it failed.
  virtual void state_changed(execution_state state, const std::string& failure) = 0;

  /// The commit asked for by task::commit finished; `failure` is empty on success.
  virtual void committed(const std::string& failure) = 0;

  /// The task's snapshot of checkpoint `id` is written: its operators' states.
  virtual void acknowledge_checkpoint(checkpoint_id id,
                                      std::vector<operator_subtask_state> states) = 0;

  /// The task cannot take part in checkpoint `id`. `counted`: whether this
  /// says something about the job's health (a write failed) or not (the
  /// checkpoint was overtaken by a newer one).
  virtual void decline_checkpoint(checkpoint_id id, const std::string& reason, bool counted) = 0;
};

/// One parallel subtask of a job vertex, independent of how messages reach
/// it: it runs the operator chain over arriving batches (or polls its source),
/// hands produced batches to credit gates, grants credits back for consumed
/// ones (input_credits: exclusive per channel, floating per gate, one credit
/// message per channel and step), flushes by size and by buffer timeout, and
/// walks through Flink's
/// states: RUNNING -> FINISHED (outputs drained, sinks closed) -> committed on
/// request; any exception fails it, and failing or cancelling aborts the
/// operators' uncommitted output before the state is reported.
///
/// Event time: watermarks arriving on the input channels advance the chain
/// by their minimum over the channels not idle (input_watermarks), and the
/// input's idleness passes through the chain; an operator with many timers
/// due passes a watermark in steps, each taken while the outputs have room
/// and before any further input (operator_chain::watermark_pending); operators making watermarks
/// emit periodically every `auto_watermark_interval`, and what they emitted
/// goes on after every step; a source task whose input ended sends
/// max_watermark; stopped with a savepoint, it sends it before the barrier
/// with barrier_options::drains() and not at all without (Flink's stop --drain).
///
/// Processing time: after every step the task asks its chain for the
/// earliest processing-time timer and, unless a callback at or before it is
/// pending, has the host call processing_timer when the clock
/// (chain_services::clock) should have reached it; the timers then due fire
/// while the task runs and its outputs have room, timers_per_step per
/// operator and callback (once its input ended, they lapse, as in Flink).
///
/// Checkpoints: a source task snapshots its operators when triggered and
/// sends barriers on; other tasks snapshot once their barriers are aligned
/// (barrier_aligner), and tasks past their input snapshot their final state
/// when triggered. Snapshots are taken synchronously, written on the I/O
/// executor, then acknowledged.
///
/// Not thread-safe: every entry point runs on the task's own thread (the
/// subtask actor). Entry points never throw.
class task {
public:
  /// `input_channels[g]`: channels of input gate g; `output_channels[p]`:
  /// channels of output partition p. The chain is built from the job graph.
  /// `metrics` must outlive the task.
  /// `restored`: the operators' state to restore (by operator id), or null
  /// for a fresh start.
  task(task_host& host, const job_graph& graph, int vertex, int subtask,
       const task_settings& settings, const chain_services& services,
       const std::vector<std::uint32_t>& input_channels, std::vector<std::uint32_t> output_channels,
       task_metrics& metrics,
       const std::map<operator_id, spi::operator_restore>* restored = nullptr);

  ~task();

  void start();
  void receive(std::uint32_t gate, std::uint32_t channel, channel_event event);
  void grant(std::uint32_t partition, std::uint32_t channel, std::uint32_t credits);
  void resume();
  void flush_timer();
  void watermark_timer();
  void processing_timer(std::int64_t time);
  void wake();
  void commit();
  void cancel();

  /// The checkpoint coordinator triggered checkpoint `id`.
  void trigger_checkpoint(checkpoint_id id, barrier_options options);

  /// Checkpoint `id` completed: output it covers can be made final.
  void notify_checkpoint_complete(checkpoint_id id);

  /// The coordinator of operator `op` sent `event` (ignored once the task
  /// stops; one the operator cannot take fails the task).
  void coordinator_event(const operator_id& op, std::string_view event);

  /// Fails the task from outside (input that cannot be read): aborts its
  /// output and reports FAILED with `message`.
  void fail(const std::string& message);

  /// Channel `channel` of output `partition` leads to another process: its
  /// batches are cut at task_settings::remote_batch_bytes.
  void mark_remote_output(std::uint32_t partition, std::uint32_t channel);

  execution_state state() const noexcept { return state_; }

private:
  enum class phase {
    created,
    running,  ///< processing input
    ending,   ///< input ended; operators emit what is left
    draining, ///< waiting for queued output and in-flight I/O
    finished, ///< reported FINISHED; waiting for commit or cancel
    committing,
    aborting, ///< discarding output before reporting CANCELED or FAILED
    done,     ///< terminal
  };

  class partition_sink;

  template <class F>
  void guarded(F&& body);

  void pump();
  void run_source();
  void run_inputs();
  bool can_proceed();
  void after_step();
  /// Passes what changed of the input's watermark and idleness to the chain.
  void apply(const input_watermarks::update& u);
  /// One step of the chain's pending watermark; returns whether it is
  /// through, else has the host resume the task for the next step.
  bool continue_watermarks();
  void begin_ending();
  void continue_ending();
  void continue_draining();
  void continue_committing();
  void continue_aborting();
  void request_resume(std::chrono::nanoseconds delay);
  void schedule_processing_timer();
  void announce_credits();
  void take_snapshot(checkpoint_id id, barrier_options options, bool send_barriers);
  void handle_alignment(const barrier_aligner::decision& d);
  void report_written_snapshots();
  bool held_up_by_outputs();
  /// Gate `gate` ended: tells a two-input head that the input it feeds
  /// ended once every gate feeding that input has.
  void end_input_of(std::uint32_t gate);

  /// Publishes back pressure, buffer usage and the operators' record
  /// counts (after each step).
  void publish_step_metrics();

  task_host& host_;
  task_settings settings_;
  task_metrics& metrics_;
  std::vector<std::unique_ptr<partition_sink>> sinks_;
  std::vector<credit_gate> gates_;
  input_gate inputs_;
  /// Per input gate: whether it feeds the head operator's second input.
  std::vector<bool> second_input_;
  input_credits credits_;
  input_watermarks watermarks_;
  barrier_aligner aligner_;
  barrier_options aligning_options_;
  checkpoint_id last_snapshot_; ///< newest checkpoint this task snapshotted
  checkpoint_id expected_;      ///< newest checkpoint triggered
  barrier_options expected_options_;
  struct snapshot_write;
  std::vector<std::shared_ptr<snapshot_write>> writes_;
  spi::io_executor* io_ = nullptr;
  spi::keyed_backend* keyed_stores_ = nullptr;   ///< null: keyed state in operators' memory
  std::shared_ptr<const state_backend> backend_; ///< writes native snapshots
  std::function<void()> wake_;
  const spi::processing_clock* clock_;
  std::set<std::int64_t> processing_callbacks_; ///< times of the pending processing_timer calls
  int subtask_ = 0;
  std::unique_ptr<operator_chain> chain_;
  phase phase_ = phase::created;
  execution_state state_ = execution_state::created;
  execution_state abort_outcome_ = execution_state::canceled;
  std::string failure_;
  bool resume_pending_ = false;
  bool flush_pending_ = false;
  bool source_waiting_ = false; ///< the source said nothing is available yet
  bool ends_event_time_ = true; ///< whether a source sends max_watermark when it ends
};

} // namespace flinkcpp

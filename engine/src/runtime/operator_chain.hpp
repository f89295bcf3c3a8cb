#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/core_options.hpp"
#include "flinkcpp/detail/partitioning.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/spi/io_executor.hpp"
#include "graph/job_graph.hpp"

namespace flinkcpp {

/// What every operator of a subtask shares from the process running it.
struct chain_services {
  spi::io_executor* io = nullptr;
  std::function<void()> wake; ///< thread-safe; see operator_context::wake
  std::size_t batch_bytes = static_cast<std::size_t>(options::segment_size.default_value());
  bool checkpointing = false;                 ///< see operator_context::checkpointing
  spi::keyed_backend* keyed_stores = nullptr; ///< see operator_context::state_backend
  /// see operator_context::clock; must outlive the chain
  const spi::processing_clock* clock = &spi::processing_clock::system();
  int attempt_number = 0; ///< see operator_context::attempt_number
  std::string location;   ///< see operator_context::location
  /// Sends an operator's event to its coordinator (subtask thread only);
  /// empty: operators get no way to a coordinator.
  std::function<void(const operator_id&, std::string event)> send_to_coordinator;
  /// The metric groups of the vertex's operators, in chain order (reported
  /// by the task's metrics); null, or for operators past its end: each
  /// operator has a group of its own, reported nowhere.
  const std::vector<metric_group>* operator_metrics = nullptr;
};

/// One operator's snapshot within a chain, with what its files need.
struct chained_snapshot {
  operator_id op;
  spi::key_group_range key_groups;
  spi::operator_snapshot state;
};

/// The operators of one subtask of a job vertex, wired together: chained
/// operators call each other through collectors; the records leaving the
/// vertex go to one record writer per output edge, which hands full batches to
/// the given batch sinks. Not thread-safe: owned by one task.
class operator_chain {
public:
  /// Builds the operators of `vertex` for `subtask`; `partitions[i]` receives
  /// the batches of the vertex's i-th output edge. Throws what the operators'
  /// constructors throw (user code).
  operator_chain(const job_graph& graph, int vertex, int subtask, const chain_services& services,
                 const std::vector<spi::batch_sink*>& partitions);

  /// The head operator: where batches arriving over the network go.
  spi::stream_operator& head() { return *operators_.front(); }

  /// The head as a source, if the vertex is a source vertex.
  spi::source_operator* source() { return source_; }

  /// Opens the operators in chain order; one that throws stops it there.
  void open();

  /// Closes the operators opened, in chain order, each even if one before
  /// threw; once only. Returns the first failure's message, or "".
  std::string close() noexcept;

  /// Ends the input of the operators one by one, in chain order. Returns
  /// true once all have finished emitting; false while one waits (for output
  /// room or for its I/O).
  bool end_input();

  /// Hands all partially filled batches on, and the output operators hold
  /// (stream_operator::flush_held_output).
  void flush();

  /// Whether some record writer or operator holds records not yet handed on.
  bool has_buffered() const;

  /// Cuts the batches of `channel` of output `partition` at `bytes`.
  void set_batch_bytes(std::uint32_t partition, std::uint32_t channel, std::size_t bytes);

  bool ready();
  bool quiescent() const;
  void check();
  bool needs_commit() const;
  void commit();
  void abort() noexcept;

  /// Restores every operator found in `state` (by operator id). Before open().
  void restore(const std::map<operator_id, spi::operator_restore>& state);

  /// Every operator's snapshot for `checkpoint`, in chain order; keyed
  /// state in the backend's own format where `native_allowed`.
  std::vector<chained_snapshot> snapshot(checkpoint_id checkpoint, bool native_allowed);

  void notify_checkpoint_complete(checkpoint_id checkpoint);

  /// Hands `event` from the coordinator of operator `op` to it. Throws
  /// std::logic_error when the chain has no such operator, and what the
  /// operator throws.
  void handle_coordinator_event(const operator_id& op, std::string_view event);

  // -- event time ------------------------------------------------------------

  /// The watermark of the chain's input rose to `watermark` (for a source
  /// chain: max_watermark once the source ended). Passes it through the
  /// operators; each watermark an operator's output reaches goes to the
  /// operators chained after it, and to its output edges behind the records
  /// written before it (their partial batches are handed on first).
  void advance_watermark(std::int64_t watermark);

  /// Whether an operator passed only part of a watermark so far (fired some
  /// of its timers due): the task then gives the chain no input before
  /// continue_watermarks() made this false.
  bool watermark_pending() const noexcept { return !pending_.empty(); }

  /// One more step of every pending operator's watermark (each fires up to
  /// timers_per_step timers); what the watermarks reach goes on as in
  /// advance_watermark. Call while the outputs have room.
  void continue_watermarks();

  /// Whether some operator makes watermarks of its own.
  bool generates_watermarks() const noexcept { return !generators_.empty(); }

  /// Calls the generating operators' periodic emission, then
  /// emit_generated_watermarks().
  void emit_periodic_watermarks();

  /// Sends on what the generating operators have reached since last asked:
  /// their watermarks and idleness (after every step).
  void emit_generated_watermarks();

  /// The chain's input turned idle (or active again): passes that through
  /// the operators, up to those making watermarks of their own, and onto
  /// the output edges behind the records written before it.
  void set_input_idle(bool idle);

  // -- processing time -------------------------------------------------------

  /// The earliest processing-time timer of any operator, if one has one.
  std::optional<std::int64_t> next_processing_timer() const;

  /// Fires the processing-time timers due at `now`, operator by operator in
  /// chain order.
  void on_processing_time(std::int64_t now);

  /// Operator `i`'s (chain order) input and output watermarks.
  std::int64_t input_watermark(std::size_t i) const noexcept { return input_watermark_[i]; }
  std::int64_t output_watermark(std::size_t i) const noexcept { return output_watermark_[i]; }

  /// The number of operators, and the records operator `i` (chain order)
  /// emitted so far.
  std::size_t size() const noexcept { return operators_.size(); }
  std::int64_t records_emitted(std::size_t i) const noexcept {
    return operators_[i]->records_emitted();
  }

private:
  void deliver_watermark(std::size_t op, std::int64_t watermark);
  void emit_watermark(std::size_t op, std::int64_t watermark);
  void deliver_status(std::size_t op, bool idle);
  void emit_status(std::size_t op, bool idle);

  std::vector<std::unique_ptr<spi::stream_operator>> operators_;
  std::vector<operator_id> ids_;
  std::vector<spi::key_group_range> key_groups_;
  std::vector<std::unique_ptr<spi::record_writer_base>> writers_;
  std::vector<spi::fanout_holder> fanouts_;
  std::vector<spi::batch_sink*> partitions_;        ///< per output edge
  std::vector<std::vector<std::size_t>> chained_;   ///< per operator: the operators it feeds
  std::vector<std::vector<std::size_t>> writes_to_; ///< per operator: its output edges
  std::vector<std::size_t> generators_;             ///< operators making watermarks
  spi::record_timestamp timestamp_;                 ///< shared by the operators and writers
  std::vector<std::int64_t> input_watermark_;
  std::vector<std::int64_t> output_watermark_;
  std::vector<std::size_t> pending_; ///< operators whose input watermark is passed in part
  std::vector<bool> output_idle_;    ///< per operator: whether its output is idle
  spi::source_operator* source_ = nullptr;
  std::size_t opened_ = 0; ///< operators opened (and not closed yet)
  std::size_t ended_ = 0;
};

} // namespace flinkcpp

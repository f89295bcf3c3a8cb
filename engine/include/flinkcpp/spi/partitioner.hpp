#pragma once

// How records of one stream edge are spread over the consumer's subtasks
// (Flink's StreamPartitioner): the ship strategies, the record writers that
// cut per-channel batches, and the sink the runtime gives them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "flinkcpp/detail/cache_line.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/record_batch.hpp"
#include "flinkcpp/spi/stream_operator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// Flink's ship strategies. `unspecified` is an edge the job left open: it
/// becomes forward when both sides have the same parallelism, else rebalance.
enum class ship_strategy { unspecified, forward, rebalance, rescale, broadcast, hash };

/// The name Flink's plan JSON uses ("FORWARD", "HASH", ...).
std::string_view ship_strategy_name(ship_strategy s) noexcept;

/// Whether each producer talks to a few consumers (forward, rescale) rather
/// than to all of them.
inline bool is_pointwise(ship_strategy s) noexcept {
  return s == ship_strategy::forward || s == ship_strategy::rescale;
}

/// Receives full batches from a record writer, and the watermarks of the
/// edge; implemented by the runtime (credit-based flow control lives behind it).
class batch_sink {
public:
  virtual ~batch_sink() = default;
  virtual void emit(std::uint32_t channel, batch_ptr batch) = 0;
  /// Sends `watermark` on every channel of the edge, behind the batches
  /// emitted before it.
  virtual void emit_watermark(std::int64_t watermark) = 0;
  /// Sends the producer's idleness (Flink's WatermarkStatus) on every
  /// channel of the edge, behind the batches emitted before it.
  virtual void emit_watermark_status(bool idle) = 0;
};

/// What a record writer needs to know about its edge.
struct writer_config {
  std::uint32_t channels = 1; ///< consumers this producer sends to
  int producer_index = 0;     ///< subtask index of the producer
  int max_parallelism = 128;  ///< key groups (hash edges)
  std::size_t batch_bytes = 32768;
  /// The chain's record timestamp, when the edge's records carry event time
  /// (each batch then holds one per record); null otherwise.
  const record_timestamp* timestamps = nullptr;
  /// The job runs in BATCH mode: the writer may hold records back until
  /// flush() (a pre-aggregating writer combines the records of a key before
  /// the shuffle).
  bool batch_mode = false;
};

/// The tail of a chain for one outgoing edge: partitions records into
/// per-channel batches. Only called from the owning subtask's thread.
class alignas(detail::cache_line_size) record_writer_base {
public:
  virtual ~record_writer_base() = default;

  virtual collector_ref input() = 0;

  /// Hands on every record it holds: partially filled batches, and
  /// what it held back (batch_mode).
  virtual void flush() = 0;

  /// Whether it holds records not yet handed on.
  virtual bool has_buffered() const = 0;

  /// Cuts the batches of `channel` at `bytes` instead of the configured size
  /// (larger for a channel to another process, where each message costs more).
  virtual void set_batch_bytes(std::uint32_t channel, std::size_t bytes) = 0;
};

/// How records of one stream edge travel: which channel each record takes
/// (the edge's record writers) and, between processes, their bytes. Typed by
/// the record; shared, immutable, thread-safe.
class partitioner {
public:
  virtual ~partitioner() = default;

  /// The strategy the job asked for (possibly unspecified).
  virtual ship_strategy strategy() const noexcept = 0;

  /// A writer for one producer subtask, using `resolved` (never unspecified).
  virtual std::unique_ptr<record_writer_base>
  create_writer(ship_strategy resolved, const writer_config& config, batch_sink& sink) const = 0;

  /// Appends the binary form of `batch` (records, key hashes, timestamps) to `out`.
  virtual void serialize(const record_batch& batch, std::string& out) const = 0;

  /// The batch `bytes` hold. Throws serialization_error for bytes that are
  /// not a whole batch of this edge's records.
  virtual batch_ptr deserialize(std::string_view bytes) const = 0;
};

} // namespace flinkcpp::spi
FLINKCPP_API_END

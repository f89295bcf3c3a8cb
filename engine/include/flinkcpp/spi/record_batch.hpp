#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// A batch of records travelling on one channel: the unit of data transfer,
/// flow control (one credit per batch) and serialization. Records never move
/// one message at a time.
///
/// Ownership: a batch is created by the sending subtask's record writer, moved
/// by pointer to exactly one receiving subtask (broadcast gives each receiver
/// its own batch), which may then move records out of it. Never shared between
/// threads concurrently.
class record_batch {
public:
  record_batch(const record_batch&) = delete;
  record_batch& operator=(const record_batch&) = delete;
  virtual ~record_batch();

  virtual std::size_t size() const noexcept = 0;

  /// The stable hash of each record's key, when the batch crossed a
  /// hash-partitioned edge (one per record); empty otherwise. Lets a keyed
  /// receiver find key group and state without hashing the key again.
  std::vector<std::uint64_t> key_hashes;

  /// Each record's event time (one per record) when the stream carries event
  /// time (timestamps were assigned upstream); empty otherwise.
  std::vector<std::int64_t> timestamps;

  /// Number of batches alive in this process (tests use it to show that
  /// memory stays bounded under backpressure). Thread-safe.
  static std::int64_t live_count() noexcept;

protected:
  record_batch() noexcept;
};

using batch_ptr = std::shared_ptr<record_batch>;

/// A batch of records of type T.
template <class T>
class typed_batch final : public record_batch {
public:
  std::vector<T> records;

  std::size_t size() const noexcept override { return records.size(); }
};

/// The records of a batch known to hold T (the job graph guarantees the type
/// of every channel).
template <class T>
std::vector<T>& records_of(record_batch& batch) {
  return static_cast<typed_batch<T>&>(batch).records;
}

} // namespace flinkcpp::spi
FLINKCPP_API_END

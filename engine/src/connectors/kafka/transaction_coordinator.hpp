#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace flinkcpp::kafka {

/// A producer id and epoch, as a transaction coordinator hands them out.
struct producer_identity {
  std::int64_t id = -1;
  std::int16_t epoch = -1;
};

/// What librdkafka cannot do: end a transaction that a producer of another
/// process (a failed attempt's) began, and fence such a producer. Speaks the
/// Kafka protocol itself (FindCoordinator v1, InitProducerId v1, EndTxn v1;
/// plaintext listeners) to the coordinator of a transactional id, found
/// through the bootstrap servers. Blocking, with `timeout` per attempt;
/// retries what the coordinator says may pass (not ready, not the
/// coordinator, concurrent transactions) until `deadline`. Throws
/// std::runtime_error naming the servers or the coordinator's error.
class transaction_coordinator {
public:
  /// The Kafka error codes callers tell apart.
  enum error_code : std::int16_t {
    none = 0,
    invalid_producer_epoch = 47,
    invalid_txn_state = 48,
    producer_fenced = 90,
  };

  transaction_coordinator(std::string bootstrap_servers, std::chrono::milliseconds timeout,
                          std::chrono::milliseconds transaction_timeout);

  /// InitProducerId for `transactional_id`: aborts its open transaction (if
  /// any) and fences its producers; the new identity's epoch is 0 when the
  /// id was never used.
  producer_identity init_producer_id(const std::string& transactional_id);

  /// EndTxn: commits (or aborts) the transaction `producer` began under
  /// `transactional_id`. Returns the coordinator's error code (none, or one
  /// saying the transaction is no longer open for that producer).
  std::int16_t end_transaction(const std::string& transactional_id, producer_identity producer,
                               bool commit);

private:
  std::string bootstrap_servers_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds transaction_timeout_;
};

} // namespace flinkcpp::kafka

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "connectors/kafka/kafka_client.hpp"
#include "flinkcpp/kafka_sink.hpp"

namespace flinkcpp::kafka {

/// What a writer's producers report from the client's threads: the first
/// failure, and wake-ups when acknowledgements arrive. Thread-safe.
class writer_signals {
public:
  explicit writer_signals(std::function<void()> wake) : wake_(std::move(wake)) {}

  void wake() const { wake_(); }
  /// Keeps the first failure.
  void fail(std::string what);
  /// Throws std::runtime_error with the first failure, if any.
  void check() const;

private:
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::string error_;
};

/// The records produced between two barriers that the broker has not
/// acknowledged yet.
struct record_epoch {
  std::atomic<std::int64_t> outstanding{0};
};

/// One librdkafka producer: a writer's, or for exactly once, the one of a
/// transaction (transactional_id set). produce and poll run on the
/// writer's subtask thread; init_transactions, the look-ups and the
/// transaction's end on the io executor (never concurrently with each other).
class producer : public std::enable_shared_from_this<producer> {
public:
  /// Throws std::invalid_argument for properties the client refuses.
  static std::shared_ptr<producer> make(const std::map<std::string, std::string>& properties,
                                        std::string transactional_id,
                                        std::shared_ptr<writer_signals> signals);
  producer(const producer&) = delete;
  producer& operator=(const producer&) = delete;

  const std::string& transactional_id() const noexcept { return transactional_id_; }

  /// Blocking: initializes transactions; ready() from then on. Failures go
  /// to the signals.
  void init_transactions(std::chrono::milliseconds timeout);
  bool ready() const noexcept { return ready_.load(std::memory_order_acquire); }
  /// Whether the producer's id and epoch are known: they come with the
  /// client's statistics (every 50 ms; librdkafka tells them no other way),
  /// mostly after the first records went out, so nothing waits for them
  /// before a transaction's end needs them.
  bool identity_known() const noexcept { return producer_id_.load(std::memory_order_acquire) >= 0; }
  /// Blocking, for at most one statistics interval after ready() unless
  /// librdkafka fails: waits until identity_known(). False (reported to
  /// the signals) after `timeout`.
  bool await_identity(std::chrono::milliseconds timeout);
  /// Begins the transaction the first time it is called.
  void begin_transaction_once();
  /// The transactional id, the producer's id and its epoch (identity_known()).
  kafka_committable committable() const;

  /// Produces `record` (copied), counted in the open epoch. Failures go to
  /// the signals; a full queue holds the record back (see backlog()).
  void produce(const kafka_producer_record& record);
  /// Records the client's queue refused, produced again by poll().
  std::size_t backlog() const noexcept { return backlog_.size(); }
  /// Serves acknowledgements (never blocks) and retries the backlog.
  void poll();
  /// Records produced so far.
  std::int64_t produced() const noexcept { return produced_; }
  /// Closes the open epoch: the predicate holds once every record produced
  /// before (this epoch and earlier ones) is acknowledged.
  std::function<bool()> close_epoch();
  /// Whether every record produced is acknowledged.
  bool drained();

  /// Blocking: commits or aborts the open transaction. Returns the error,
  /// null if none (the caller destroys it).
  rd_kafka_error_t* end_transaction(bool commit, std::chrono::milliseconds timeout);
  /// Blocking: asks the partition count of `topic`; -1 if it does not
  /// exist. The client keeps what it learned, so that the first records to
  /// the topic go out at once (librdkafka otherwise asks for a new topic's
  /// partitions on its next topic scan, up to a second later). Throws
  /// std::runtime_error when the brokers do not answer.
  std::int32_t partition_count(const std::string& topic, std::chrono::milliseconds timeout);
  /// Blocking: the partition counts of those of `topics` that exist (as
  /// partition_count; failures are left out: the records to such a topic
  /// report them).
  std::map<std::string, std::int32_t> look_up(const std::set<std::string>& topics,
                                              std::chrono::milliseconds timeout);

private:
  producer(std::string transactional_id, std::shared_ptr<writer_signals> signals);

  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque);
  static void on_error(rd_kafka_t* rk, int error, const char* reason, void* opaque);
  static int on_statistics(rd_kafka_t*, char* json, std::size_t length, void* opaque);
  static void configure(rd_kafka_conf_t* conf, void* self);

  std::string transactional_id_;
  std::shared_ptr<writer_signals> signals_;
  std::atomic<std::int64_t> producer_id_{-1};
  std::atomic<std::int32_t> epoch_{-1};
  std::atomic<bool> ready_{false};
  bool begun_ = false;
  std::int64_t produced_ = 0;
  std::vector<std::shared_ptr<record_epoch>> epochs_; ///< closed, not yet acknowledged
  std::shared_ptr<record_epoch> open_ = std::make_shared<record_epoch>();
  std::vector<kafka_producer_record> backlog_;
  client_handle client_; ///< destroyed after the topics, before what its callbacks touch
  /// The topics looked up, kept so that the client keeps their metadata.
  std::map<std::string, topic_handle> topics_;
};

/// The producers of pre-committed transactions, by transactional id, that
/// the committer of this process commits. Thread-safe.
void register_live_producer(std::shared_ptr<producer> p);
std::shared_ptr<producer> take_live_producer(const std::string& transactional_id);
/// Drops the producer of `transactional_id` (a transaction that will be
/// aborted), if this process holds one.
void forget_live_producer(const std::string& transactional_id);

} // namespace flinkcpp::kafka

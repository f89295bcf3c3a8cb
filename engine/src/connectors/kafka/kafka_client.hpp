#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <librdkafka/rdkafka.h>

namespace flinkcpp::kafka {

/// How long destroying a consumer waits for its brokers to take its close
/// (its last offset commits): offsets live in checkpoints, commits are for
/// monitoring, and a subtask must end even when the brokers are gone.
inline constexpr std::chrono::milliseconds consumer_close_timeout{2000};

/// Destroys a librdkafka handle (waiting for its threads). A consumer is
/// closed first (librdkafka's own close waits for brokers that may never
/// answer): if that takes longer than consumer_close_timeout, the consumer
/// is left to close and be destroyed on a thread of its own.
struct handle_deleter {
  void operator()(rd_kafka_t* rk) const noexcept;
};
using client_handle = std::unique_ptr<rd_kafka_t, handle_deleter>;

/// Gives back a topic handle (before its client is destroyed).
struct topic_deleter {
  void operator()(rd_kafka_topic_t* rkt) const noexcept { rd_kafka_topic_destroy(rkt); }
};
using topic_handle = std::unique_ptr<rd_kafka_topic_t, topic_deleter>;

/// A librdkafka client of `type` with `properties` (client properties by
/// librdkafka's names). Throws std::invalid_argument naming a property the
/// client refuses, std::runtime_error if it cannot be made. `configure`
/// may set callbacks on the configuration before the client takes it.
client_handle make_client(rd_kafka_type_t type,
                          const std::map<std::string, std::string>& properties,
                          void (*configure)(rd_kafka_conf_t*, void*) = nullptr,
                          void* opaque = nullptr);

/// Checks `properties` as make_client would, without making a client.
void check_properties(const std::map<std::string, std::string>& properties);

/// What the brokers said of a topic's partitions.
struct topic_partitions {
  rd_kafka_resp_err_t error = RD_KAFKA_RESP_ERR_NO_ERROR; ///< of the request itself
  std::int32_t count = -1; ///< -1 when they answered without it (no such topic)
};

/// Asks the brokers of `client` for the metadata of `topic` (a handle of
/// that client), waiting at most `timeout`. Blocking.
topic_partitions ask_partitions(rd_kafka_t* client, rd_kafka_topic_t* topic,
                                std::chrono::milliseconds timeout);

/// Java's String.hashCode of `s` (bytes as chars), for Flink's assignment
/// of partitions to readers.
std::int32_t java_string_hash(const std::string& s);

/// "topic 't', partition p".
std::string describe(const std::string& topic, std::int32_t partition);

} // namespace flinkcpp::kafka

#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

struct rd_kafka_mock_cluster_s;
struct rd_kafka_s;

namespace flinkcpp::testing {

/// A Kafka cluster for tests: librdkafka's mock cluster (brokers speaking
/// the Kafka wire protocol) in this process, on 127.0.0.1, for as long as
/// the object lives; jobs in other processes reach it too. Records go in
/// and come out through kcat, an independent client.
class kafka_cluster {
public:
  explicit kafka_cluster(int brokers = 1);
  ~kafka_cluster();
  kafka_cluster(const kafka_cluster&) = delete;
  kafka_cluster& operator=(const kafka_cluster&) = delete;

  /// "127.0.0.1:port,...".
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }

  void create_topic(const std::string& topic, int partitions);

  /// Writes `values` to `partition` of `topic` with kcat, one record each
  /// (without keys), kcat given `options` too. Throws if kcat fails.
  void produce(const std::string& topic, int partition, const std::vector<std::string>& values,
               const std::vector<std::string>& options = {});

  /// Every committed record of `topic` in kcat's `format` (%k key, %s
  /// value, %p partition, %o offset), read to the end by kcat as a
  /// read_committed consumer.
  std::vector<std::string> consume(const std::string& topic, const std::string& format = "%s");

  /// Commits `offset` for `partition` of `topic` as `group`.
  void commit(const std::string& group, const std::string& topic, int partition,
              std::int64_t offset);

  /// The sum of the offsets `group` committed for partitions 0..partitions-1
  /// of `topic` (0 for those it committed none).
  std::int64_t committed(const std::string& group, const std::string& topic, int partitions);

  /// The sum of the log end offsets (high watermarks) of partitions
  /// 0..partitions-1 of `topic`: every record written to it (the mock
  /// writes no transaction markers, and drops none below its size bounds).
  std::int64_t log_end_offsets(const std::string& topic, int partitions);

  /// Delays every broker's answers by `delay`.
  void set_round_trip(std::chrono::milliseconds delay);

  /// The next requests of type `api_key` (Kafka's: 1 Fetch, 2 ListOffsets,
  /// 3 Metadata, ...) fail with `errors` (rd_kafka_resp_err_t codes), one
  /// request each, in order.
  void fail_requests(int api_key, const std::vector<int>& errors);

  /// Takes broker `broker` (from 1) down (connections closed, none
  /// accepted) or up again.
  void set_broker_up(int broker, bool up);

  /// Takes broker `broker` down for as long as an independent client
  /// (kcat) takes to give up on the cluster, then up again. Returns whether
  /// that client did give up (so the broker was out of reach meanwhile).
  bool bounce_broker(int broker);

private:
  int brokers_;
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_mock_cluster_s* mock_ = nullptr;
  std::string bootstrap_servers_;
};

} // namespace flinkcpp::testing

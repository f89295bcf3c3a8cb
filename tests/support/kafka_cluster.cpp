#include "support/kafka_cluster.hpp"

#include <algorithm>
#include <stdexcept>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace flinkcpp::testing {

kafka_cluster::kafka_cluster(int brokers) : brokers_(brokers) {
  char error[512];
  auto* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (handle_ == nullptr)
    throw std::runtime_error(std::string{"cannot create the mock cluster's client: "} + error);
  mock_ = rd_kafka_mock_cluster_new(handle_, brokers);
  if (mock_ == nullptr)
    throw std::runtime_error("cannot create a mock Kafka cluster");
  bootstrap_servers_ = rd_kafka_mock_cluster_bootstraps(mock_);
}

kafka_cluster::~kafka_cluster() {
  rd_kafka_mock_cluster_destroy(mock_);
  rd_kafka_destroy(handle_);
}

void kafka_cluster::create_topic(const std::string& topic, int partitions) {
  auto err = rd_kafka_mock_topic_create(mock_, topic.c_str(), partitions, 1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("cannot create topic " + topic + ": " + rd_kafka_err2str(err));
}

void kafka_cluster::produce(const std::string& topic, int partition,
                            const std::vector<std::string>& values,
                            const std::vector<std::string>& options) {
  temp_dir dir;
  std::string text;
  for (const auto& v : values)
    text += v + "\n";
  write_file(dir.file("records"), text);
  std::vector<std::string> argv{
    "kcat", "-P", "-q", "-b", bootstrap_servers_, "-t", topic, "-p", std::to_string(partition)};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), {"-l", dir.file("records")});
  auto r = run_process(argv);
  if (r.exit_code != 0)
    throw std::runtime_error("kcat could not produce to " + topic + ": " + r.err);
}

namespace {

/// A consumer of `group` (destroy it with rd_kafka_destroy).
rd_kafka_t* group_consumer(const std::string& servers, const std::string& group) {
  char error[512];
  auto* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", servers.c_str(), error, sizeof error);
  rd_kafka_conf_set(conf, "group.id", group.c_str(), error, sizeof error);
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
  auto* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (consumer == nullptr)
    throw std::runtime_error(std::string{"cannot create a consumer: "} + error);
  return consumer;
}

} // namespace

void kafka_cluster::commit(const std::string& group, const std::string& topic, int partition,
                           std::int64_t offset) {
  auto* consumer = group_consumer(bootstrap_servers_, group);
  auto* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
  auto err = rd_kafka_commit(consumer, list, 0);
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(consumer);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error(std::string{"cannot commit an offset: "} + rd_kafka_err2str(err));
}

std::int64_t kafka_cluster::committed(const std::string& group, const std::string& topic,
                                      int partitions) {
  auto* consumer = group_consumer(bootstrap_servers_, group);
  auto* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p);
  auto err = rd_kafka_committed(consumer, list, 10000);
  std::int64_t sum = 0;
  for (int p = 0; p < partitions; ++p)
    sum += std::max<std::int64_t>(0, list->elems[p].offset);
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_destroy(consumer);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error(std::string{"cannot read committed offsets: "} +
                             rd_kafka_err2str(err));
  return sum;
}

std::int64_t kafka_cluster::log_end_offsets(const std::string& topic, int partitions) {
  auto* consumer = group_consumer(bootstrap_servers_, "log-end-offsets");
  std::int64_t sum = 0;
  for (int p = 0; p < partitions; ++p) {
    std::int64_t low = 0;
    std::int64_t high = 0;
    auto err = rd_kafka_query_watermark_offsets(consumer, topic.c_str(), p, &low, &high, 10000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_destroy(consumer);
      throw std::runtime_error("cannot read the end offset of " + topic + "/" + std::to_string(p) +
                               ": " + rd_kafka_err2str(err));
    }
    sum += high;
  }
  rd_kafka_destroy(consumer);
  return sum;
}

void kafka_cluster::fail_requests(int api_key, const std::vector<int>& errors) {
  std::vector<rd_kafka_resp_err_t> codes;
  for (int e : errors)
    codes.push_back(static_cast<rd_kafka_resp_err_t>(e));
  rd_kafka_mock_push_request_errors_array(mock_, static_cast<std::int16_t>(api_key), codes.size(),
                                          codes.data());
}

void kafka_cluster::set_broker_up(int broker, bool up) {
  auto err =
    up ? rd_kafka_mock_broker_set_up(mock_, broker) : rd_kafka_mock_broker_set_down(mock_, broker);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("cannot set broker " + std::to_string(broker) + " " +
                             (up ? "up" : "down") + ": " + rd_kafka_err2str(err));
}

bool kafka_cluster::bounce_broker(int broker) {
  set_broker_up(broker, false);
  auto probe = run_process({"kcat", "-L", "-q", "-b", bootstrap_servers_, "-m", "1", "-X",
                            "socket.connection.setup.timeout.ms=1000"});
  set_broker_up(broker, true);
  return probe.exit_code != 0;
}

void kafka_cluster::set_round_trip(std::chrono::milliseconds delay) {
  for (int broker = 1; broker <= brokers_; ++broker)
    rd_kafka_mock_broker_set_rtt(mock_, broker, static_cast<int>(delay.count()));
}

std::vector<std::string> kafka_cluster::consume(const std::string& topic,
                                                const std::string& format) {
  auto r = run_process({"kcat", "-C", "-q", "-e", "-b", bootstrap_servers_, "-t", topic, "-X",
                        "isolation.level=read_committed", "-f", format + "\\n"});
  if (r.exit_code != 0)
    throw std::runtime_error("kcat could not consume " + topic + ": " + r.err);
  return lines_of(r.out);
}

} // namespace flinkcpp::testing

#include "connectors/kafka/kafka_client.hpp"

#include <cstdint>
#include <stdexcept>

#include "util/logging.hpp"

namespace flinkcpp::kafka {

namespace {

struct conf_deleter {
  void operator()(rd_kafka_conf_t* conf) const noexcept { rd_kafka_conf_destroy(conf); }
};
using conf_handle = std::unique_ptr<rd_kafka_conf_t, conf_deleter>;

/// librdkafka's log lines (syslog levels) into the "kafka" logger.
void log_line(const rd_kafka_t*, int level, const char* facility, const char* message) {
  static auto log = logger("kafka");
  auto l = level <= 3   ? spdlog::level::err
           : level <= 4 ? spdlog::level::warn
           : level <= 6 ? spdlog::level::info
                        : spdlog::level::debug;
  log->log(l, "{}: {}", facility, message);
}

conf_handle make_conf(const std::map<std::string, std::string>& properties) {
  conf_handle conf{rd_kafka_conf_new()};
  rd_kafka_conf_set_log_cb(conf.get(), &log_line);
  char error[512];
  for (const auto& [key, value] : properties)
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK)
      throw std::invalid_argument("Kafka client property '" + key + "' = '" + value +
                                  "' is refused: " + error);
  return conf;
}

} // namespace

client_handle make_client(rd_kafka_type_t type,
                          const std::map<std::string, std::string>& properties,
                          void (*configure)(rd_kafka_conf_t*, void*), void* opaque) {
  auto conf = make_conf(properties);
  if (configure != nullptr)
    configure(conf.get(), opaque);
  char error[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), error, sizeof error);
  if (rk == nullptr)
    throw std::runtime_error(std::string{"cannot create a Kafka client: "} + error);
  (void)conf.release(); // the client owns it now
  return client_handle{rk};
}

void check_properties(const std::map<std::string, std::string>& properties) {
  make_conf(properties);
}

topic_partitions ask_partitions(rd_kafka_t* client, rd_kafka_topic_t* topic,
                                std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* md = nullptr;
  topic_partitions out;
  out.error = rd_kafka_metadata(client, 0, topic, &md, static_cast<int>(timeout.count()));
  if (out.error == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 &&
      md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
    out.count = md->topics[0].partition_cnt;
  if (md != nullptr)
    rd_kafka_metadata_destroy(md);
  return out;
}

std::int32_t java_string_hash(const std::string& s) {
  std::uint32_t h = 0;
  for (unsigned char c : s)
    h = 31 * h + c;
  return static_cast<std::int32_t>(h);
}

std::string describe(const std::string& topic, std::int32_t partition) {
  return "topic '" + topic + "', partition " + std::to_string(partition);
}

} // namespace flinkcpp::kafka

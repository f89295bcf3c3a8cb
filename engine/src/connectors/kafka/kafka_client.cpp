#include "connectors/kafka/kafka_client.hpp"

#include <cstdint>
#include <stdexcept>
#include <thread>

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

/// Closes the consumer `rk` and destroys it, waiting at most `timeout` for
/// its brokers to take the close. A consumer not closed by then is left to
/// close on a thread of its own, destroyed once closed (should its brokers
/// come back): librdkafka's own close blocks until the brokers answer, and
/// destroying a consumer not closed spins its main thread until then.
void close_and_destroy_consumer(rd_kafka_t* rk, std::chrono::milliseconds timeout) {
  rd_kafka_queue_t* events = rd_kafka_queue_new(rk);
  auto destroy = [rk, events] {
    rd_kafka_queue_destroy(events);
    rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  };
  if (rd_kafka_error_t* error = rd_kafka_consumer_close_queue(rk, events)) {
    rd_kafka_error_destroy(error); // closed already, or fatally failed: nothing to wait for
    destroy();
    return;
  }
  auto serve_until_closed = [rk, events](auto keep_waiting) {
    while (rd_kafka_consumer_closed(rk) == 0 && keep_waiting())
      if (rd_kafka_event_t* event = rd_kafka_queue_poll(events, 50))
        rd_kafka_event_destroy(event);
    return rd_kafka_consumer_closed(rk) != 0;
  };
  auto deadline = std::chrono::steady_clock::now() + timeout;
  if (serve_until_closed([&] { return std::chrono::steady_clock::now() < deadline; })) {
    destroy();
    return;
  }
  static auto log = logger("kafka");
  log->warn("Kafka consumer {} did not close within {} ms (its brokers do not answer); it "
            "closes in the background",
            rd_kafka_name(rk), timeout.count());
  std::thread{[serve_until_closed, destroy] {
    serve_until_closed([] { return true; });
    destroy();
  }}.detach();
}

} // namespace

void handle_deleter::operator()(rd_kafka_t* rk) const noexcept {
  if (rd_kafka_type(rk) == RD_KAFKA_CONSUMER)
    close_and_destroy_consumer(rk, consumer_close_timeout);
  else
    rd_kafka_destroy(rk);
}

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

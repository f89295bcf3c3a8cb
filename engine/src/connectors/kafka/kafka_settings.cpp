#include "connectors/kafka/kafka_settings.hpp"

#include <charconv>
#include <regex>
#include <stdexcept>

#include "connectors/kafka/kafka_client.hpp"

namespace flinkcpp {

namespace {

std::int64_t parse_ms(const std::string& key, const std::string& value) {
  std::int64_t ms = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
  if (ec != std::errc{} || end != value.data() + value.size())
    throw std::invalid_argument("Kafka source property '" + key + "' must be milliseconds, got '" +
                                value + "'");
  return ms;
}

} // namespace

namespace kafka {

std::map<std::string, std::string> consumer_properties(const kafka_source_settings& settings,
                                                       const std::string& client_id) {
  auto p = settings.properties;
  p["bootstrap.servers"] = settings.bootstrap_servers;
  p["group.id"] = settings.group_id.empty() ? client_id : settings.group_id;
  p["client.id"] = client_id;
  p["enable.auto.commit"] = "false";
  p["enable.auto.offset.store"] = "false";
  p["enable.partition.eof"] = "true";
  p.try_emplace("auto.offset.reset", "earliest");
  return p;
}

bool commits_offsets(const kafka_source_settings& settings) {
  return settings.commit_offsets_on_checkpoint && !settings.group_id.empty();
}

} // namespace kafka

std::vector<kafka_header> kafka_record::headers() const {
  std::vector<kafka_header> out;
  rd_kafka_headers_t* headers = nullptr;
  auto* m = static_cast<rd_kafka_message_t*>(const_cast<void*>(message));
  if (m == nullptr || rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return out;
  const char* name = nullptr;
  const void* bytes = nullptr;
  std::size_t size = 0;
  for (std::size_t i = 0;
       rd_kafka_header_get_all(headers, i, &name, &bytes, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
       ++i) {
    kafka_header h;
    h.key = name;
    if (bytes != nullptr)
      h.value = std::string_view{static_cast<const char*>(bytes), size};
    out.push_back(h);
  }
  return out;
}

namespace detail {

void set_kafka_source_property(kafka_source_settings& settings, const std::string& key,
                               std::string value) {
  if (key == "partition.discovery.interval.ms") {
    settings.discovery_interval =
      std::chrono::milliseconds{std::max<std::int64_t>(0, parse_ms(key, value))};
  } else if (key == "default.api.timeout.ms") {
    auto ms = parse_ms(key, value);
    if (ms <= 0)
      throw std::invalid_argument(
        "Kafka source property 'default.api.timeout.ms' must be positive, got " + value);
    settings.api_timeout = std::chrono::milliseconds{ms};
  } else if (key == "commit.offsets.on.checkpoint") {
    if (value != "true" && value != "false")
      throw std::invalid_argument(
        "Kafka source property 'commit.offsets.on.checkpoint' must be true or false, got '" +
        value + "'");
    settings.commit_offsets_on_checkpoint = value == "true";
  } else if (key == "client.id.prefix") {
    settings.client_id_prefix = std::move(value);
  } else if (key == "group.id") {
    settings.group_id = std::move(value);
  } else if (key == "bootstrap.servers") {
    settings.bootstrap_servers = std::move(value);
  } else {
    settings.properties[key] = std::move(value);
  }
}

void validate_kafka_source_settings(const kafka_source_settings& settings) {
  if (settings.bootstrap_servers.empty())
    throw std::invalid_argument("Kafka source: no bootstrap servers set (set_bootstrap_servers)");
  if (settings.topics.empty() == settings.topic_pattern.empty())
    throw std::invalid_argument(
      "Kafka source: set either topics (set_topics) or a topic pattern (set_topic_pattern), "
      "not both and not neither");
  for (const auto& t : settings.topics)
    if (t.empty())
      throw std::invalid_argument("Kafka source: a topic name is empty");
  if (!settings.topic_pattern.empty()) {
    try {
      std::regex check{settings.topic_pattern};
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("Kafka source: the topic pattern '" + settings.topic_pattern +
                                  "' is no regular expression: " + e.what());
    }
  }
  auto needs_group = [](const std::optional<offsets_initializer>& o) {
    return o && o->what == offsets_initializer::kind::committed;
  };
  if (settings.group_id.empty() &&
      (needs_group(settings.starting) || needs_group(settings.stopping)))
    throw std::invalid_argument("Kafka source: committed offsets need a group id (set_group_id)");
  kafka::check_properties(kafka::consumer_properties(settings, settings.client_id_prefix));
}

} // namespace detail
} // namespace flinkcpp

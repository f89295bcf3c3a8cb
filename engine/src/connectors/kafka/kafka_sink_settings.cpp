#include <charconv>
#include <stdexcept>

#include "connectors/kafka/kafka_client.hpp"
#include "connectors/kafka/kafka_producers.hpp"
#include "connectors/kafka/transaction_coordinator.hpp"
#include "flinkcpp/kafka_sink.hpp"
#include "util/logging.hpp"

namespace flinkcpp::detail {

namespace {

std::chrono::milliseconds positive_ms(const std::string& key, const std::string& value) {
  std::int64_t ms = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
  if (ec != std::errc{} || end != value.data() + value.size() || ms <= 0)
    throw std::invalid_argument("Kafka sink property '" + key +
                                "' must be a positive number of milliseconds, got '" + value + "'");
  return std::chrono::milliseconds{ms};
}

/// Commits `committable` through the coordinator (a transaction another
/// process pre-committed).
void end_restored_transaction(const kafka_sink_settings& settings,
                              commit_request<kafka_committable>& request) {
  const auto& c = request.committable();
  kafka::transaction_coordinator coordinator{settings.bootstrap_servers, settings.api_timeout,
                                             settings.transaction_timeout};
  auto error = coordinator.end_transaction(c.transactional_id, {c.producer_id, c.epoch}, true);
  switch (error) {
    case kafka::transaction_coordinator::none:
      return;
    case kafka::transaction_coordinator::invalid_producer_epoch:
    case kafka::transaction_coordinator::producer_fenced:
    case kafka::transaction_coordinator::invalid_txn_state:
      // Ended before: committed by the attempt that failed after it, as the
      // checkpoint's completion asked (a transaction is aborted only by the
      // restore of an older checkpoint, which never lists it).
      logger("kafka")->info("The Kafka transaction '{}' was ended before (error code {}); "
                            "taking it as committed.",
                            c.transactional_id, error);
      request.signal_already_committed();
      return;
    default:
      request.signal_failed("cannot commit the Kafka transaction '" + c.transactional_id +
                            "': error code " + std::to_string(error));
  }
}

} // namespace

void set_kafka_sink_property(kafka_sink_settings& settings, const std::string& key,
                             const std::string& value) {
  if (key == "transaction.timeout.ms")
    settings.transaction_timeout = positive_ms(key, value);
  else if (key == "max.block.ms")
    settings.api_timeout = positive_ms(key, value);
  else if (key == "client.id.prefix")
    settings.client_id_prefix = value;
  else if (key == "bootstrap.servers")
    settings.bootstrap_servers = value;
  else if (key == "transactional.id")
    throw std::invalid_argument("Kafka sink: transactional ids are the sink's; set a prefix "
                                "(set_transactional_id_prefix) instead of 'transactional.id'");
  else
    settings.properties[key] = value;
}

void validate_kafka_sink_settings(const kafka_sink_settings& settings) {
  if (settings.bootstrap_servers.empty())
    throw std::invalid_argument("Kafka sink: no bootstrap servers set (set_bootstrap_servers)");
  if (settings.guarantee == delivery_guarantee::exactly_once &&
      settings.transactional_id_prefix.empty())
    throw std::invalid_argument("Kafka sink: exactly-once delivery needs a transactional id "
                                "prefix (set_transactional_id_prefix), unique to the job");
  auto protocol = settings.properties.find("security.protocol");
  if (settings.guarantee == delivery_guarantee::exactly_once &&
      protocol != settings.properties.end() && protocol->second != "plaintext" &&
      protocol->second != "PLAINTEXT")
    throw std::invalid_argument(
      "Kafka sink: exactly-once delivery commits restored transactions over plaintext "
      "listeners only; security.protocol is '" +
      protocol->second + "'");
  auto properties = settings.properties;
  properties["bootstrap.servers"] = settings.bootstrap_servers;
  kafka::check_properties(properties);
}

void commit_kafka_transactions(const kafka_sink_settings& settings,
                               std::vector<commit_request<kafka_committable>>& requests) {
  for (auto& request : requests) {
    auto live = kafka::take_live_producer(request.committable().transactional_id);
    if (!live) {
      end_restored_transaction(settings, request);
      continue;
    }
    rd_kafka_error_t* e = live->end_transaction(true, settings.api_timeout);
    if (e == nullptr)
      continue;
    std::string what = rd_kafka_error_string(e);
    bool retriable = rd_kafka_error_is_retriable(e) != 0;
    rd_kafka_error_destroy(e);
    if (retriable) {
      kafka::register_live_producer(std::move(live));
      request.retry_later();
    } else {
      request.signal_failed("cannot commit the Kafka transaction '" +
                            request.committable().transactional_id + "': " + what);
    }
  }
}

} // namespace flinkcpp::detail

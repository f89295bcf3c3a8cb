#pragma once

#include <map>
#include <string>

#include "flinkcpp/kafka_source.hpp"

namespace flinkcpp::kafka {

/// The client properties of a consumer of `settings` named `client_id`:
/// the user's, with the servers and group, and what the source needs (no
/// automatic commits, an event at each partition's end). Without a group
/// id, a group of its own (librdkafka assigns partitions only with one),
/// to which nothing is committed.
std::map<std::string, std::string> consumer_properties(const kafka_source_settings& settings,
                                                       const std::string& client_id);

/// Whether offsets go to Kafka when a checkpoint completes.
bool commits_offsets(const kafka_source_settings& settings);

} // namespace flinkcpp::kafka

#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config_option.hpp"

namespace flinkcpp::options {

// The configuration keys flink-cpp understands, with Flink's names wherever
// Flink has the concept. See core_options.cpp for each key's meaning.

extern const config_option<std::int64_t> parallelism_default;
extern const config_option<std::int64_t> max_parallelism;
extern const config_option<std::string> pipeline_name;
extern const config_option<bool> operator_chaining;
extern const config_option<std::string> runtime_mode;
extern const config_option<std::chrono::milliseconds> buffer_timeout;
extern const config_option<std::uint64_t> segment_size;
extern const config_option<std::int64_t> buffers_per_channel;
extern const config_option<std::int64_t> max_buffers_per_channel;
extern const config_option<std::int64_t> task_slots;
extern const config_option<std::int64_t> local_task_managers;
extern const config_option<std::int64_t> io_pool_size;
extern const config_option<std::string> log_level;

/// Every known key.
const std::vector<option_info>& known_options();

} // namespace flinkcpp::options

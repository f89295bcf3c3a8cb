#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/config_option.hpp"

namespace flinkcpp::options {

// Flink's Table API and SQL client keys flink-cpp's SQL reads (SET in a
// script, or -D). See table_options.cpp for each key's meaning.

extern const config_option<std::chrono::milliseconds> table_exec_state_ttl;
extern const config_option<bool> table_exec_mini_batch_enabled;
extern const config_option<std::chrono::milliseconds> table_exec_mini_batch_allow_latency;
extern const config_option<std::int64_t> table_exec_mini_batch_size;
extern const config_option<std::string> table_local_time_zone;
extern const config_option<bool> table_dml_sync;
extern const config_option<std::string> sql_client_result_mode;

/// The table keys, for the table of known keys.
std::vector<option_info> table_options();

} // namespace flinkcpp::options

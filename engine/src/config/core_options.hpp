#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config_option.hpp"

namespace flinkcpp::options {

// The configuration keys flink-cpp understands, with Flink 2.x's names
// wherever Flink has the concept, and Flink 1.x's older names as deprecated
// keys. See core_options.cpp for each key's meaning.

extern const config_option<std::int64_t> parallelism_default;
extern const config_option<std::int64_t> max_parallelism;
extern const config_option<std::string> pipeline_name;
extern const config_option<bool> operator_chaining;
extern const config_option<std::string> runtime_mode;
extern const config_option<std::chrono::milliseconds> buffer_timeout;
extern const config_option<bool> buffer_timeout_enabled;
extern const config_option<std::chrono::milliseconds> auto_watermark_interval;
extern const config_option<std::uint64_t> segment_size;
extern const config_option<std::uint64_t> remote_batch_size;
extern const config_option<std::int64_t> buffers_per_channel;
extern const config_option<std::int64_t> floating_buffers_per_gate;
extern const config_option<std::int64_t> max_buffers_per_channel;
extern const config_option<std::int64_t> task_slots;
extern const config_option<std::int64_t> local_task_managers;
extern const config_option<double> taskmanager_cpu_cores;
extern const config_option<std::int64_t> io_pool_size;
extern const config_option<std::string> metrics_reporters;
extern const config_option<std::string> prometheus_factory;
extern const config_option<std::string> prometheus_port;
extern const config_option<bool> prometheus_filter_labels;
extern const config_option<std::string> log_file;
extern const config_option<std::string> log_level;
extern const config_option<std::string> log_levels;

// Cluster processes.
extern const config_option<std::string> jobmanager_rpc_address;
extern const config_option<std::int64_t> jobmanager_rpc_port;
extern const config_option<std::string> jobmanager_bind_host;
extern const config_option<std::string> rest_address;
extern const config_option<std::string> rest_bind_address;
extern const config_option<std::int64_t> rest_port;
extern const config_option<std::uint64_t> rest_max_content_length;
extern const config_option<std::string> taskmanager_host;
extern const config_option<std::string> taskmanager_bind_host;
extern const config_option<std::int64_t> taskmanager_data_port;
extern const config_option<std::int64_t> taskmanager_rpc_port;
extern const config_option<std::chrono::milliseconds> heartbeat_interval;
extern const config_option<std::chrono::milliseconds> heartbeat_timeout;
extern const config_option<std::chrono::milliseconds> slot_request_timeout;
extern const config_option<std::string> load_balance_mode;
extern const config_option<std::chrono::milliseconds> registration_timeout;
extern const config_option<bool> web_submit_enable;
extern const config_option<bool> web_cancel_enable;
extern const config_option<std::string> web_upload_dir;
extern const config_option<std::string> rest_authentication_token_file;
extern const config_option<std::string> rest_authentication_read_only_token_file;

// Restart strategies (Flink's restart-strategy.*).
extern const config_option<std::string> restart_strategy;
extern const config_option<std::int64_t> fixed_delay_attempts;
extern const config_option<std::chrono::milliseconds> fixed_delay_delay;
extern const config_option<std::int64_t> failure_rate_max_failures;
extern const config_option<std::chrono::milliseconds> failure_rate_interval;
extern const config_option<std::chrono::milliseconds> failure_rate_delay;
extern const config_option<std::chrono::milliseconds> exponential_initial_backoff;
extern const config_option<std::chrono::milliseconds> exponential_max_backoff;
extern const config_option<double> exponential_multiplier;
extern const config_option<std::chrono::milliseconds> exponential_reset_threshold;
extern const config_option<double> exponential_jitter;
extern const config_option<std::int64_t> exponential_attempts_before_reset;

// Reactive mode (scheduler-mode, jobmanager.adaptive-scheduler.*).
extern const config_option<std::string> failover_strategy;
extern const config_option<std::string> execution_target;
extern const config_option<bool> shutdown_on_application_finish;
extern const config_option<std::string> scheduler;
extern const config_option<std::string> scheduler_mode;
extern const config_option<std::chrono::milliseconds> resource_stabilization_timeout;

// State backends (state.backend.*).
extern const config_option<std::string> state_backend;
extern const config_option<bool> incremental_checkpoints;
extern const config_option<std::string> leveldb_local_dir;
extern const config_option<std::uint64_t> leveldb_block_cache;
extern const config_option<std::uint64_t> leveldb_write_buffer;
extern const config_option<std::int64_t> leveldb_open_files;

// Checkpoints and savepoints (Flink's execution.checkpointing.*, state.*).
extern const config_option<std::chrono::milliseconds> checkpointing_interval;
extern const config_option<std::chrono::milliseconds> checkpointing_timeout;
extern const config_option<std::chrono::milliseconds> checkpointing_min_pause;
extern const config_option<std::int64_t> checkpointing_max_concurrent;
extern const config_option<std::int64_t> checkpointing_tolerable_failures;
extern const config_option<std::string> checkpointing_mode;
extern const config_option<std::string> checkpoint_retention;
extern const config_option<std::string> checkpoints_dir;
extern const config_option<std::string> checkpoint_storage;
extern const config_option<std::int64_t> checkpoints_retained;
extern const config_option<std::string> savepoints_dir;
extern const config_option<std::string> savepoint_path;
extern const config_option<std::string> claim_mode;
extern const config_option<bool> savepoint_ignore_unclaimed_state;
extern const config_option<std::string> high_availability_type;
extern const config_option<std::string> high_availability_storage_dir;

/// Every known key.
const std::vector<option_info>& known_options();

} // namespace flinkcpp::options

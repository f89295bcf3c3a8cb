#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/core_options.hpp"
#include "flinkcpp/configuration.hpp"
#include "flinkcpp/runtime_mode.hpp"
#include "state/checkpoint_storage.hpp"
#include "state/state_backend.hpp"

namespace flinkcpp {

/// Runtime settings of every task of a job (from the configuration). The
/// defaults are the options' defaults.
struct task_settings {
  /// execution.buffer-timeout: negative disables the timer (always in
  /// BATCH mode), zero flushes after every processing step.
  std::chrono::milliseconds buffer_timeout = options::buffer_timeout.default_value();
  /// How often operators making watermarks are asked for them
  /// (pipeline.auto-watermark-interval); zero: never.
  std::chrono::milliseconds auto_watermark_interval =
    options::auto_watermark_interval.default_value();
  /// Credits an input channel grants (taskmanager.network.memory.buffers-per-channel).
  std::uint32_t credits_per_channel =
    static_cast<std::uint32_t>(options::buffers_per_channel.default_value());
  /// Credits an input gate lends to channels with a backlog
  /// (taskmanager.network.memory.floating-buffers-per-gate).
  std::uint32_t floating_per_gate =
    static_cast<std::uint32_t>(options::floating_buffers_per_gate.default_value());
  /// Batches an output channel may queue without credit before the task stops
  /// (taskmanager.network.memory.max-buffers-per-channel).
  std::uint32_t max_queued_per_channel =
    static_cast<std::uint32_t>(options::max_buffers_per_channel.default_value());
  /// Batch size in bytes (taskmanager.memory.segment-size).
  std::size_t batch_bytes = static_cast<std::size_t>(options::segment_size.default_value());
  /// Batch size of channels to another process
  /// (taskmanager.network.remote-batch-size).
  std::size_t remote_batch_bytes =
    static_cast<std::size_t>(options::remote_batch_size.default_value());
  /// Records a source emits per poll before the task yields to other messages.
  std::size_t source_step = 1024;
  /// Whether periodic checkpoints run (execution.checkpointing.interval > 0).
  bool checkpointing = false;
  /// Barrier alignment (execution.checkpointing.mode EXACTLY_ONCE).
  bool exactly_once = options::checkpointing_mode.default_value() == "EXACTLY_ONCE";
  /// Where this job's snapshots go. Set by the job master.
  job_checkpoint_directories checkpoints;
  /// The job's state backend (state.backend.type and its settings).
  state_backend_settings state;
};

/// The task settings a job's configuration asks for (execution.buffer-timeout,
/// taskmanager.memory.segment-size, taskmanager.network.memory.*), for a job
/// graph of `mode` (its execution.runtime-mode resolved: AUTOMATIC with
/// bounded sources is BATCH, which has no timed flushes nor checkpoints).
/// Requires a validated configuration.
task_settings task_settings_from(const configuration& config, runtime_mode mode);

} // namespace flinkcpp

#include "runtime/task_settings.hpp"

#include "config/core_options.hpp"

namespace flinkcpp {

task_settings task_settings_from(const configuration& config, runtime_mode mode) {
  task_settings t;
  // BATCH mode hands batches on when full and at the end of input (as Flink's
  // blocking batch shuffles): nobody waits on a partial batch, and a writer
  // holding records back (pre-aggregation) keeps them to the end.
  bool batch = mode == runtime_mode::batch;
  t.buffer_timeout = options::buffer_timeout_enabled.get(config) && !batch
                       ? options::buffer_timeout.get(config)
                       : std::chrono::milliseconds{-1};
  t.auto_watermark_interval = options::auto_watermark_interval.get(config);
  t.credits_per_channel = static_cast<std::uint32_t>(options::buffers_per_channel.get(config));
  t.floating_per_gate = static_cast<std::uint32_t>(options::floating_buffers_per_gate.get(config));
  t.max_queued_per_channel =
    static_cast<std::uint32_t>(options::max_buffers_per_channel.get(config));
  t.batch_bytes = static_cast<std::size_t>(options::segment_size.get(config));
  t.remote_batch_bytes = static_cast<std::size_t>(options::remote_batch_size.get(config));
  t.checkpointing = options::checkpointing_interval.get(config).count() > 0 && !batch;
  t.exactly_once = options::checkpointing_mode.get(config) == "EXACTLY_ONCE";
  t.state = state_backend_settings_from(config);
  return t;
}

} // namespace flinkcpp

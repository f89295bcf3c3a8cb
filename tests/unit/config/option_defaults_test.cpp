// One source of truth for each option's default: the settings the engine
// reads from an empty configuration are the settings' own defaults, which
// come from the options (config/core_options), so the two never drift apart.

#include <boost/test/unit_test.hpp>

#include "checkpoint/checkpoint_settings.hpp"
#include "runtime/task_settings.hpp"
#include "state/state_backend.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(option_defaults_suite)

BOOST_AUTO_TEST_CASE(task_settings_default_to_the_options_defaults) {
  auto read = task_settings_from(configuration{}, runtime_mode::streaming);
  task_settings plain;
  BOOST_TEST(read.buffer_timeout.count() == plain.buffer_timeout.count());
  BOOST_TEST(read.auto_watermark_interval.count() == plain.auto_watermark_interval.count());
  BOOST_TEST(read.credits_per_channel == plain.credits_per_channel);
  BOOST_TEST(read.floating_per_gate == plain.floating_per_gate);
  BOOST_TEST(read.max_queued_per_channel == plain.max_queued_per_channel);
  BOOST_TEST(read.batch_bytes == plain.batch_bytes);
  BOOST_TEST(read.remote_batch_bytes == plain.remote_batch_bytes);
  BOOST_TEST(read.checkpointing == plain.checkpointing);
  BOOST_TEST(read.exactly_once == plain.exactly_once);
  BOOST_TEST(plain.batch_bytes == 32u * 1024); // Flink's segment size
}

BOOST_AUTO_TEST_CASE(a_batch_job_has_no_timed_flushes_nor_checkpoints_whatever_asked_them) {
  // The job graph's resolved mode decides (AUTOMATIC with bounded sources
  // is BATCH), not the configuration's string.
  configuration config;
  config.set("execution.runtime-mode", "AUTOMATIC");
  config.set("execution.checkpointing.interval", "1s");
  auto streaming = task_settings_from(config, runtime_mode::streaming);
  BOOST_TEST(streaming.checkpointing);
  BOOST_TEST(streaming.buffer_timeout.count() == 100);
  auto batch = task_settings_from(config, runtime_mode::batch);
  BOOST_TEST(!batch.checkpointing);
  BOOST_TEST(batch.buffer_timeout.count() == -1);
}

BOOST_AUTO_TEST_CASE(state_backend_settings_default_to_the_options_defaults) {
  auto read = state_backend_settings_from(configuration{});
  state_backend_settings plain;
  BOOST_TEST(read.type == plain.type);
  BOOST_TEST(read.incremental == plain.incremental);
  BOOST_TEST(read.local_dir == plain.local_dir);
  BOOST_TEST(read.block_cache_bytes == plain.block_cache_bytes);
  BOOST_TEST(read.write_buffer_bytes == plain.write_buffer_bytes);
}

BOOST_AUTO_TEST_CASE(checkpoint_settings_default_to_the_options_defaults) {
  auto read = checkpoint_settings::from(configuration{});
  checkpoint_settings plain;
  BOOST_TEST(read.interval.count() == plain.interval.count());
  BOOST_TEST(read.timeout.count() == plain.timeout.count());
  BOOST_TEST(read.min_pause.count() == plain.min_pause.count());
  BOOST_TEST(read.max_concurrent == plain.max_concurrent);
  BOOST_TEST(read.tolerable_failures == plain.tolerable_failures);
  BOOST_TEST(read.exactly_once == plain.exactly_once);
  BOOST_TEST((read.retention == plain.retention));
  BOOST_TEST(read.retained == plain.retained);
  BOOST_TEST(read.storage.checkpoints_dir() == plain.storage.checkpoints_dir());
  BOOST_TEST(read.storage.savepoints_dir() == plain.storage.savepoints_dir());
  BOOST_TEST(read.state_backend == plain.state_backend);
  BOOST_TEST(read.claim_restored == plain.claim_restored);
  BOOST_TEST(plain.timeout.count() == 600000); // Flink's 10 minutes
}

BOOST_AUTO_TEST_SUITE_END()

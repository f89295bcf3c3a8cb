#include "checkpoint/checkpoint_settings.hpp"

#include "config/core_options.hpp"
#include "state/state_backend.hpp"

namespace flinkcpp {

checkpoint_retention retention_named(const std::string& value) {
  if (value == "DELETE_ON_CANCELLATION")
    return checkpoint_retention::delete_on_cancellation;
  if (value == "RETAIN_ON_CANCELLATION")
    return checkpoint_retention::retain_on_cancellation;
  return checkpoint_retention::no_externalized;
}

checkpoint_settings checkpoint_settings::from(const configuration& config) {
  checkpoint_settings s;
  s.interval = options::checkpointing_interval.get(config);
  s.timeout = options::checkpointing_timeout.get(config);
  s.min_pause = options::checkpointing_min_pause.get(config);
  s.max_concurrent = static_cast<int>(options::checkpointing_max_concurrent.get(config));
  s.tolerable_failures = static_cast<int>(options::checkpointing_tolerable_failures.get(config));
  s.exactly_once = options::checkpointing_mode.get(config) == "EXACTLY_ONCE";
  s.retention = retention_named(options::checkpoint_retention.get(config));
  s.retained = static_cast<int>(options::checkpoints_retained.get(config));
  s.storage = checkpoint_storage::from(config);
  s.state_backend = state_backend_settings_from(config).name();
  s.claim_restored = options::claim_mode.get(config) == "CLAIM";
  return s;
}

} // namespace flinkcpp

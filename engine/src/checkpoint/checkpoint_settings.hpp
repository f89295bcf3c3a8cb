#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/core_options.hpp"
#include "flinkcpp/configuration.hpp"
#include "state/checkpoint_storage.hpp"
#include "state/state_backend.hpp"

namespace flinkcpp {

/// What happens to a job's completed checkpoints when it ends (Flink's
/// ExternalizedCheckpointRetention).
enum class checkpoint_retention {
  no_externalized,        ///< deleted whenever the job ends
  delete_on_cancellation, ///< kept when the job failed
  retain_on_cancellation, ///< kept when it failed or was cancelled
};

/// The retention an execution.checkpointing.externalized-checkpoint-retention
/// value names (a valid one).
checkpoint_retention retention_named(const std::string& value);

/// A job's checkpointing settings (execution.checkpointing.*, state.*), read
/// from a validated configuration. A plain value type; the defaults are the
/// options' defaults.
struct checkpoint_settings {
  /// 0: no periodic checkpoints
  std::chrono::milliseconds interval = options::checkpointing_interval.default_value();
  std::chrono::milliseconds timeout = options::checkpointing_timeout.default_value();
  std::chrono::milliseconds min_pause = options::checkpointing_min_pause.default_value();
  int max_concurrent = static_cast<int>(options::checkpointing_max_concurrent.default_value());
  int tolerable_failures =
    static_cast<int>(options::checkpointing_tolerable_failures.default_value());
  bool exactly_once = options::checkpointing_mode.default_value() == "EXACTLY_ONCE";
  checkpoint_retention retention = retention_named(options::checkpoint_retention.default_value());
  int retained = static_cast<int>(options::checkpoints_retained.default_value());
  checkpoint_storage storage;                                  ///< where snapshots go
  std::string state_backend = state_backend_settings{}.name(); ///< its name, for REST
  /// The snapshot the job starts from becomes its own, retired as its own
  /// checkpoints are (execution.state-recovery.claim-mode CLAIM).
  bool claim_restored = options::claim_mode.default_value() == "CLAIM";

  static checkpoint_settings from(const configuration& config);

  bool periodic() const { return interval.count() > 0; }
};

} // namespace flinkcpp

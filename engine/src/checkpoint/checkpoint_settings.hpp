#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "flinkcpp/configuration.hpp"
#include "state/checkpoint_storage.hpp"

namespace flinkcpp {

/// What happens to a job's completed checkpoints when it ends (Flink's
/// ExternalizedCheckpointRetention).
enum class checkpoint_retention {
  no_externalized,        ///< deleted whenever the job ends
  delete_on_cancellation, ///< kept when the job failed
  retain_on_cancellation, ///< kept when it failed or was cancelled
};

/// A job's checkpointing settings (execution.checkpointing.*, state.*), read
/// from a validated configuration. A plain value type.
struct checkpoint_settings {
  std::chrono::milliseconds interval{0}; ///< 0: no periodic checkpoints
  std::chrono::milliseconds timeout{600000};
  std::chrono::milliseconds min_pause{0};
  int max_concurrent = 1;
  int tolerable_failures = 0;
  bool exactly_once = true;
  checkpoint_retention retention = checkpoint_retention::no_externalized;
  int retained = 1;
  checkpoint_storage storage;                        ///< where snapshots go
  std::string state_backend = "HashMapStateBackend"; ///< its name, for REST
  /// The snapshot the job starts from becomes its own, retired as its own
  /// checkpoints are (execution.state-recovery.claim-mode CLAIM).
  bool claim_restored = false;

  static checkpoint_settings from(const configuration& config);

  bool periodic() const { return interval.count() > 0; }
};

} // namespace flinkcpp

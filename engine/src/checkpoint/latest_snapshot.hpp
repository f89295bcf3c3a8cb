#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "state/checkpoint_storage.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// The newest snapshot of job `job` in `storage` that a jobmanager started
/// again can resume from (high availability): among its retained
/// checkpoints and the savepoints in the default savepoint directory
/// (checkpoint_storage::snapshot_candidates), the completed one with the
/// highest checkpoint id. A snapshot whose metadata cannot be read (torn,
/// corrupt) is passed over and named, with why, in `skipped`. Blocking:
/// reads metadata files.
std::optional<restore_point> find_latest_snapshot(const checkpoint_storage& storage, job_id job,
                                                  std::vector<std::string>& skipped);

} // namespace flinkcpp

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// The newest snapshot of job `job` that a jobmanager started again can
/// resume from (high availability): its retained checkpoints
/// (`checkpoints_dir`/<job>/chk-*) and its savepoints (directly below
/// `savepoints_dir`), the one with the highest checkpoint id. Either folder
/// may be empty (not looked at) or missing. A snapshot whose metadata cannot
/// be read (torn, corrupt) is passed over and named, with why, in `skipped`.
/// Blocking: reads metadata files.
std::optional<restore_point> find_latest_snapshot(const std::string& checkpoints_dir,
                                                  const std::string& savepoints_dir, job_id job,
                                                  std::vector<std::string>& skipped);

} // namespace flinkcpp

#pragma once

#include "cli/job_preparation.hpp"

namespace flinkcpp {

/// Runs a prepared job in an embedded mini-cluster (`run -t local`) and
/// returns the process exit code: 0 when it finished, 1 when it failed or
/// could not start, 128 + signal when SIGINT or SIGTERM cancelled it (its
/// uncommitted output is discarded first). Reports on stderr.
int run_local(const prepared_job& job);

} // namespace flinkcpp

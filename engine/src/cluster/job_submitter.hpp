#pragma once

#include <memory>

#include "cluster/job_info.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Checks a job before anything starts, as the dispatcher expects it: the
/// spec's configuration (validated), its graph (built), the snapshot it
/// starts from (`resume` if given: the newest one of its own, high
/// availability; else execution.state-recovery.path) checked against the graph,
/// and its input. Returns the submission for job `id`, or one line saying
/// what was wrong and what was expected. Blocking: may load a job library
/// and read snapshot metadata.
result<job_submission> prepare_submission(const job_spec& spec, job_id id,
                                          std::shared_ptr<const restore_point> resume = nullptr);

} // namespace flinkcpp

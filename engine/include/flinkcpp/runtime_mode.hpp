#pragma once

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// How a job runs (Flink's `execution.runtime-mode`).
/// - streaming: keyed aggregates emit every update as records arrive.
/// - batch: all sources must be bounded; keyed aggregates emit one final result
///   per key when their input ends.
enum class runtime_mode { streaming, batch };

} // namespace flinkcpp
FLINKCPP_API_END

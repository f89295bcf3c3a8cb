#pragma once

#include <cstddef>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The unit in which cores pass memory between them (64 bytes on x86-64 and
/// on the common AArch64 cores). The objects a subtask changes as records
/// pass (operators, source readers, watermark generators and outputs,
/// record writers) are aligned to it, so that two subtasks' objects, which
/// lie next to each other when a taskmanager deploys them, never share a
/// line: a line one core writes and another reads moves between them at
/// every write (false sharing; Nexmark q1 at -p 2 took up to 1.85x its CPU
/// time in some runs, stalled on such loads).
inline constexpr std::size_t cache_line_size = 64;

} // namespace flinkcpp::detail

FLINKCPP_API_END

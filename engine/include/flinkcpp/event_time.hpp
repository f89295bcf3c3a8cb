#pragma once

#include <cstdint>
#include <limits>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Event time, as in Flink: milliseconds since the epoch. A watermark W says
/// that no record with a timestamp up to W is still to come.
///
/// The watermark before any: what a stream without event time reports.
inline constexpr std::int64_t min_watermark = std::numeric_limits<std::int64_t>::min();
/// The watermark after the last record: a bounded input ended.
inline constexpr std::int64_t max_watermark = std::numeric_limits<std::int64_t>::max();

} // namespace flinkcpp
FLINKCPP_API_END

#pragma once

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// The time a timer is set in (Flink's TimeDomain): event time, which the
/// watermark advances, or processing time, the wall clock of the subtask
/// (spi::processing_clock).
enum class time_domain {
  event_time,
  processing_time,
};

} // namespace flinkcpp
FLINKCPP_API_END

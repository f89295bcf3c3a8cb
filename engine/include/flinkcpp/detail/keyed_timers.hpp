#pragma once

#include <cstdint>

#include "flinkcpp/detail/timer_queue.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The timers of one keyed operator instance in both time domains, and what
/// a timer service reads of the times: the operator's input watermark, its
/// subtask's processing clock, and which domain's timer is firing. Owned by
/// the operator; not thread-safe.
template <class K>
struct keyed_timers {
  explicit keyed_timers(const spi::processing_clock& c) : clock(&c) {}

  timer_queue<K> event_time;
  timer_queue<K> processing_time;
  std::int64_t watermark = min_watermark;
  const spi::processing_clock* clock;
  /// The domain of the timer being fired (meaningful inside on_timer).
  time_domain firing = time_domain::event_time;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

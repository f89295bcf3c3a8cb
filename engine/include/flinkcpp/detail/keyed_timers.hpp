#pragma once

#include <cstdint>
#include <string>

#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/timer_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The timers of one keyed operator instance in both time domains, kept in
/// its state store (as Flink's timer service "user-timers"), and what a
/// timer service reads of the times: the operator's input watermark, its
/// subtask's processing clock, and which domain's timer is firing. Owned by
/// the operator, with the store; not thread-safe.
template <class K>
struct keyed_timers {
  keyed_timers(keyed_state_store<K>& s, const spi::processing_clock& c)
    : store(&s),
      event_time(&s.template timers<K>("_timer_state/event_user-timers")),
      processing_time(&s.template timers<K>("_timer_state/processing_user-timers")),
      clock(&c) {}

  /// Adds the current key's timer at `time` to `table` (a no-op if it exists).
  void add(timer_table<K>& table, std::int64_t time) {
    table.add(time, store->current(), store->current_hash(), store->current_group());
  }

  /// Removes the current key's timer at `time` from `table`, if there is one.
  void remove(timer_table<K>& table, std::int64_t time) {
    table.remove(time, store->current(), store->current_hash(), store->current_group());
  }

  keyed_state_store<K>* store;
  timer_table<K>* event_time;
  timer_table<K>* processing_time;
  std::int64_t watermark = min_watermark;
  const spi::processing_clock* clock;
  /// The domain of the timer being fired (meaningful inside on_timer).
  time_domain firing = time_domain::event_time;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>

#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/windows.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// An aggregation per key and fixed-size window (Flink's WindowOperator with
/// the default trigger of its windows), as a keyed process function: each
/// record folds into the accumulator of every window holding its time (map
/// state "window-contents", by window end), and a timer at each window's
/// max timestamp emits it, carrying that timestamp.
///
/// Event time: the record's timestamp places it; with an allowed lateness
/// the accumulator stays until the watermark passes max timestamp +
/// lateness (a second timer clears it), and a record arriving in that time
/// updates the window and fires it again at once; later records are dropped.
/// Processing time: the subtask's clock places records, and a window is
/// cleared when it fires.
///
/// `Fold`: void(T& accumulator, T&& record), as the rolling aggregations'.
template <class K, class T, class Fold>
class window_fold_function final : public keyed_process_function<K, T, T> {
public:
  using context = typename keyed_process_function<K, T, T>::context;

  /// `lateness_ms` >= 0, and 0 for processing-time windows.
  window_fold_function(fixed_windows windows, std::int64_t lateness_ms, Fold fold)
    : windows_(std::move(windows)),
      lateness_(lateness_ms),
      fold_(std::move(fold)) {}

  void open(context& ctx) override {
    contents_.emplace(ctx.state(map_state_descriptor<std::int64_t, T>{"window-contents"}));
  }

  void process_element(const T& record, context& ctx, collector<T>& out) override {
    auto& timers = ctx.timer_service();
    if (windows_.domain() == time_domain::processing_time) {
      windows_.for_each_window_end(timers.current_processing_time(), [&](std::int64_t end) {
        if (add(end, record))
          timers.register_processing_time_timer(end - 1);
      });
      return;
    }
    auto timestamp = ctx.timestamp();
    if (timestamp == min_watermark)
      throw std::runtime_error(
        "an event-time window got a record without a timestamp: assign timestamps and "
        "watermarks upstream (assign_timestamps_and_watermarks)");
    auto watermark = timers.current_watermark();
    windows_.for_each_window_end(timestamp, [&](std::int64_t end) {
      auto max_timestamp = end - 1;
      if (is_late(max_timestamp, watermark))
        return; // its state is gone: dropped
      bool created = add(end, record);
      if (max_timestamp <= watermark) {
        emit(end, ctx, out); // late, but within the lateness: fires again
        ctx.set_timestamp(timestamp);
      } else if (created) {
        timers.register_event_time_timer(max_timestamp);
      }
      if (created && lateness_ > 0)
        timers.register_event_time_timer(cleanup_time(max_timestamp));
    });
  }

  void on_timer(std::int64_t time, context& ctx, collector<T>& out) override {
    if (time == max_watermark)
      return; // a cleanup time kept below the end of time: the job ends anyway
    auto end = time + 1;
    emit(end, ctx, out);        // the window whose max timestamp this is, if any
    std::int64_t cleaned = end; // and the one whose state goes now
    if (windows_.domain() == time_domain::event_time && lateness_ > 0 &&
        __builtin_sub_overflow(end, lateness_, &cleaned))
      return;
    contents_->remove(cleaned);
  }

private:
  /// Folds `record` into the window ending at `end`; true if that created it.
  bool add(std::int64_t end, const T& record) {
    if (contents_->update(end, [&](T& acc) { fold_(acc, T(record)); }))
      return false;
    contents_->put(end, record);
    return true;
  }

  /// Emits the window ending at `end`, if it has a value, with its max timestamp.
  void emit(std::int64_t end, context& ctx, collector<T>& out) {
    if (auto acc = contents_->get(end)) {
      ctx.set_timestamp(end - 1);
      out.collect(std::move(*acc));
    }
  }

  /// Whether the watermark passed `max_timestamp` + the lateness.
  bool is_late(std::int64_t max_timestamp, std::int64_t watermark) const {
    return max_timestamp <= watermark &&
           static_cast<std::uint64_t>(watermark) - static_cast<std::uint64_t>(max_timestamp) >=
             static_cast<std::uint64_t>(lateness_);
  }

  /// max_timestamp + the lateness, kept below the end of time.
  std::int64_t cleanup_time(std::int64_t max_timestamp) const {
    return max_timestamp > max_watermark - lateness_ ? max_watermark : max_timestamp + lateness_;
  }

  fixed_windows windows_;
  std::int64_t lateness_;
  Fold fold_;
  std::optional<map_state<std::int64_t, T>> contents_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

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

/// An aggregation per key and event-time window, as a keyed process
/// function: each record folds into the accumulator of every window holding
/// its timestamp (map state "window-contents", by window end), and a timer
/// at each window's max timestamp emits and clears it (the emitted record
/// carries that timestamp). Late records (window already emitted) are
/// dropped. `Fold`: void(T& accumulator, T&& record), as the rolling
/// aggregations'.
template <class K, class T, class Fold>
class window_fold_function final : public keyed_process_function<K, T, T> {
public:
  using context = typename keyed_process_function<K, T, T>::context;

  window_fold_function(event_time_windows windows, Fold fold)
    : windows_(std::move(windows)),
      fold_(std::move(fold)) {}

  void open(context& ctx) override {
    contents_.emplace(ctx.state(map_state_descriptor<std::int64_t, T>{"window-contents"}));
  }

  void process_element(const T& record, context& ctx, collector<T>&) override {
    auto timestamp = ctx.timestamp();
    if (timestamp == min_watermark)
      throw std::runtime_error(
        "an event-time window got a record without a timestamp: assign timestamps and "
        "watermarks upstream (assign_timestamps_and_watermarks)");
    auto& timers = ctx.timer_service();
    windows_.for_each_window_end(timestamp, [&](std::int64_t end) {
      if (end - 1 <= timers.current_watermark())
        return; // late: that window was emitted
      if (!contents_->update(end, [&](T& acc) { fold_(acc, T(record)); })) {
        // A new window: its timer comes with it, and goes when it fires.
        contents_->put(end, record);
        timers.register_event_time_timer(end - 1);
      }
    });
  }

  void on_timer(std::int64_t time, context&, collector<T>& out) override {
    auto end = time + 1;
    if (auto acc = contents_->get(end)) {
      contents_->remove(end);
      out.collect(std::move(*acc));
    }
  }

private:
  event_time_windows windows_;
  Fold fold_;
  std::optional<map_state<std::int64_t, T>> contents_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

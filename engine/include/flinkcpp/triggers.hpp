#pragma once

// Flink's built-in triggers, for windows of records of any type T.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "flinkcpp/export.hpp"
#include "flinkcpp/trigger.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

namespace detail {

/// The earliest of the number `name` over a merged window and the windows
/// merged into it (the next firing of the continuous triggers).
template <class T>
std::optional<std::int64_t> earliest_fire_time(typename trigger<T>::merge_context& ctx,
                                               const std::string& name) {
  auto earliest = ctx.state(name);
  for (const auto& w : ctx.merged_windows())
    if (auto other = ctx.state_of(w, name); other && (!earliest || *other < *earliest))
      earliest = other;
  return earliest;
}

} // namespace detail

/// Fires once the watermark passes the window's end (Flink's
/// EventTimeTrigger), and at once for a record arriving after that (within
/// the allowed lateness). The default of event-time windows.
template <class T>
class event_time_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  trigger_result on_element(const T&, std::int64_t, const time_window& window,
                            context& ctx) const override {
    if (window.max_timestamp() <= ctx.current_watermark())
      return trigger_result::fire;
    ctx.register_event_time_timer(window.max_timestamp());
    return trigger_result::continue_;
  }
  trigger_result on_event_time(std::int64_t time, const time_window& window,
                               context&) const override {
    return time == window.max_timestamp() ? trigger_result::fire : trigger_result::continue_;
  }
  bool can_merge() const override { return true; }
  void on_merge(const time_window& window, typename trigger<T>::merge_context& ctx) const override {
    if (window.max_timestamp() > ctx.current_watermark())
      ctx.register_event_time_timer(window.max_timestamp());
  }
  void clear(const time_window& window, context& ctx) const override {
    ctx.delete_event_time_timer(window.max_timestamp());
  }
  std::string describe() const override { return "EventTimeTrigger"; }
};

/// Never fires (the default trigger of global_windows, Flink's
/// GlobalWindows.NeverTrigger).
template <class T>
class never_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  trigger_result on_element(const T&, std::int64_t, const time_window&, context&) const override {
    return trigger_result::continue_;
  }
  bool can_merge() const override { return true; }
  void clear(const time_window&, context&) const override {}
  std::string describe() const override { return "NeverTrigger"; }
};

/// Fires once the processing time passes the window's end (Flink's
/// ProcessingTimeTrigger). The default of processing-time windows.
template <class T>
class processing_time_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  trigger_result on_element(const T&, std::int64_t, const time_window& window,
                            context& ctx) const override {
    ctx.register_processing_time_timer(window.max_timestamp());
    return trigger_result::continue_;
  }
  trigger_result on_processing_time(std::int64_t, const time_window&, context&) const override {
    return trigger_result::fire;
  }
  bool can_merge() const override { return true; }
  void on_merge(const time_window& window, typename trigger<T>::merge_context& ctx) const override {
    if (window.max_timestamp() > ctx.current_processing_time())
      ctx.register_processing_time_timer(window.max_timestamp());
  }
  void clear(const time_window& window, context& ctx) const override {
    ctx.delete_processing_time_timer(window.max_timestamp());
  }
  std::string describe() const override { return "ProcessingTimeTrigger"; }
};

/// Fires every `count` records of a window (Flink's CountTrigger); merged
/// windows add up their counts.
template <class T>
class count_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  /// Throws std::invalid_argument unless count > 0.
  static std::shared_ptr<count_trigger> of(std::int64_t count) {
    if (count <= 0)
      throw std::invalid_argument("count_trigger: the count must be positive");
    return std::shared_ptr<count_trigger>(new count_trigger(count));
  }

  trigger_result on_element(const T&, std::int64_t, const time_window&,
                            context& ctx) const override {
    auto seen = ctx.state(state_name).value_or(0) + 1;
    if (seen >= count_) {
      ctx.clear_state(state_name);
      return trigger_result::fire;
    }
    ctx.set_state(state_name, seen);
    return trigger_result::continue_;
  }
  bool can_merge() const override { return true; }
  void on_merge(const time_window&, typename trigger<T>::merge_context& ctx) const override {
    std::int64_t sum = ctx.state(state_name).value_or(0);
    for (const auto& w : ctx.merged_windows())
      sum += ctx.state_of(w, state_name).value_or(0);
    if (sum > 0)
      ctx.set_state(state_name, sum);
  }
  void clear(const time_window&, context& ctx) const override { ctx.clear_state(state_name); }
  std::string describe() const override { return "CountTrigger(" + std::to_string(count_) + ")"; }

private:
  explicit count_trigger(std::int64_t count) : count_(count) {}
  static constexpr const char* state_name = "count";
  std::int64_t count_;
};

/// Fires periodically every `interval` of event time while the window is
/// open, and at its end (Flink's ContinuousEventTimeTrigger).
template <class T>
class continuous_event_time_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  /// Throws std::invalid_argument unless interval > 0.
  static std::shared_ptr<continuous_event_time_trigger> of(std::chrono::milliseconds interval) {
    if (interval.count() <= 0)
      throw std::invalid_argument("continuous_event_time_trigger: the interval must be positive");
    return std::shared_ptr<continuous_event_time_trigger>(
      new continuous_event_time_trigger(interval.count()));
  }

  trigger_result on_element(const T&, std::int64_t timestamp, const time_window& window,
                            context& ctx) const override {
    if (window.max_timestamp() <= ctx.current_watermark())
      return trigger_result::fire;
    ctx.register_event_time_timer(window.max_timestamp());
    if (!ctx.state(state_name)) {
      auto next = timestamp - floor_mod(timestamp) + interval_;
      ctx.set_state(state_name, next);
      ctx.register_event_time_timer(next);
    }
    return trigger_result::continue_;
  }
  trigger_result on_event_time(std::int64_t time, const time_window& window,
                               context& ctx) const override {
    if (time == window.max_timestamp())
      return trigger_result::fire;
    if (ctx.state(state_name) != time)
      return trigger_result::continue_;
    ctx.set_state(state_name, time + interval_);
    ctx.register_event_time_timer(time + interval_);
    return trigger_result::fire;
  }
  bool can_merge() const override { return true; }
  void on_merge(const time_window& window, typename trigger<T>::merge_context& ctx) const override {
    if (auto next = detail::earliest_fire_time<T>(ctx, state_name)) {
      ctx.set_state(state_name, *next);
      ctx.register_event_time_timer(*next);
    }
    if (window.max_timestamp() > ctx.current_watermark())
      ctx.register_event_time_timer(window.max_timestamp());
  }
  void clear(const time_window& window, context& ctx) const override {
    if (auto next = ctx.state(state_name))
      ctx.delete_event_time_timer(*next);
    ctx.delete_event_time_timer(window.max_timestamp());
    ctx.clear_state(state_name);
  }
  std::string describe() const override {
    return "ContinuousEventTimeTrigger(" + std::to_string(interval_) + ")";
  }

private:
  explicit continuous_event_time_trigger(std::int64_t interval) : interval_(interval) {}
  std::int64_t floor_mod(std::int64_t t) const { return ((t % interval_) + interval_) % interval_; }
  static constexpr const char* state_name = "fire-time";
  std::int64_t interval_;
};

/// Fires periodically every `interval` of processing time while the window
/// receives records (Flink's ContinuousProcessingTimeTrigger).
template <class T>
class continuous_processing_time_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  /// Throws std::invalid_argument unless interval > 0.
  static std::shared_ptr<continuous_processing_time_trigger>
  of(std::chrono::milliseconds interval) {
    if (interval.count() <= 0)
      throw std::invalid_argument(
        "continuous_processing_time_trigger: the interval must be positive");
    return std::shared_ptr<continuous_processing_time_trigger>(
      new continuous_processing_time_trigger(interval.count()));
  }

  trigger_result on_element(const T&, std::int64_t, const time_window&,
                            context& ctx) const override {
    if (!ctx.state(state_name)) {
      auto now = ctx.current_processing_time();
      auto next = now - now % interval_ + interval_;
      ctx.set_state(state_name, next);
      ctx.register_processing_time_timer(next);
    }
    return trigger_result::continue_;
  }
  trigger_result on_processing_time(std::int64_t time, const time_window&,
                                    context& ctx) const override {
    if (ctx.state(state_name) != time)
      return trigger_result::continue_;
    ctx.set_state(state_name, time + interval_);
    ctx.register_processing_time_timer(time + interval_);
    return trigger_result::fire;
  }
  bool can_merge() const override { return true; }
  void on_merge(const time_window&, typename trigger<T>::merge_context& ctx) const override {
    if (auto next = detail::earliest_fire_time<T>(ctx, state_name)) {
      ctx.set_state(state_name, *next);
      ctx.register_processing_time_timer(*next);
    }
  }
  void clear(const time_window&, context& ctx) const override {
    if (auto next = ctx.state(state_name))
      ctx.delete_processing_time_timer(*next);
    ctx.clear_state(state_name);
  }
  std::string describe() const override {
    return "ContinuousProcessingTimeTrigger(" + std::to_string(interval_) + ")";
  }

private:
  explicit continuous_processing_time_trigger(std::int64_t interval) : interval_(interval) {}
  static constexpr const char* state_name = "fire-time";
  std::int64_t interval_;
};

/// Turns every firing of `nested` into a firing that also purges the
/// window (Flink's PurgingTrigger).
template <class T>
class purging_trigger final : public trigger<T> {
public:
  using context = typename trigger<T>::context;

  /// Throws std::invalid_argument for a null trigger.
  static std::shared_ptr<purging_trigger> of(std::shared_ptr<const trigger<T>> nested) {
    if (!nested)
      throw std::invalid_argument("purging_trigger: the nested trigger is null");
    return std::shared_ptr<purging_trigger>(new purging_trigger(std::move(nested)));
  }

  trigger_result on_element(const T& record, std::int64_t timestamp, const time_window& window,
                            context& ctx) const override {
    return purge_on_fire(nested_->on_element(record, timestamp, window, ctx));
  }
  trigger_result on_event_time(std::int64_t time, const time_window& window,
                               context& ctx) const override {
    return purge_on_fire(nested_->on_event_time(time, window, ctx));
  }
  trigger_result on_processing_time(std::int64_t time, const time_window& window,
                                    context& ctx) const override {
    return purge_on_fire(nested_->on_processing_time(time, window, ctx));
  }
  bool can_merge() const override { return nested_->can_merge(); }
  void on_merge(const time_window& window, typename trigger<T>::merge_context& ctx) const override {
    nested_->on_merge(window, ctx);
  }
  void clear(const time_window& window, context& ctx) const override {
    nested_->clear(window, ctx);
  }
  std::string describe() const override { return "PurgingTrigger(" + nested_->describe() + ")"; }

private:
  explicit purging_trigger(std::shared_ptr<const trigger<T>> nested) : nested_(std::move(nested)) {}
  static trigger_result purge_on_fire(trigger_result r) {
    return fires(r) ? trigger_result::fire_and_purge : r;
  }
  std::shared_ptr<const trigger<T>> nested_;
};

} // namespace flinkcpp
FLINKCPP_API_END

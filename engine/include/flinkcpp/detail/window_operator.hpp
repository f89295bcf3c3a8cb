#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/keyed_input.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/detail/timer_table.hpp"
#include "flinkcpp/detail/window_contents.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/process_window_function.hpp"
#include "flinkcpp/state.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/time_window.hpp"
#include "flinkcpp/trigger.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A timer of a window operator: a key and one of its windows.
template <class K>
struct window_timer {
  K key{};
  time_window window;
  friend bool operator==(const window_timer&, const window_timer&) = default;
};

template <class Inspector, class K>
auto inspect(Inspector& f, window_timer<K>& x) {
  return f(x.key, x.window);
}

/// A trigger's number `name` for one window (of the current key).
struct trigger_state_key {
  std::string name;
  time_window window;
  friend bool operator==(const trigger_state_key&, const trigger_state_key&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, trigger_state_key& x) {
  return f(x.name, x.window);
}

/// How a windowed stream's windows behave: which windows a record goes to,
/// when they fire, how late records may be, where too-late records go.
template <class T, class Assigner>
struct window_settings {
  Assigner assigner;
  std::shared_ptr<const flinkcpp::trigger<T>> trigger;
  std::int64_t lateness = 0; ///< ms, >= 0; 0 for processing time
  std::optional<output_tag<T>> late_data;
};

/// Flink's WindowOperator for a keyed stream of In: each record goes into
/// the windows the assigner gives for its time (its timestamp, or the
/// processing time), merging session windows as they touch; the trigger of
/// each (key, window) decides when it fires, which hands the window's
/// contents (the `Contents` policy: folded, aggregated or listed, or all
/// records with their timestamps through an evictor) to the `Finish`
/// policy (emit, or a process window function), carrying the window's max
/// timestamp. User functions in the policies get open(runtime_context) and
/// close() with the operator's.
///
/// State, per key: "window-contents" (window -> contents),
/// "window-trigger-state" (the triggers' numbers), and for merging windows
/// "merging-window-set" (the key's sessions). Timers are per key and window
/// and kept in the store too (as Flink's timer service "window-timers"),
/// so they move with their keys; timers of jobs that checkpointed them as
/// union lists are taken in on restore.
///
/// Lateness (event time): a window lives until the watermark passes its
/// max timestamp + the allowed lateness (its cleanup time); a record whose
/// windows are all past that is late: it goes to the late-data side output
/// if there is one, else it is dropped and counted (numLateRecordsDropped).
/// Processing-time windows are cleaned up when they end.
template <class In, class KeyFn, class Assigner, class Contents, class Finish>
class window_operator final
  : public keyed_input_operator<In, typename Finish::output_type, KeyFn,
                                window_operator<In, KeyFn, Assigner, Contents, Finish>> {
public:
  using key_type = key_type_t<KeyFn, In>;
  using acc_type = typename Contents::acc_type;

  window_operator(KeyFn key, window_settings<In, Assigner> settings, Contents contents,
                  Finish finish, const spi::operator_context& context)
    : window_operator::keyed_input_operator(std::move(key)),
      settings_(std::move(settings)),
      event_time_(settings_.assigner.domain() == time_domain::event_time),
      contents_(std::move(contents)),
      finish_(std::move(finish)),
      store_(context, context.operator_id),
      max_parallelism_(context.max_parallelism),
      clock_(context.clock),
      runtime_(context),
      late_records_dropped_(&runtime_.metrics().counter("numLateRecordsDropped")),
      event_timers_(
        &store_.template timers<window_timer<key_type>>("_timer_state/event_window-timers")),
      processing_timers_(
        &store_.template timers<window_timer<key_type>>("_timer_state/processing_window-timers")),
      trigger_context_(*this),
      window_context_(store_, watermark_, *clock_, side_, window_, runtime_, Assigner::merging) {}

  void set_side_output(const std::string& tag, spi::collector_ref out) override {
    side_.connect(tag, out);
  }

  void open() override {
    contents_state_.emplace(
      store_.state(map_state_descriptor<time_window, acc_type>{"window-contents"}));
    trigger_state_.emplace(
      store_.state(map_state_descriptor<trigger_state_key, std::int64_t>{"window-trigger-state"}));
    if constexpr (Assigner::merging)
      sessions_.emplace(
        store_.state(value_state_descriptor<std::vector<time_window>>{"merging-window-set"}));
    open_function(contents_, runtime_);
    open_function(finish_, runtime_);
  }

  void close() override {
    close_function(contents_);
    close_function(finish_);
  }

  std::int64_t process_watermark(std::int64_t watermark) override {
    watermark_ = watermark;
    watermark_pending_ = !fire_due_timers(
      *event_timers_, watermark, [&](auto& due) { on_timer(due, time_domain::event_time); });
    return watermark_pending_ ? min_watermark : watermark;
  }

  bool watermark_pending() const override { return watermark_pending_; }

  std::optional<std::int64_t> next_processing_timer() const override {
    return processing_timers_->next();
  }

  void on_processing_time(std::int64_t now) override {
    fire_due_timers(*processing_timers_, now,
                    [&](auto& due) { on_timer(due, time_domain::processing_time); });
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    store_.snapshot(snapshot);
  }

  void restore_state(const spi::operator_restore& state) override {
    store_.restore(state);
    restore_listed_timers(state.list(event_time_list), *event_timers_);
    restore_listed_timers(state.list(processing_time_list), *processing_timers_);
  }

private:
  using timers = timer_table<window_timer<key_type>>;

  /// The trigger's view of the current key and window_.
  class trigger_context final : public trigger<In>::merge_context {
  public:
    explicit trigger_context(window_operator& op) : op_(&op) {}

    std::int64_t current_watermark() const override { return op_->watermark_; }
    std::int64_t current_processing_time() const override { return op_->clock_->now_ms(); }
    void register_event_time_timer(std::int64_t time) override {
      op_->add_timer(*op_->event_timers_, time);
    }
    void delete_event_time_timer(std::int64_t time) override {
      op_->remove_timer(*op_->event_timers_, time);
    }
    void register_processing_time_timer(std::int64_t time) override {
      op_->add_timer(*op_->processing_timers_, time);
    }
    void delete_processing_time_timer(std::int64_t time) override {
      op_->remove_timer(*op_->processing_timers_, time);
    }
    std::optional<std::int64_t> state(const std::string& name) override {
      return state_of(op_->window_, name);
    }
    void set_state(const std::string& name, std::int64_t value) override {
      op_->trigger_state_->put({name, op_->window_}, value);
    }
    void clear_state(const std::string& name) override {
      op_->trigger_state_->remove({name, op_->window_});
    }
    const std::vector<time_window>& merged_windows() const override { return op_->merged_; }
    std::optional<std::int64_t> state_of(const time_window& window,
                                         const std::string& name) override {
      return op_->trigger_state_->get({name, window});
    }

  private:
    window_operator* op_;
  };

  friend class keyed_input_operator<In, typename Finish::output_type, KeyFn, window_operator>;

  void process(const In& record, std::uint64_t hash) {
    const key_type& key = this->key_of(record); // a member's key is not copied
    store_.set_current_key(key, hash);
    auto record_timestamp = this->timestamp().value;
    auto time = record_timestamp;
    if (!event_time_) {
      time = clock_->now_ms();
    } else if (time == min_watermark) {
      throw std::runtime_error(
        "an event-time window got a record without a timestamp: assign timestamps and "
        "watermarks upstream (assign_timestamps_and_watermarks)");
    }
    bool skipped = true;
    settings_.assigner.assign(record, time, [&](time_window assigned) {
      std::optional<time_window> window = assigned;
      if constexpr (Assigner::merging)
        window = add_to_sessions(assigned);
      else if (is_late(assigned))
        window.reset();
      if (!window)
        return;
      skipped = false;
      if (!contents_state_->update(
            *window, [&](acc_type& acc) { contents_.add(acc, record, record_timestamp); }))
        contents_state_->put(*window, contents_.create(record, record_timestamp));
      window_ = *window;
      act_on(settings_.trigger->on_element(record, time, *window, trigger_context_), *window);
      register_cleanup_timer(*window);
    });
    if (skipped && is_late_record(time)) {
      this->timestamp().value = record_timestamp;
      if (settings_.late_data)
        side_.emit(*settings_.late_data, In(record));
      else
        late_records_dropped_->inc();
    }
  }

  /// Adds the session `window` to the current key's, merging it with those
  /// it touches. Returns the session it is part of then, or nullopt if that
  /// is late (the record is dropped).
  std::optional<time_window> add_to_sessions(const time_window& window) {
    auto sessions = sessions_->value().value_or(std::vector<time_window>{});
    time_window merged = window;
    merged_.clear();
    for (const auto& s : sessions)
      if (s.intersects(window)) {
        merged_.push_back(s);
        merged = merged.cover(s);
      }
    if (merged_.size() == 1 && merged_.front() == merged)
      return merged; // inside a session (sessions are cleaned up before they are late)
    if (merged_.empty() && is_late(window))
      return std::nullopt;
    std::erase_if(sessions, [&](const time_window& s) { return s.intersects(window); });
    sessions.push_back(merged);
    sessions_->update(std::move(sessions));
    if (merged_.empty())
      return merged;
    window_ = merged;
    settings_.trigger->on_merge(merged, trigger_context_);
    std::optional<acc_type> acc;
    for (const auto& m : merged_) {
      window_ = m;
      settings_.trigger->clear(m, trigger_context_);
      remove_timer(cleanup_timers(), cleanup_time(m));
      if (auto contents = contents_state_->get(m)) {
        contents_state_->remove(m);
        if (acc)
          contents_.merge(*acc, std::move(*contents));
        else
          acc = std::move(contents);
      }
    }
    if (acc)
      contents_state_->put(merged, std::move(*acc));
    return merged;
  }

  void on_timer(keyed_timer<window_timer<key_type>>& due, time_domain domain) {
    store_.set_current_key(due.payload.key, due.key_hash);
    window_ = due.payload.window;
    if constexpr (Assigner::merging) {
      auto sessions = sessions_->value();
      if (!sessions || std::find(sessions->begin(), sessions->end(), window_) == sessions->end())
        return; // merged away meanwhile
    }
    auto result =
      domain == time_domain::event_time
        ? settings_.trigger->on_event_time(due.timestamp, window_, trigger_context_)
        : settings_.trigger->on_processing_time(due.timestamp, window_, trigger_context_);
    act_on(result, window_);
    if (domain == settings_.assigner.domain() && due.timestamp == cleanup_time(window_))
      clear_window(window_);
  }

  /// Fires and/or purges `window` as the trigger said.
  void act_on(trigger_result result, const time_window& window) {
    if (fires(result))
      if (auto acc = contents_state_->get(window)) {
        this->timestamp().value = window.max_timestamp();
        window_ = window;
        if constexpr (evicts<Contents>)
          fire_evicting(std::move(*acc), window, purges(result));
        else
          finish_.emit(store_.current(), window_context_, contents_.result(std::move(*acc)),
                       this->output());
      }
    if (purges(result))
      contents_state_->remove(window);
  }

  /// Fires `window` through the evictor; the records it leaves stay in
  /// the window unless it is purged right after.
  void fire_evicting(acc_type&& acc, const time_window& window, bool purged) {
    typename Contents::eviction_context ctx{watermark_, clock_->now_ms()};
    if (auto result = contents_.fire(acc, window, ctx))
      finish_.emit(store_.current(), window_context_, std::move(*result), this->output());
    contents_.after_fire(acc, window, ctx);
    if (purged)
      return;
    if (acc.empty())
      contents_state_->remove(window);
    else
      contents_state_->put(window, std::move(acc));
  }

  /// Drops everything of `window` (its cleanup time came).
  void clear_window(const time_window& window) {
    window_ = window;
    contents_state_->remove(window);
    settings_.trigger->clear(window, trigger_context_);
    finish_.clear(window_context_);
    if constexpr (Assigner::merging) {
      auto sessions = sessions_->value().value_or(std::vector<time_window>{});
      std::erase(sessions, window);
      if (sessions.empty())
        sessions_->clear();
      else
        sessions_->update(std::move(sessions));
    }
  }

  /// When `window`'s state goes: its max timestamp, plus the allowed
  /// lateness in event time (kept below the end of time); the global window
  /// stays (the end of time: never).
  std::int64_t cleanup_time(const time_window& window) const {
    auto max = window.max_timestamp();
    if (max == max_watermark)
      return max_watermark;
    return max > max_watermark - settings_.lateness ? max_watermark : max + settings_.lateness;
  }

  bool is_late(const time_window& window) const {
    return event_time_ && cleanup_time(window) <= watermark_;
  }

  /// Whether a record of event time `time` is past the allowed lateness:
  /// time + lateness <= the watermark.
  bool is_late_record(std::int64_t time) const {
    return event_time_ && time <= watermark_ &&
           static_cast<std::uint64_t>(watermark_) - static_cast<std::uint64_t>(time) >=
             static_cast<std::uint64_t>(settings_.lateness);
  }

  void register_cleanup_timer(const time_window& window) {
    auto time = cleanup_time(window);
    if (time != max_watermark) // the job ends first
      add_timer(cleanup_timers(), time);
  }

  /// Adds the timer `time` of the current key and window_ to `table`.
  void add_timer(timers& table, std::int64_t time) {
    table.add(time, current_timer(), store_.current_hash(), store_.current_group());
  }

  /// Removes the timer `time` of the current key and window_ from `table`.
  void remove_timer(timers& table, std::int64_t time) {
    table.remove(time, current_timer(), store_.current_hash(), store_.current_group());
  }

  void restore_listed_timers(const std::vector<std::string>& entries, timers& to) {
    read_listed_timers<window_timer<key_type>>(
      entries, store_.key_groups(), max_parallelism_,
      [&](const keyed_timer<window_timer<key_type>>& t, int g) {
        to.add(t.timestamp, t.payload, t.key_hash, g);
      });
  }

  timers& cleanup_timers() { return event_time_ ? *event_timers_ : *processing_timers_; }

  window_timer<key_type> current_timer() const { return {store_.current(), window_}; }

  static constexpr const char* event_time_list = "window-event-time-timers";
  static constexpr const char* processing_time_list = "window-processing-time-timers";

  window_settings<In, Assigner> settings_;
  bool event_time_;
  Contents contents_;
  Finish finish_;
  keyed_state_store<key_type> store_;
  int max_parallelism_;
  const spi::processing_clock* clock_;
  runtime_context runtime_;
  counter* late_records_dropped_; ///< Flink's numLateRecordsDropped
  std::int64_t watermark_ = min_watermark;
  bool watermark_pending_ = false; ///< due event-time timers left for the next step
  timers* event_timers_;
  timers* processing_timers_;
  side_outputs side_;
  std::optional<map_state<time_window, acc_type>> contents_state_;
  std::optional<map_state<trigger_state_key, std::int64_t>> trigger_state_;
  std::optional<value_state<std::vector<time_window>>> sessions_;
  time_window window_;              ///< the window being worked on
  std::vector<time_window> merged_; ///< the windows being merged into window_
  trigger_context trigger_context_;
  window_context<key_type> window_context_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

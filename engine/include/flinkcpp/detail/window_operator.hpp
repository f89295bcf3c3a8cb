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

/// A session of a key and the window its contents are kept under: the
/// first window of the session, which stays as the session grows and
/// merges, so contents do not move (an entry of Flink's MergingWindowSet).
/// With the default event-time trigger, also the time of the one timer the
/// operator keeps for the session (else min_watermark).
struct merging_window {
  time_window window;
  time_window state;
  std::int64_t timer = min_watermark;
  friend bool operator==(const merging_window&, const merging_window&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, merging_window& x) {
  return f(x.window, x.state, x.timer);
}

/// A session with its contents in its own entry (sessions of folded or
/// aggregated contents: see contents_in_sessions); none once purged.
template <class Acc>
struct session_with_contents : merging_window {
  session_with_contents() = default;
  explicit session_with_contents(const merging_window& session) : merging_window(session) {}
  std::optional<Acc> contents;
};

template <class Inspector, class Acc>
auto inspect(Inspector& f, session_with_contents<Acc>& x) {
  return f(x.window, x.state, x.timer, x.contents);
}

/// The table of a window's contents that are not kept in their session:
/// listed contents are list state (appended to per record, whatever the
/// backend), others one value each.
template <class C, bool = listed<C>>
struct window_contents_table {
  using type = value_table<typename C::acc_type>;
};
template <class C>
struct window_contents_table<C, true> {
  using type = list_table<typename C::element_type>;
};

/// Whether sessions keep the contents of the policy C in their own entry
/// (folded and aggregated contents: one value, changed in place), found
/// with the session then, rather than in the per-window contents state
/// (listed and evicting contents, which grow with every record).
template <class C>
inline constexpr bool contents_in_sessions = false;
template <class T, class Fold>
inline constexpr bool contents_in_sessions<folded_contents<T, Fold>> = true;
template <class T, class Agg>
inline constexpr bool contents_in_sessions<aggregated_contents<T, Agg>> = true;

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
  bool default_trigger = true; ///< the trigger is the assigner's default
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
/// State, per key: "window-contents" (per window: the contents; a list
/// state for listed contents, so that a record is appended rather than the
/// window's list rewritten),
/// "window-trigger-state" (the triggers' numbers), and for merging windows
/// "merging-window-set" (the key's sessions, each with the window its
/// contents are kept under: merging moves no contents but those of the
/// second and later sessions merged). Sessions of folded or aggregated
/// contents hold them in their entry instead (no "window-contents"): a
/// record finds its session and its contents with one lookup. Timers are per key and window
/// and kept in the store too (as Flink's timer service "window-timers"),
/// so they move with their keys; timers of jobs that checkpointed them as
/// union lists are taken in on restore.
///
/// Lateness (event time): a window lives until the watermark passes its
/// max timestamp + the allowed lateness (its cleanup time); a record whose
/// windows are all past that is late: it goes to the late-data side output
/// if there is one, else it is dropped and counted (numLateRecordsDropped).
/// Processing-time windows are cleaned up when they end.
///
/// Event-time windows with the default trigger (which only fires a window
/// when the watermark reaches its end, or at once for a record coming
/// after that) have their timers kept by the operator, not asked for at
/// every record: a window's timers are added with its contents; a session
/// keeps one timer, which, when it comes due, moves to the end the session
/// has grown to, and from there to its cleanup time (the session keeps the
/// timer's time, so a timer it no longer has is told apart). Windows fire
/// at the same watermarks, with the same results, as through the trigger,
/// without a timer lookup at every record, nor a timer deleted and another
/// added at every record that grows a session.
template <class In, class KeyFn, class Assigner, class Contents, class Finish>
class window_operator final
  : public keyed_input_operator<In, typename Finish::output_type, KeyFn,
                                window_operator<In, KeyFn, Assigner, Contents, Finish>> {
public:
  using key_type = key_type_t<KeyFn, In>;
  using acc_type = typename Contents::acc_type;
  static constexpr bool inline_contents = Assigner::merging && contents_in_sessions<Contents>;
  static constexpr bool list_contents = listed<Contents>;
  /// An entry of a key's sessions (Flink's MergingWindowSet), which are
  /// sorted by their windows' starts and pairwise apart (neither overlapping
  /// nor touching: those merge).
  using session_entry =
    std::conditional_t<inline_contents, session_with_contents<acc_type>, merging_window>;
  using session_list = std::vector<session_entry>;

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
      default_timers_(settings_.default_trigger && event_time_),
      trigger_context_(*this),
      session_contents_(*this),
      window_context_(store_, watermark_, *clock_, side_, window_, runtime_, Assigner::merging) {}

  void set_side_output(const std::string& tag, spi::collector_ref out) override {
    side_.connect(tag, out);
  }

  void open() override {
    if constexpr (list_contents) {
      using element = typename Contents::element_type;
      window_contents_ = &store_.template window_list_table_of<element>(
        list_state_descriptor<element>{"window-contents"});
    } else if constexpr (!inline_contents) {
      window_contents_ = &store_.template window_value_table_of<acc_type>(
        value_state_descriptor<acc_type>{"window-contents"});
    }
    trigger_state_.emplace(
      store_.state(map_state_descriptor<trigger_state_key, std::int64_t>{"window-trigger-state"}));
    if constexpr (Assigner::merging)
      sessions_ = &store_.template value_table_of<session_list>(
        value_state_descriptor<session_list>{"merging-window-set"});
    open_function(contents_, runtime_);
    open_function(finish_, runtime_);
  }

  void close() override {
    close_function(contents_);
    close_function(finish_);
  }

  std::int64_t process_watermark(std::int64_t watermark) override {
    watermark_ = watermark;
    added_.table = nullptr;
    watermark_pending_ = !fire_due_timers(
      *event_timers_, watermark, [&](auto& due) { on_timer(due, time_domain::event_time); });
    return watermark_pending_ ? min_watermark : watermark;
  }

  bool watermark_pending() const override { return watermark_pending_; }

  std::optional<std::int64_t> next_processing_timer() const override {
    return processing_timers_->next();
  }

  void on_processing_time(std::int64_t now) override {
    added_.table = nullptr;
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

  /// The contents of the current key's session kept under the window at(),
  /// in its entry of the key's sessions (inline_contents): what
  /// contents_of() offers otherwise (value_table's get, update and erase).
  class session_contents {
  public:
    explicit session_contents(window_operator& op) : op_(&op) {}

    void at(const time_window& state) { state_ = state; }

    const acc_type* get() {
      const auto* sessions = op_->sessions_->get();
      if (sessions == nullptr)
        return nullptr;
      auto found = std::find_if(sessions->begin(), sessions->end(),
                                [&](const session_entry& s) { return s.state == state_; });
      return found != sessions->end() && found->contents ? &*found->contents : nullptr;
    }
    void erase() {
      change([](std::optional<acc_type>& contents) {
        bool had = contents.has_value();
        contents.reset();
        return had;
      });
    }
    template <class F>
    bool update(F&& fn) {
      bool found = false;
      change([&](std::optional<acc_type>& contents) {
        found = contents.has_value();
        return found && fn(*contents);
      });
      return found;
    }

  private:
    /// fn(the session's contents), which returns whether it changed them;
    /// nothing when the current key has no such session.
    template <class F>
    void change(F&& fn) {
      op_->sessions_->update([&](session_list& sessions) {
        auto s = std::find_if(sessions.begin(), sessions.end(),
                              [&](const session_entry& e) { return e.state == state_; });
        return s != sessions.end() && fn(s->contents);
      });
    }

    window_operator* op_;
    time_window state_;
  };

  friend class keyed_input_operator<In, typename Finish::output_type, KeyFn, window_operator>;

  void process(const In& record, std::uint64_t hash) {
    const key_type& key = this->key_of(record); // a member's key is not copied
    store_.set_current_key(key, hash);
    added_.table = nullptr;
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
      std::optional<merging_window> window = merging_window{assigned, assigned};
      if constexpr (Assigner::merging)
        window = add_to_sessions(assigned, [&](std::optional<acc_type>& contents) {
          if constexpr (inline_contents) {
            if (contents)
              contents_.add(*contents, record, record_timestamp);
            else
              contents.emplace(contents_.create(record, record_timestamp));
          }
        });
      else if (is_late(assigned))
        window.reset();
      if (!window)
        return;
      skipped = false;
      bool created = false;
      if constexpr (!inline_contents)
        created = add_to_contents(window->state, record, record_timestamp);
      window_ = window->window;
      if (default_timers_) {
        auto end = window_.max_timestamp();
        if (end <= watermark_)
          act_on(trigger_result::fire, *window); // as the trigger does for a late record
        if constexpr (!Assigner::merging)
          if (created) { // the timers the trigger and the cleanup ask for, once
            if (end > watermark_)
              add_timer(*event_timers_, end);
            register_cleanup_timer(window_);
          }
        return;
      }
      act_on(settings_.trigger->on_element(record, time, window_, trigger_context_), *window);
      register_cleanup_timer(window->window);
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
  /// it touches (their contents go to the first's). Returns the session it
  /// is part of then, or nullopt if that is late (the record is dropped).
  /// With inline_contents, add(contents) puts the record into that
  /// session's contents (in the same lookup). With default_timers_, the
  /// session keeps a timer of those it merges, or adds one (at the
  /// returned session's timer).
  template <class Add>
  std::optional<merging_window> add_to_sessions(const time_window& window, Add&& add) {
    merging_window merged{window, window};
    merged_.clear();
    bool timer_moved = false;
    std::vector<time_window> moved; // contents windows merged into merged.state
    bool late = false;
    change_sessions([&](session_list& sessions) {
      // The sessions it touches, [first, last): sorted and apart, so those
      // that start by its end and end from its start on (found from the
      // back, where records in time order find theirs at once).
      auto last = sessions.end();
      while (last != sessions.begin() && std::prev(last)->window.start > window.end)
        --last;
      auto first = last;
      while (first != sessions.begin() && std::prev(first)->window.end >= window.start)
        --first;
      for (auto s = first; s != last; ++s) {
        if (merged_.empty()) {
          merged.state = s->state;
          merged.timer = s->timer;
        } else if constexpr (!inline_contents) // else merged into the first's below
          moved.push_back(s->state);
        merged_.push_back(s->window);
        merged.window = merged.window.cover(s->window);
      }
      if (merged_.size() == 1 && merged_.front() == merged.window) {
        // Inside a session (sessions are cleaned up before they are late).
        if constexpr (inline_contents) {
          add(first->contents);
          return true;
        }
        return false;
      }
      if (merged_.empty() && is_late(window)) {
        late = true;
        return false;
      }
      if (default_timers_) {
        // The latest timer of those it merges that comes by the time the
        // session needs one, so that a timer sessions merged away still
        // have does not come due only to be added again; else a new one.
        auto due = session_timer(merged.window);
        merged.timer = min_watermark;
        for (auto s = first; s != last; ++s)
          if (s->timer != min_watermark && s->timer <= due)
            merged.timer = std::max(merged.timer, s->timer);
        if (merged.timer == min_watermark) {
          merged.timer = due;
          timer_moved = true;
        }
      }
      if (first == last) {
        auto added = sessions.insert(first, session_entry{merged});
        if constexpr (inline_contents)
          add(added->contents);
        return true;
      }
      // In place of the first it touches: a growing session moves nothing.
      static_cast<merging_window&>(*first) = merged;
      if constexpr (inline_contents) {
        for (auto other = first + 1; other != last; ++other)
          if (other->contents)
            merge_contents(first->contents, std::move(*other->contents));
        add(first->contents);
      }
      sessions.erase(first + 1, last);
      return true;
    });
    if (late)
      return std::nullopt;
    if (timer_moved) {
      window_ = merged.window;
      add_timer(*event_timers_, merged.timer);
    }
    if (merged_.empty() || (merged_.size() == 1 && merged_.front() == merged.window))
      return merged;
    if (default_timers_) {
      move_contents(moved, merged.state);
      return merged;
    }
    window_ = merged.window;
    settings_.trigger->on_merge(merged.window, trigger_context_);
    for (const auto& m : merged_) {
      window_ = m;
      settings_.trigger->clear(m, trigger_context_);
      remove_timer(cleanup_timers(), cleanup_time(m));
    }
    move_contents(moved, merged.state);
    return merged;
  }

  /// Merges the contents of the windows `from` into those of `to` (sessions
  /// that keep their contents merged them as they merged).
  void move_contents(const std::vector<time_window>& from, const time_window& to) {
    if constexpr (!inline_contents)
      for (const auto& w : from)
        if (auto taken = take_contents(w)) {
          if constexpr (list_contents) {
            auto& contents = list_at(to);
            for (auto& element : *taken)
              contents.add(std::move(element));
          } else {
            auto& contents = contents_of(to);
            if (!contents.update([&](acc_type& acc) {
                  contents_.merge(acc, std::move(*taken));
                  return true;
                }))
              contents.put(std::move(*taken));
          }
        }
  }

  /// Merges `from` into the contents `to` (which may have none).
  void merge_contents(std::optional<acc_type>& to, acc_type&& from) {
    if (to)
      contents_.merge(*to, std::move(from));
    else
      to.emplace(std::move(from));
  }

  /// When the session `window` needs its timer (default_timers_): at its
  /// end, or at its cleanup time once the watermark passed its end.
  std::int64_t session_timer(const time_window& window) const {
    auto end = window.max_timestamp();
    return end > watermark_ ? end : cleanup_time(window);
  }

  /// A session's timer came due (default_timers_): the current key's
  /// session holding window_ fires at its end and goes at its cleanup time;
  /// a session that grew since moves its timer on. A timer its session no
  /// longer has (it merged with one whose timer it kept) does nothing.
  /// The session is found, moved on or dropped in one change of the key's
  /// sessions, which also takes the contents kept in its entry.
  void on_session_timer(std::int64_t time) {
    merging_window session;
    std::optional<acc_type> fired; // inline_contents: those of a session firing
    bool due = false;
    std::int64_t next = 0;
    change_sessions([&](session_list& all) {
      auto found = std::find_if(all.begin(), all.end(), [&](const merging_window& s) {
        return s.window.start <= window_.start && window_.end <= s.window.end;
      });
      if (found == all.end() || (found->timer != time && found->timer != min_watermark))
        return false; // min_watermark: a session from a checkpoint of timers per record
      due = true;
      session = *found;
      auto end = session.window.max_timestamp();
      next = time < end ? end : cleanup_time(session.window);
      if constexpr (inline_contents)
        if (time == end && found->contents) // moved out when the session goes
          fired = next <= time ? std::move(found->contents) : found->contents;
      if (next <= time)
        all.erase(found);
      else
        found->timer = next;
      return true;
    });
    if (!due)
      return;
    bool fires = time == session.window.max_timestamp();
    bool gone = next <= time;
    if constexpr (inline_contents) {
      if (fired)
        emit_contents(std::move(*fired), session, gone);
    } else if (fires) {
      act_on(gone ? trigger_result::fire_and_purge : trigger_result::fire, session);
    } else if (gone) {
      erase_contents(session.state);
    }
    window_ = session.window;
    if (gone)
      finish_.clear(window_context_);
    else
      add_timer(*event_timers_, next);
  }

  /// Calls fn(sessions) on the current key's sessions (changed in place),
  /// which returns whether it changed them; none left clears them.
  template <class F>
  void change_sessions(F&& fn) {
    bool emptied = false;
    if (sessions_->update([&](session_list& sessions) {
          bool changed = fn(sessions);
          emptied = sessions.empty();
          return changed;
        })) {
      if (emptied)
        sessions_->erase();
      return;
    }
    session_list sessions;
    if (fn(sessions) && !sessions.empty())
      sessions_->put(std::move(sessions));
  }

  /// The contents table of values, at the current key's `window` (its
  /// entry); listed contents have a list table instead.
  auto& contents_of(const time_window& window) {
    static_assert(!list_contents);
    if constexpr (inline_contents) {
      session_contents_.at(window);
      return session_contents_;
    } else {
      store_.set_current_window(window);
      return *window_contents_;
    }
  }

  /// The list table of listed contents, at the current key's `window`.
  auto& list_at(const time_window& window) {
    static_assert(list_contents);
    store_.set_current_window(window);
    return *window_contents_;
  }

  /// Listed contents `list`, none if it is empty.
  static std::optional<acc_type> unless_empty(acc_type&& list) {
    return list.empty() ? std::nullopt : std::optional<acc_type>{std::move(list)};
  }

  /// Adds `record` to the current key's contents of `window`; returns
  /// whether it is the first.
  bool add_to_contents(const time_window& window, const In& record, std::int64_t timestamp) {
    if constexpr (list_contents) {
      return list_at(window).add(Contents::element(record, timestamp));
    } else {
      auto& contents = contents_of(window);
      bool created = !contents.update([&](acc_type& acc) {
        contents_.add(acc, record, timestamp);
        return true;
      });
      if (created)
        contents.put(contents_.create(record, timestamp));
      return created;
    }
  }

  /// A copy of the current key's contents of `window`, if it has any.
  std::optional<acc_type> copy_contents(const time_window& window) {
    if constexpr (list_contents) {
      return unless_empty(list_at(window).get());
    } else {
      const auto* kept = contents_of(window).get();
      return kept != nullptr ? std::optional<acc_type>{*kept} : std::nullopt;
    }
  }

  /// Makes `acc` the current key's contents of `window`.
  void put_contents(const time_window& window, acc_type&& acc) {
    if constexpr (list_contents) {
      list_at(window).update(std::move(acc));
    } else {
      contents_of(window).put(std::move(acc));
    }
  }

  /// Drops the current key's contents of `window`.
  void erase_contents(const time_window& window) {
    if constexpr (list_contents) {
      list_at(window).erase();
    } else {
      contents_of(window).erase();
    }
  }

  /// Removes the current key's contents of `window` and returns them, if
  /// it has any.
  std::optional<acc_type> take_contents(const time_window& window) {
    if constexpr (list_contents) {
      return unless_empty(list_at(window).take());
    } else {
      auto& contents = contents_of(window);
      std::optional<acc_type> taken;
      if (!contents.update([&](acc_type& acc) {
            taken.emplace(std::move(acc));
            return false; // erased next: nothing to write back
          }))
        return std::nullopt;
      contents.erase();
      return taken;
    }
  }

  /// The current key's session `window`, if it has that session.
  std::optional<merging_window> session(const time_window& window) {
    const auto* sessions = sessions_->get();
    if (sessions == nullptr)
      return std::nullopt;
    auto found = std::find_if(sessions->begin(), sessions->end(),
                              [&](const merging_window& s) { return s.window == window; });
    return found != sessions->end() ? std::optional<merging_window>{*found} : std::nullopt;
  }

  void on_timer(keyed_timer<window_timer<key_type>>& due, time_domain domain) {
    store_.set_current_key(due.payload.key, due.key_hash);
    added_.table = nullptr;
    window_ = due.payload.window;
    if (Assigner::merging && default_timers_ && domain == time_domain::event_time) {
      on_session_timer(due.timestamp);
      return;
    }
    std::optional<merging_window> window = merging_window{window_, window_};
    if constexpr (Assigner::merging)
      if (!(window = session(window_)))
        return; // merged away meanwhile
    auto result =
      domain == time_domain::event_time
        ? settings_.trigger->on_event_time(due.timestamp, window_, trigger_context_)
        : settings_.trigger->on_processing_time(due.timestamp, window_, trigger_context_);
    act_on(result, *window);
    if (domain == settings_.assigner.domain() && due.timestamp == cleanup_time(window->window))
      clear_window(*window);
  }

  /// Fires and/or purges `window` as the trigger said.
  void act_on(trigger_result result, const merging_window& window) {
    if (!fires(result)) {
      if (purges(result))
        erase_contents(window.state);
      return;
    }
    auto acc = purges(result) ? take_contents(window.state) : copy_contents(window.state);
    if (acc)
      emit_contents(std::move(*acc), window, purges(result));
  }

  /// Fires `window` with its contents `acc` (those of a purged window
  /// are dropped after, else they stay).
  void emit_contents(acc_type&& acc, const merging_window& window, bool purged) {
    this->timestamp().value = window.window.max_timestamp();
    window_ = window.window;
    if constexpr (evicts<Contents>)
      fire_evicting(std::move(acc), window, purged);
    else
      finish_.emit(store_.current(), window_context_, contents_.result(std::move(acc)),
                   this->output());
  }

  /// Fires `window` through the evictor; the records it leaves stay in
  /// the window unless it is purged right after.
  void fire_evicting(acc_type&& acc, const merging_window& window, bool purged) {
    typename Contents::eviction_context ctx{watermark_, clock_->now_ms()};
    if (auto result = contents_.fire(acc, window.window, ctx))
      finish_.emit(store_.current(), window_context_, std::move(*result), this->output());
    contents_.after_fire(acc, window.window, ctx);
    if (purged)
      return;
    if (acc.empty())
      erase_contents(window.state);
    else
      put_contents(window.state, std::move(acc));
  }

  /// Drops everything of `window` (its cleanup time came). The default
  /// trigger's timers are the operator's: none is left at cleanup time.
  void clear_window(const merging_window& window) {
    window_ = window.window;
    erase_contents(window.state);
    if (!default_timers_)
      settings_.trigger->clear(window_, trigger_context_);
    finish_.clear(window_context_);
    if constexpr (Assigner::merging)
      change_sessions([&](session_list& sessions) { return std::erase(sessions, window) > 0; });
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

  /// Adds the timer `time` of the current key and window_ to `table`
  /// (once per record: the trigger and the cleanup often ask for the same).
  void add_timer(timers& table, std::int64_t time) {
    if (added_.table == &table && added_.time == time && added_.window == window_)
      return;
    table.add(time, current_timer(), store_.current_hash(), store_.current_group());
    added_ = {&table, time, window_};
  }

  /// Removes the timer `time` of the current key and window_ from `table`.
  void remove_timer(timers& table, std::int64_t time) {
    if (added_.table == &table && added_.time == time && added_.window == window_)
      added_.table = nullptr;
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
  /// Event-time windows with the default trigger: the operator keeps
  /// their timers (see the class comment).
  bool default_timers_;
  side_outputs side_;
  /// "window-contents" (none with inline_contents)
  typename window_contents_table<Contents>::type* window_contents_ = nullptr;
  std::optional<map_state<trigger_state_key, std::int64_t>> trigger_state_;
  value_table<session_list>* sessions_ = nullptr; ///< "merging-window-set"
  /// The timer of the current key added last (table null: none known);
  /// forgotten when a timer is removed or taken, or the key changes.
  struct {
    timers* table = nullptr;
    std::int64_t time = 0;
    time_window window;
  } added_;
  time_window window_;              ///< the window being worked on
  std::vector<time_window> merged_; ///< the windows being merged into window_
  trigger_context trigger_context_;
  session_contents session_contents_; ///< contents_of() with inline_contents
  window_context<key_type> window_context_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

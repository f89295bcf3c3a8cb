#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "flinkcpp/detail/keyed_function_core.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/process_join_function.hpp"
#include "flinkcpp/state.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// An interval join's bounds in ms, both inclusive: a right record joins a
/// left one of its key when left time + lower <= right time <= left time +
/// upper.
struct interval_bounds {
  std::int64_t lower = 0;
  std::int64_t upper = 0;
};

/// A buffered record of an interval join with its timestamp.
template <class T>
struct timed_record {
  std::int64_t time = 0;
  T record;
};

template <class Inspector, class T>
auto inspect(Inspector& f, timed_record<T>& x) {
  return f(x.time, x.record);
}

/// The keyed state of an interval join (Flink's IntervalJoinOperator
/// buffers): each side's records of a key in a list, in arrival order,
/// until the watermark passed the last time a record of the other side
/// could match them (a left record's time + upper, a right one's - lower;
/// never before its own time), so state stays bounded for inputs of
/// bounded delay. A record is appended (on LevelDB one write, whatever the
/// key holds: a key's records kept as one value were rewritten whole per
/// record) and finds its matches in one pass over the other side. A key
/// has a cleanup timer per side, set by its first record (Flink's has one
/// per record): when it fires, every record of the key the watermark passed
/// goes at once (the others stay where they are), and the timer moves on
/// to the earliest left. A record earlier than the side's earliest goes
/// with that timer, a little after its own time: it can match nothing then,
/// since records behind the watermark are dropped. The F of a
/// keyed_function_core; UserFn is the process_join_function.
template <class K, class UserFn>
class interval_join_buffers {
public:
  using key_type = K;
  using left_type = typename UserFn::left_type;
  using right_type = typename UserFn::right_type;
  using output_type = typename UserFn::output_type;
  using context = typename keyed_process_function<K, left_type, output_type>::context;

  interval_join_buffers(UserFn function, interval_bounds bounds)
    : user_(std::move(function)),
      bounds_(bounds) {}

  UserFn& user() { return user_; }

  void open(context& ctx) {
    left_.emplace(ctx.state(list_state_descriptor<timed_record<left_type>>{"left-records"}));
    right_.emplace(ctx.state(list_state_descriptor<timed_record<right_type>>{"right-records"}));
    user_.open(ctx.runtime());
  }

  void close() { user_.close(); }

  /// A cleanup timer: drops the records of the current key that no record
  /// still to come can match (on both sides: a timer of one side may be due
  /// for the other as well), and sets the timers of those left. At the end
  /// of the inputs (the final watermark) no record is to come and nothing
  /// will read the buffers again: they stay as they are.
  void on_timer(std::int64_t, context& ctx, collector<output_type>&) {
    auto watermark = ctx.timer_service().current_watermark();
    if (watermark == max_watermark)
      return;
    expire(*left_, watermark, left_delay(), ctx);
    expire(*right_, watermark, right_delay(), ctx);
  }

  /// Buffers `record` (time `at`) and calls emit(left, left time, right,
  /// right time) for each buffered right record it matches.
  template <class Emit>
  void add_left(const left_type& record, std::int64_t at, context& ctx, Emit&& emit) {
    if (left_->add(timed_record<left_type>{at, record}))
      ctx.timer_service().register_event_time_timer(at + left_delay());
    for_each_within(*right_, at + bounds_.lower, at + bounds_.upper,
                    [&](const timed_record<right_type>& r) { emit(record, at, r.record, r.time); });
  }

  /// As add_left, for a right record.
  template <class Emit>
  void add_right(const right_type& record, std::int64_t at, context& ctx, Emit&& emit) {
    if (right_->add(timed_record<right_type>{at, record}))
      ctx.timer_service().register_event_time_timer(at + right_delay());
    for_each_within(*left_, at - bounds_.upper, at - bounds_.lower,
                    [&](const timed_record<left_type>& l) { emit(l.record, l.time, record, at); });
  }

private:
  std::int64_t left_delay() const { return std::max<std::int64_t>(bounds_.upper, 0); }
  std::int64_t right_delay() const { return std::max<std::int64_t>(-bounds_.lower, 0); }

  /// Calls fn with each record of `side` of a time in [from, to].
  template <class T, class Fn>
  static void for_each_within(const list_state<timed_record<T>>& side, std::int64_t from,
                              std::int64_t to, Fn&& fn) {
    side.for_each([&](const timed_record<T>& r) {
      if (r.time >= from && r.time <= to)
        fn(r);
    });
  }

  /// Removes the records of `side` that `watermark` passed by `delay` or
  /// more, and sets the cleanup timer of the earliest one left.
  template <class T>
  static void expire(list_state<timed_record<T>>& side, std::int64_t watermark, std::int64_t delay,
                     context& ctx) {
    std::optional<std::int64_t> earliest; // of the records left, if any
    side.remove_if([&](const timed_record<T>& r) {
      if (r.time + delay <= watermark)
        return true;
      earliest = std::min(earliest.value_or(r.time), r.time);
      return false;
    });
    if (earliest)
      ctx.timer_service().register_event_time_timer(*earliest + delay);
  }

  UserFn user_;
  interval_bounds bounds_;
  std::optional<list_state<timed_record<left_type>>> left_;
  std::optional<list_state<timed_record<right_type>>> right_;
};

/// The interval join (Flink's IntervalJoinOperator) on two connected keyed
/// streams: each record with its key current goes into its side's buffer
/// and is joined with the other side's buffered records within the bounds;
/// each pair reaches the process_join_function with the larger timestamp.
/// Records without a timestamp fail the job; records behind the watermark
/// are dropped and counted (numLateRecordsDropped). Heads its chain.
template <class KeyFnL, class KeyFnR, class Buffers>
class interval_join_operator final
  : public keyed_function_operator<Buffers, output_operator<typename Buffers::output_type>> {
public:
  using left_type = typename Buffers::left_type;
  using right_type = typename Buffers::right_type;

  interval_join_operator(KeyFnL left_key, KeyFnR right_key, Buffers buffers,
                         const spi::operator_context& context)
    : interval_join_operator::keyed_function_operator(std::move(buffers), context),
      left_key_(std::move(left_key)),
      right_key_(std::move(right_key)),
      pair_(this->core_.side(), this->core_.runtime()),
      late_records_dropped_(&this->core_.runtime().metrics().counter("numLateRecordsDropped")) {}

  void process_batch(spi::record_batch& batch) override {
    this->template for_each_keyed<left_type>(batch, left_key_, [this](const left_type& record) {
      if (auto at = on_time())
        this->core_.function().add_left(record, *at, this->core_.context(), emit());
    });
  }

  void process_batch2(spi::record_batch& batch) override {
    this->template for_each_keyed<right_type>(batch, right_key_, [this](const right_type& record) {
      if (auto at = on_time())
        this->core_.function().add_right(record, *at, this->core_.context(), emit());
    });
  }

private:
  /// The record's timestamp, unless it is late (then counted). Throws for
  /// a record without one.
  std::optional<std::int64_t> on_time() {
    auto at = this->timestamp().value;
    if (at == min_watermark)
      throw std::runtime_error("an interval join got a record without a timestamp: assign "
                               "timestamps and watermarks upstream "
                               "(assign_timestamps_and_watermarks)");
    if (at < this->core_.watermark()) {
      late_records_dropped_->inc();
      return std::nullopt;
    }
    return at;
  }

  /// What hands a pair to the join function, with its timestamps.
  auto emit() {
    return [this](const left_type& l, std::int64_t left_time, const right_type& r,
                  std::int64_t right_time) {
      pair_.set_timestamps(left_time, right_time);
      auto& now = this->timestamp();
      auto record_time = now.value;
      now.value = pair_.timestamp();
      this->core_.function().user().process_element(l, r, pair_, this->output());
      now.value = record_time;
    };
  }

  KeyFnL left_key_;
  KeyFnR right_key_;
  typename process_join_function<left_type, right_type, typename Buffers::output_type>::context
    pair_;
  counter* late_records_dropped_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// Functions on a stream connected with a broadcast stream (Flink's
// BroadcastProcessFunction and KeyedBroadcastProcessFunction): the records
// of the stream reach process_element, with read-only access to the
// broadcast state; every record of the broadcast stream reaches
// process_broadcast_element in every subtask, which may change the
// broadcast state (each subtask must make the same change: the state is
// checkpointed once, as subtask 0 holds it). Each subtask gets its own copy
// of the function, called from the subtask's thread only.

#include <cstdint>
#include <utility>

#include "flinkcpp/broadcast_state.hpp"
#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/function_outputs.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/keyed_timers.hpp"
#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/runtime_context.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/spi/stream_operator.hpp"
#include "flinkcpp/state.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

template <class In1, class In2, class Out>
class broadcast_process_function;

template <class K, class In1, class In2, class Out>
class keyed_broadcast_process_function;

namespace detail {

template <class F>
class broadcast_process_operator;

template <class KeyFn, class F>
class keyed_broadcast_process_operator;

/// Where a context reads the time from: the operator's record timestamp
/// slot, its input watermark and the subtask's clock (all the operator's,
/// stable for its life).
struct operator_time {
  spi::record_timestamp* const* timestamp;
  const std::int64_t* watermark;
  const spi::processing_clock* clock;
};

/// A context of a broadcast function: the record's timestamp, the time,
/// side outputs and the broadcast state, read-only or not (Writable).
template <bool Writable>
class broadcast_context : public function_outputs {
public:
  broadcast_context(broadcast_states& states, operator_time time, side_outputs& side,
                    const runtime_context& runtime)
    : function_outputs(side, runtime),
      states_(&states),
      time_(time) {}

  /// The event time of the record being processed; min_watermark when the
  /// stream has none.
  std::int64_t timestamp() const { return (*time_.timestamp)->value; }
  /// The operator's input watermark (min_watermark before the first).
  std::int64_t current_watermark() const { return *time_.watermark; }
  /// The subtask's processing time, ms since the epoch.
  std::int64_t current_processing_time() const { return time_.clock->now_ms(); }

  /// The broadcast state `d` declares: a broadcast_state on the broadcast
  /// side, a read_only_broadcast_state on the element side. Throws
  /// std::logic_error unless `d` was given to broadcast().
  template <class K, class V>
  auto get_broadcast_state(const map_state_descriptor<K, V>& d) const {
    if constexpr (Writable)
      return broadcast_state<K, V>(states_->table(d));
    else
      return read_only_broadcast_state<K, V>(states_->table(d));
  }

private:
  broadcast_states* states_;
  operator_time time_;
};

} // namespace detail

/// A function on a (non-keyed) stream of In1 connected with a broadcast
/// stream of In2 (Flink's BroadcastProcessFunction): subclass it and give
/// it to broadcast_connected_stream::process().
template <class In1, class In2, class Out>
class broadcast_process_function {
public:
  using first_input_type = In1;
  using second_input_type = In2;
  using output_type = Out;

  /// The element side's context: the broadcast state read-only.
  using read_only_context = detail::broadcast_context<false>;
  /// The broadcast side's context: the broadcast state to change.
  using context = detail::broadcast_context<true>;

  virtual ~broadcast_process_function() = default;

  /// Called once per subtask, before the first record (Flink's open).
  virtual void open(const runtime_context&) {}
  /// Called once when the subtask stops (Flink's close).
  virtual void close() {}

  /// Called for every record of the non-broadcast input.
  virtual void process_element(const In1& value, read_only_context& ctx, collector<Out>& out) = 0;
  /// Called for every record of the broadcast input, in every subtask.
  virtual void process_broadcast_element(const In2& value, context& ctx, collector<Out>& out) = 0;
};

/// A function on a keyed stream of In1 (key K) connected with a broadcast
/// stream of In2 (Flink's KeyedBroadcastProcessFunction): subclass it and
/// give it to keyed_broadcast_connected_stream::process(). The element side
/// has the current key's keyed state and timers (as a
/// keyed_process_function) and reads the broadcast state; the broadcast
/// side changes the broadcast state and may visit every key's keyed state
/// with apply_to_keyed_state.
template <class K, class In1, class In2, class Out>
class keyed_broadcast_process_function {
public:
  using key_type = K;
  using first_input_type = In1;
  using second_input_type = In2;
  using output_type = Out;
  using timer_service = typename keyed_process_function<K, In1, Out>::timer_service;

  /// The element side's context (also on_timer's and open's): the current
  /// key, its state, its timers, the side outputs, and the broadcast state
  /// read-only.
  class read_only_context : public keyed_process_function<K, In1, Out>::context {
  public:
    using keyed_process_function<K, In1, Out>::context::context;

    /// The read-only broadcast state `d` declares; throws std::logic_error
    /// unless `d` was given to broadcast().
    template <class UK, class UV>
    read_only_broadcast_state<UK, UV> get_broadcast_state(const map_state_descriptor<UK, UV>& d) {
      return read_only_broadcast_state<UK, UV>(states_.table(d));
    }

  private:
    template <class, class>
    friend class detail::keyed_broadcast_process_operator;

    detail::broadcast_states states_;
  };

  /// The broadcast side's context: the broadcast state to change, every
  /// key's keyed state, the time and the side outputs. No key is current.
  class context : public detail::broadcast_context<true> {
  public:
    context(detail::keyed_state_store<K>& store, detail::broadcast_states& states,
            detail::operator_time time, detail::side_outputs& side, const runtime_context& runtime)
      : detail::broadcast_context<true>(states, time, side, runtime),
        store_(&store) {}

    /// Calls fn(key, state) for each key of this subtask that has an entry
    /// in the keyed state `d` declares (Flink's applyToKeyedState), with
    /// `state` its handle (a value_state, list_state, map_state...) on that
    /// key; fn may change or clear it.
    template <class Descriptor, class Fn>
    void apply_to_keyed_state(const Descriptor& d, Fn&& fn) {
      store_->for_each_key(d, std::forward<Fn>(fn));
    }

  private:
    detail::keyed_state_store<K>* store_;
  };

  virtual ~keyed_broadcast_process_function() = default;

  /// Called once per subtask, before the first record: declare keyed
  /// states here (ctx.state), as in a keyed_process_function.
  virtual void open(read_only_context&) {}
  /// Called once when the subtask stops (Flink's close).
  virtual void close() {}

  /// Called for every record of the keyed input, its key current.
  virtual void process_element(const In1& value, read_only_context& ctx, collector<Out>& out) = 0;
  /// Called for every record of the broadcast input, in every subtask.
  virtual void process_broadcast_element(const In2& value, context& ctx, collector<Out>& out) = 0;

  /// Called when a timer of ctx.current_key() is due, as
  /// keyed_process_function::on_timer. By default does nothing.
  virtual void on_timer(std::int64_t /*timestamp*/, read_only_context& /*ctx*/,
                        collector<Out>& /*out*/) {}
};

} // namespace flinkcpp
FLINKCPP_API_END

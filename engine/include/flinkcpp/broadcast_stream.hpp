#pragma once

// Flink's broadcast state pattern: data_stream::broadcast(descriptors...)
// makes a broadcast_stream, whose every record reaches every subtask of the
// operator it is connected to; data_stream::connect(broadcast_stream) and
// keyed_stream::connect(broadcast_stream) make the connected streams that
// run a broadcast_process_function or a keyed_broadcast_process_function,
// which keep the broadcast state the descriptors declare (broadcast_state.hpp).
// As in Flink, nothing orders the records of the two inputs against each
// other: a function that needs its rules before its elements buffers the
// elements in state until they came.

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/broadcast_process_function.hpp"
#include "flinkcpp/broadcast_state.hpp"
#include "flinkcpp/connected_streams.hpp"
#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/detail/broadcast_process_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/state.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A stream whose records go to every subtask of the operator it feeds,
/// with the broadcast states that operator keeps (Flink's BroadcastStream),
/// made by data_stream::broadcast(descriptors...). Cheap to copy.
template <class T>
class broadcast_stream {
public:
  broadcast_stream(data_stream<T> stream, std::vector<detail::broadcast_states::declaration> states)
    : stream_(std::move(stream)),
      states_(std::move(states)) {}

  /// The stream, partitioned to every consumer subtask.
  const data_stream<T>& stream() const { return stream_; }
  /// The broadcast states declared (names and types).
  const std::vector<detail::broadcast_states::declaration>& states() const { return states_; }

private:
  data_stream<T> stream_;
  std::vector<detail::broadcast_states::declaration> states_;
};

/// A stream connected with a broadcast stream (Flink's
/// BroadcastConnectedStream), made by data_stream::connect. Cheap to copy.
template <class T1, class T2>
class broadcast_connected_stream {
public:
  /// Throws std::logic_error for streams of different environments.
  broadcast_connected_stream(data_stream<T1> first, broadcast_stream<T2> second)
    : first_(std::move(first)),
      second_(std::move(second)) {
    detail::require_same_environment(first_.environment(), second_.stream().environment(),
                                     "connect");
  }

  /// Runs `function`, a broadcast_process_function<T1, T2, Out>, on every
  /// record of both; its side outputs are read with get_side_output on the
  /// result.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    using out = typename F::output_type;
    static_assert(std::is_base_of_v<broadcast_process_function<T1, T2, out>, F>,
                  "process takes a broadcast_process_function of the streams' types");
    return detail::add_two_input_node<out>(
      first_.environment(), "Co-Process-Broadcast", first_.inputs(), second_.stream().inputs(),
      true,
      [states = second_.states(),
       function = std::move(function)](const spi::operator_context& context) {
        return std::make_unique<detail::broadcast_process_operator<F>>(function, states, context);
      });
  }

private:
  data_stream<T1> first_;
  broadcast_stream<T2> second_;
};

/// A keyed stream connected with a broadcast stream (Flink's
/// BroadcastConnectedStream of a KeyedStream), made by
/// keyed_stream::connect. Cheap to copy.
template <class T1, class KeyFn, class T2>
class keyed_broadcast_connected_stream {
public:
  using key_type = typename keyed_stream<T1, KeyFn>::key_type;

  /// Throws std::logic_error for streams of different environments.
  keyed_broadcast_connected_stream(keyed_stream<T1, KeyFn> first, broadcast_stream<T2> second)
    : first_(std::move(first)),
      second_(std::move(second)) {
    detail::require_same_environment(first_.environment(), second_.stream().environment(),
                                     "connect");
  }

  /// Runs `function`, a keyed_broadcast_process_function<Key, T1, T2,
  /// Out>, on every record of both; its side outputs are read with
  /// get_side_output on the result.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    using out = typename F::output_type;
    static_assert(std::is_base_of_v<keyed_broadcast_process_function<key_type, T1, T2, out>, F>,
                  "process takes a keyed_broadcast_process_function of the streams' key and "
                  "record types");
    return detail::add_two_input_node<out>(
      first_.environment(), "Co-Process-Broadcast-Keyed", first_.inputs(),
      second_.stream().inputs(), true,
      [key = first_.key(), states = second_.states(),
       function = std::move(function)](const spi::operator_context& context) {
        return std::make_unique<detail::keyed_broadcast_process_operator<KeyFn, F>>(
          key, function, states, context);
      });
  }

private:
  keyed_stream<T1, KeyFn> first_;
  broadcast_stream<T2> second_;
};

template <class T>
template <class K, class V, class... More>
broadcast_stream<T> data_stream<T>::broadcast(const map_state_descriptor<K, V>& state,
                                              const More&... more) const {
  return broadcast_stream<T>(broadcast(), {detail::broadcast_states::declare(state),
                                           detail::broadcast_states::declare(more)...});
}

template <class T>
template <class U>
broadcast_connected_stream<T, U> data_stream<T>::connect(const broadcast_stream<U>& other) const {
  return broadcast_connected_stream<T, U>(*this, other);
}

template <class T, class KeyFn>
template <class U>
keyed_broadcast_connected_stream<T, KeyFn, U>
keyed_stream<T, KeyFn>::connect(const broadcast_stream<U>& other) const {
  return keyed_broadcast_connected_stream<T, KeyFn, U>(*this, other);
}

} // namespace flinkcpp
FLINKCPP_API_END

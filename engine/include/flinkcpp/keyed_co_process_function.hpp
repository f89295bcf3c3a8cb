#pragma once

#include <cstdint>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A function on two connected keyed streams with the same key type (Flink's
/// KeyedCoProcessFunction): records of the first input reach
/// process_element1, those of the second process_element2, each with its
/// key current; both share the key's state and timers, which work as in a
/// keyed_process_function (the same context). Give it to
/// keyed_connected_streams::process(). Each subtask gets its own copy,
/// called from the subtask's thread only.
template <class K, class In1, class In2, class Out>
class keyed_co_process_function {
public:
  using key_type = K;
  using first_input_type = In1;
  using second_input_type = In2;
  using output_type = Out;
  /// The current key, its state, its timers and the side outputs.
  using context = typename keyed_process_function<K, In1, Out>::context;

  virtual ~keyed_co_process_function() = default;

  /// Called once per subtask, before the first record: declare states here.
  virtual void open(context&) {}
  /// Called once when the subtask stops (Flink's close).
  virtual void close() {}

  /// Called for every record of the first input.
  virtual void process_element1(const In1& value, context& ctx, collector<Out>& out) = 0;
  /// Called for every record of the second input.
  virtual void process_element2(const In2& value, context& ctx, collector<Out>& out) = 0;

  /// Called when a timer of ctx.current_key() is due, as
  /// keyed_process_function::on_timer. By default does nothing.
  virtual void on_timer(std::int64_t /*timestamp*/, context& /*ctx*/, collector<Out>& /*out*/) {}
};

} // namespace flinkcpp
FLINKCPP_API_END

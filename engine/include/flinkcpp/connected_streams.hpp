#pragma once

// Two streams connected into one operator (Flink's ConnectedStreams):
// data_stream::connect, and the functions such an operator runs on the
// records of either input: co_map_function, co_flat_map_function and
// co_process_function (Flink's CoMapFunction, CoFlatMapFunction and
// CoProcessFunction). The inputs may have different types; each record of
// the first reaches the function's "1" method, each of the second its "2"
// method, on the subtask's one thread, in the order they arrive (there is no
// order between the two inputs). The operator's watermark is the smaller of
// its inputs' (an idle input left out), and it ends when both inputs ended.
// Two keyed streams with keys of one type connect into
// keyed_connected_streams, whose keyed_co_process_function sees each
// record with its key current and keeps keyed state and timers that both
// inputs share (Flink's KeyedCoProcessFunction).

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/detail/function_outputs.hpp"
#include "flinkcpp/detail/keyed_co_process_operator.hpp"
#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_co_process_function.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/process_function.hpp"
#include "flinkcpp/runtime_context.hpp"
#include "flinkcpp/spi/stream_operator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// One output record per record of either input (Flink's CoMapFunction):
/// subclass it and give it to connected_streams::map(). Each subtask gets
/// its own copy, called from the subtask's thread only.
template <class In1, class In2, class Out>
class co_map_function {
public:
  using first_input_type = In1;
  using second_input_type = In2;
  using output_type = Out;

  virtual ~co_map_function() = default;

  /// Called once per subtask, before the first record (Flink's open).
  virtual void open(const runtime_context&) {}
  /// Called once when the subtask stops (Flink's close).
  virtual void close() {}

  virtual Out map1(const In1& value) = 0;
  virtual Out map2(const In2& value) = 0;
};

/// Any number of output records per record of either input (Flink's
/// CoFlatMapFunction): subclass it and give it to
/// connected_streams::flat_map(). Copied and called as co_map_function.
template <class In1, class In2, class Out>
class co_flat_map_function {
public:
  using first_input_type = In1;
  using second_input_type = In2;
  using output_type = Out;

  virtual ~co_flat_map_function() = default;

  virtual void open(const runtime_context&) {}
  virtual void close() {}

  virtual void flat_map1(const In1& value, collector<Out>& out) = 0;
  virtual void flat_map2(const In2& value, collector<Out>& out) = 0;
};

/// Any number of output records and side outputs per record of either
/// input, with the record's timestamp (Flink's CoProcessFunction on
/// streams that are not keyed): subclass it and give it to
/// connected_streams::process(). Copied and called as co_map_function.
template <class In1, class In2, class Out>
class co_process_function {
public:
  using first_input_type = In1;
  using second_input_type = In2;
  using output_type = Out;

  /// What the function sees of the record being processed: its timestamp,
  /// the side outputs, the runtime context (a process_function's).
  using context = typename process_function<In1, Out>::context;

  virtual ~co_process_function() = default;

  virtual void open(const runtime_context&) {}
  virtual void close() {}

  /// Called for every record of the first input.
  virtual void process_element1(const In1& value, context& ctx, collector<Out>& out) = 0;
  /// Called for every record of the second input.
  virtual void process_element2(const In2& value, context& ctx, collector<Out>& out) = 0;
};

namespace detail {

/// An operator with two inputs (Flink's TwoInputStreamOperator): the
/// batches of the first input reach element1, those of the second
/// element2, each record with its timestamp set. Heads its chain.
template <class In1, class In2, class Out>
class two_input_operator : public output_operator<Out> {
public:
  void process_batch(spi::record_batch& batch) override {
    for_each_record<In1>(batch, this->timestamp(),
                         [this](In1& record, std::size_t) { element1(std::move(record)); });
  }

  void process_batch2(spi::record_batch& batch) override {
    for_each_record<In2>(batch, this->timestamp(),
                         [this](In2& record, std::size_t) { element2(std::move(record)); });
  }

protected:
  virtual void element1(In1&& record) = 0;
  virtual void element2(In2&& record) = 0;
};

/// The two-input operator running a co_map_function, co_flat_map_function
/// or co_process_function F: opens and closes it, and hands it each record
/// through element1 / element2 (to F's methods for its kind).
template <class F>
class co_function_operator final
  : public two_input_operator<typename F::first_input_type, typename F::second_input_type,
                              typename F::output_type> {
public:
  using in1 = typename F::first_input_type;
  using in2 = typename F::second_input_type;
  using out = typename F::output_type;

  co_function_operator(F function, const spi::operator_context& context)
    : function_(std::move(function)),
      runtime_(context),
      context_(make_context(this->timestamp_slot(), side_, runtime_)) {}

  void set_side_output(const std::string& tag, spi::collector_ref target) override {
    side_.connect(tag, target);
  }
  void open() override { function_.open(runtime_); }
  void close() override { function_.close(); }

private:
  /// What a co_process_function's context is; a plain context of outputs
  /// for the other kinds, which do not see it.
  using context_type =
    std::conditional_t<std::is_base_of_v<co_process_function<in1, in2, out>, F>,
                       typename co_process_function<in1, in2, out>::context, function_outputs>;

  void element1(in1&& record) override {
    if constexpr (std::is_base_of_v<co_map_function<in1, in2, out>, F>)
      this->output().collect(function_.map1(record));
    else if constexpr (std::is_base_of_v<co_flat_map_function<in1, in2, out>, F>)
      function_.flat_map1(record, this->output());
    else
      function_.process_element1(record, context_, this->output());
  }

  void element2(in2&& record) override {
    if constexpr (std::is_base_of_v<co_map_function<in1, in2, out>, F>)
      this->output().collect(function_.map2(record));
    else if constexpr (std::is_base_of_v<co_flat_map_function<in1, in2, out>, F>)
      function_.flat_map2(record, this->output());
    else
      function_.process_element2(record, context_, this->output());
  }

  /// Makes the context: a co_process_function's sees the record timestamp.
  static context_type make_context(spi::record_timestamp* const& timestamp, side_outputs& side,
                                   const runtime_context& runtime) {
    if constexpr (std::is_same_v<context_type, function_outputs>)
      return context_type(side, runtime);
    else
      return context_type(timestamp, side, runtime);
  }

  F function_;
  runtime_context runtime_;
  side_outputs side_;
  context_type context_;
};

/// Adds a two-input operator reading `first` into its first input and
/// `second` into its second, made by make(context), emitting Out.
template <class Out, class Make>
data_stream<Out>
add_two_input_node(stream_environment& env, const char* name, std::vector<stream_edge> first,
                   const std::vector<stream_edge>& second, bool side_outputs, Make make) {
  stream_node node;
  node.kind = node_kind::transformation;
  node.name = name;
  node.side_outputs = side_outputs;
  node.inputs = std::move(first);
  for (auto edge : second) {
    edge.target_input = 1;
    node.inputs.push_back(std::move(edge));
  }
  node.factory = make_operator_factory<Out>(std::move(make));
  return add_stream_node<Out>(env, std::move(node));
}

} // namespace detail

/// Two streams connected into one operator (Flink's ConnectedStreams), made
/// by data_stream::connect. Cheap to copy. Each of map, flat_map and
/// process adds a two-input operator and returns its output stream; the
/// operator's settings (parallelism, name, uid) apply to that stream.
template <class T1, class T2>
class connected_streams {
public:
  /// Throws std::logic_error for streams of different environments.
  connected_streams(data_stream<T1> first, data_stream<T2> second)
    : first_(std::move(first)),
      second_(std::move(second)) {
    detail::require_same_environment(first_.environment(), second_.environment(), "connect");
  }

  const data_stream<T1>& first_input() const { return first_; }
  const data_stream<T2>& second_input() const { return second_; }

  /// Runs `function`, a co_map_function<T1, T2, Out>, on every record.
  template <class F>
  data_stream<typename F::output_type> map(F function) const {
    static_assert(std::is_base_of_v<co_map_function<T1, T2, typename F::output_type>, F>,
                  "map takes a co_map_function of the connected streams' types");
    return transform<F>("Co-Map", std::move(function), false);
  }

  /// Runs `function`, a co_flat_map_function<T1, T2, Out>, on every record.
  template <class F>
  data_stream<typename F::output_type> flat_map(F function) const {
    static_assert(std::is_base_of_v<co_flat_map_function<T1, T2, typename F::output_type>, F>,
                  "flat_map takes a co_flat_map_function of the connected streams' types");
    return transform<F>("Co-Flat Map", std::move(function), false);
  }

  /// Runs `function`, a co_process_function<T1, T2, Out>, on every record;
  /// its side outputs are read with get_side_output on the result.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    static_assert(std::is_base_of_v<co_process_function<T1, T2, typename F::output_type>, F>,
                  "process takes a co_process_function of the connected streams' types");
    return transform<F>("Co-Process", std::move(function), true);
  }

  /// Both inputs keyed, by key1 and key2 (of the same key type), for a
  /// keyed_co_process_function (Flink's ConnectedStreams.keyBy).
  template <class KeyFn1, class KeyFn2>
  keyed_connected_streams<T1, KeyFn1, T2, KeyFn2> key_by(KeyFn1 key1, KeyFn2 key2) const {
    return {first_.key_by(std::move(key1)), second_.key_by(std::move(key2))};
  }

private:
  template <class F>
  data_stream<typename F::output_type> transform(const char* name, F function,
                                                 bool side_outputs) const {
    return detail::add_two_input_node<typename F::output_type>(
      first_.environment(), name, first_.inputs(), second_.inputs(), side_outputs,
      [function = std::move(function)](const spi::operator_context& context) {
        return std::make_unique<detail::co_function_operator<F>>(function, context);
      });
  }

  data_stream<T1> first_;
  data_stream<T2> second_;
};

/// Two keyed streams with the same key type connected into one operator
/// whose keyed state and timers both inputs share (Flink's ConnectedStreams
/// of two KeyedStreams), made by keyed_stream::connect or
/// connected_streams::key_by. Cheap to copy.
template <class T1, class KeyFn1, class T2, class KeyFn2>
class keyed_connected_streams {
public:
  using key_type = typename keyed_stream<T1, KeyFn1>::key_type;
  static_assert(std::is_same_v<key_type, typename keyed_stream<T2, KeyFn2>::key_type>,
                "connected keyed streams need keys of the same type");

  /// Throws std::logic_error for streams of different environments.
  keyed_connected_streams(keyed_stream<T1, KeyFn1> first, keyed_stream<T2, KeyFn2> second)
    : first_(std::move(first)),
      second_(std::move(second)) {
    detail::require_same_environment(first_.environment(), second_.environment(), "connect");
  }

  /// Runs `function`, a keyed_co_process_function<Key, T1, T2, Out>, on
  /// every record; its side outputs are read with get_side_output on the
  /// result.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    using out = typename F::output_type;
    static_assert(std::is_base_of_v<keyed_co_process_function<key_type, T1, T2, out>, F>,
                  "process takes a keyed_co_process_function of the streams' key and record "
                  "types");
    return detail::add_two_input_node<out>(
      first_.environment(), "KeyedCo-Process", first_.inputs(), second_.inputs(), true,
      [key1 = first_.key(), key2 = second_.key(),
       function = std::move(function)](const spi::operator_context& context) {
        return std::make_unique<detail::keyed_co_process_operator<KeyFn1, KeyFn2, F>>(
          key1, key2, function, context);
      });
  }

private:
  keyed_stream<T1, KeyFn1> first_;
  keyed_stream<T2, KeyFn2> second_;
};

template <class T>
template <class U>
connected_streams<T, U> data_stream<T>::connect(const data_stream<U>& other) const {
  return connected_streams<T, U>(*this, other);
}

template <class T, class KeyFn>
template <class U, class KeyFn2>
keyed_connected_streams<T, KeyFn, U, KeyFn2>
keyed_stream<T, KeyFn>::connect(const keyed_stream<U, KeyFn2>& other) const {
  return keyed_connected_streams<T, KeyFn, U, KeyFn2>(*this, other);
}

} // namespace flinkcpp
FLINKCPP_API_END

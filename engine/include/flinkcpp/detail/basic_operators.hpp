#pragma once

// The stateless operators of the DataStream API: map, flat_map, filter, and
// sinks calling a user function or discarding records. User functions are
// copied into every operator instance, so state they keep is per subtask, as
// with Flink's serialized function objects; a function object with open()
// and close() members gets them called as a rich function's.

#include <utility>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/runtime_context.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// An operator of `Base` calling the user function F, which gets the
/// lifecycle of Flink's rich functions if it has the members:
/// open(const runtime_context&) when the operator opens, close() when it
/// closes.
template <class Base, class F>
class function_operator : public Base {
public:
  function_operator(F fn, const spi::operator_context& context)
    : fn_(std::move(fn)),
      runtime_(context) {}

  void open() override { open_function(fn_, runtime_); }
  void close() override { close_function(fn_); }

protected:
  F fn_;

private:
  runtime_context runtime_;
};

template <class In, class Out, class F>
class map_operator final : public function_operator<one_input_operator<In, Out>, F> {
public:
  using collector<In>::collect;
  using function_operator<one_input_operator<In, Out>, F>::function_operator;
  void collect(In&& record) override {
    this->output().collect(call_with_record(this->fn_, record));
  }
};

template <class In, class Out, class F>
class flat_map_operator final : public function_operator<one_input_operator<In, Out>, F> {
public:
  using collector<In>::collect;
  using function_operator<one_input_operator<In, Out>, F>::function_operator;
  void collect(In&& record) override { call_with_record(this->fn_, record, this->output()); }
};

template <class T, class F>
class filter_operator final : public function_operator<one_input_operator<T, T>, F> {
public:
  using collector<T>::collect;
  using function_operator<one_input_operator<T, T>, F>::function_operator;
  void collect(T&& record) override {
    if (std::invoke(this->fn_, static_cast<const T&>(record)))
      this->output().collect(std::move(record));
  }
};

/// Calls a user function for every record (Flink's SinkFunction.invoke).
template <class T, class F>
class sink_function_operator final : public function_operator<sink_operator<T>, F> {
public:
  using collector<T>::collect;
  using function_operator<sink_operator<T>, F>::function_operator;
  void collect(T&& record) override { call_with_record(this->fn_, record); }
};

/// Drops every record (Flink's DiscardingSink).
template <class T>
class discarding_sink final : public sink_operator<T> {
public:
  using collector<T>::collect;
  void collect(T&&) override {}
  void process_batch(spi::record_batch&) override {}
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

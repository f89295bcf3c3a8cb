#pragma once

// The stateless operators of the DataStream API: map, flat_map, filter, and
// sinks calling a user function or discarding records. User functions are
// copied into every operator instance, so state they keep is per subtask, as
// with Flink's serialized function objects.

#include <utility>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

template <class In, class Out, class F>
class map_operator final : public one_input_operator<In, Out> {
public:
  using collector<In>::collect;
  explicit map_operator(F fn) : fn_(std::move(fn)) {}
  void collect(In&& record) override { this->output().collect(call_with_record(fn_, record)); }

private:
  F fn_;
};

template <class In, class Out, class F>
class flat_map_operator final : public one_input_operator<In, Out> {
public:
  using collector<In>::collect;
  explicit flat_map_operator(F fn) : fn_(std::move(fn)) {}
  void collect(In&& record) override { call_with_record(fn_, record, this->output()); }

private:
  F fn_;
};

template <class T, class F>
class filter_operator final : public one_input_operator<T, T> {
public:
  using collector<T>::collect;
  explicit filter_operator(F fn) : fn_(std::move(fn)) {}
  void collect(T&& record) override {
    if (std::invoke(fn_, static_cast<const T&>(record)))
      this->output().collect(std::move(record));
  }

private:
  F fn_;
};

/// Calls a user function for every record (Flink's SinkFunction.invoke).
template <class T, class F>
class sink_function_operator final : public sink_operator<T> {
public:
  using collector<T>::collect;
  explicit sink_function_operator(F fn) : fn_(std::move(fn)) {}
  void collect(T&& record) override { call_with_record(fn_, record); }

private:
  F fn_;
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

#pragma once

// Flink's window join and co-group: a.join(b) and a.co_group(b), then
// .where(key1).equal_to(key2).window(assigner)[.trigger(t)]
// [.allowed_lateness(d)].apply(fn). As in Flink, the records of both inputs
// are tagged with their side, united, keyed by key1 or key2 and put into the
// windows of `assigner` (any of windows.hpp: tumbling, sliding or session,
// in event or processing time); when a window of a key fires, a co-group
// function gets the window's records of each side (outer joins are built
// on it: one side may be empty), a join function each pair of a record of
// the first side and one of the second (an inner join). What they emit
// carries the window's max timestamp. The window operator is the one of
// keyed_stream::window, with its checkpoints, rescaling, lateness and
// triggers; its records are the tagged ones (detail::tagged_union).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/process_window_function.hpp"
#include "flinkcpp/trigger.hpp"
#include "flinkcpp/windowed_stream.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

namespace detail {

/// A record of either input of a window join or co-group (Flink's
/// TaggedUnion): exactly one of `one` and `two` is set.
template <class T1, class T2>
struct tagged_union {
  std::optional<T1> one;
  std::optional<T2> two;
};

template <class Inspector, class T1, class T2>
auto inspect(Inspector& f, tagged_union<T1, T2>& x) {
  return f(x.one, x.two);
}

/// The key of a tagged record: key1 of a first input's, key2 of a second's.
template <class KeyFn1, class KeyFn2>
struct tagged_key {
  KeyFn1 key1;
  KeyFn2 key2;

  template <class T1, class T2>
  key_type_t<KeyFn1, T1> operator()(const tagged_union<T1, T2>& record) const {
    if (record.one)
      return std::invoke(key1, *record.one);
    return std::invoke(key2, *record.two);
  }
};

/// The record type a co-group or flat-join function emits: X in its third
/// parameter, a `collector<X>&`.
template <class F>
using third_collector_output_t = typename collector_record<
  std::tuple_element_t<2, typename call_signature<std::decay_t<F>>::args>>::type;

/// The window function of a co-group: splits the window's tagged records by
/// input and calls fn(first, second, out), two spans of records in arrival
/// order.
template <class K, class T1, class T2, class Out, class F>
class co_group_window_function final
  : public process_window_function<K, tagged_union<T1, T2>, Out> {
public:
  explicit co_group_window_function(F fn) : fn_(std::move(fn)) {}

  void process(const K&, typename co_group_window_function::context&,
               std::span<const tagged_union<T1, T2>> elements, collector<Out>& out) override {
    first_.clear();
    second_.clear();
    for (const auto& e : elements) {
      if (e.one)
        first_.push_back(*e.one);
      else
        second_.push_back(*e.two);
    }
    fn_(std::span<const T1>{first_}, std::span<const T2>{second_}, out);
  }

private:
  F fn_;
  std::vector<T1> first_;  ///< reused between windows
  std::vector<T2> second_; ///< reused between windows
};

/// A join function as a co-group function: called with every pair of the
/// window's records, fn(a, b) -> Out (Flink's JoinFunction) or fn(a, b,
/// out) (FlatJoinFunction).
template <class Out, class F>
struct join_pairs {
  F fn;

  template <class T1, class T2>
  void operator()(std::span<const T1> first, std::span<const T2> second, collector<Out>& out) {
    for (const auto& a : first)
      for (const auto& b : second) {
        if constexpr (std::is_invocable_v<F&, const T1&, const T2&, collector<Out>&>)
          fn(a, b, out);
        else
          out.collect(fn(a, b));
      }
  }
};

/// The output type of join function F on T1 and T2: Out when given, else
/// what it returns, or what its collector takes.
template <class Out, class F, class T1, class T2, class = void>
struct join_output {
  using type = Out;
};
template <class F, class T1, class T2>
struct join_output<void, F, T1, T2,
                   std::enable_if_t<std::is_invocable_v<F&, const T1&, const T2&>>> {
  using type = std::decay_t<std::invoke_result_t<F&, const T1&, const T2&>>;
};
template <class F, class T1, class T2>
struct join_output<void, F, T1, T2,
                   std::enable_if_t<!std::is_invocable_v<F&, const T1&, const T2&>>> {
  using type = third_collector_output_t<F>;
};

} // namespace detail

/// Two streams to join or co-group in windows (Flink's JoinedStreams and
/// CoGroupedStreams; `Join` tells which), made by data_stream::join and
/// data_stream::co_group. where(), equal_to() and window() set it up;
/// apply() adds the operator. Cheap to copy.
template <class T1, class T2, bool Join>
class window_joined_streams {
public:
  /// Throws std::logic_error for streams of different environments.
  window_joined_streams(data_stream<T1> first, data_stream<T2> second)
    : first_(std::move(first)),
      second_(std::move(second)) {
    detail::require_same_environment(first_.environment(), second_.environment(),
                                     Join ? "join" : "co_group");
  }

  /// Set up with both keys and the windows; see window().
  template <class KeyFn1, class KeyFn2, class Assigner>
  class with_window {
  public:
    using tagged = detail::tagged_union<T1, T2>;

    with_window(data_stream<T1> first, data_stream<T2> second, KeyFn1 key1, KeyFn2 key2,
                Assigner assigner)
      : first_(std::move(first)),
        second_(std::move(second)),
        key_{std::move(key1), std::move(key2)},
        assigner_(std::move(assigner)) {}

    /// Fires the windows with `t` instead of the assigner's default trigger
    /// (Flink's WithWindow.trigger); its records are the tagged ones.
    with_window trigger(std::shared_ptr<const flinkcpp::trigger<tagged>> t) const {
      auto copy = *this;
      copy.trigger_ = std::move(t);
      return copy;
    }

    /// Keeps windows for `lateness` past their end, as
    /// windowed_stream::allowed_lateness.
    with_window allowed_lateness(std::chrono::milliseconds lateness) const {
      auto copy = *this;
      copy.lateness_ = lateness;
      return copy;
    }

    /// Adds the join or co-group with `fn`. A join's fn is called with every
    /// pair of a window's first-side and second-side records of one key:
    /// fn(a, b) -> Out, or fn(a, b, collector<Out>&). A co-group's fn is
    /// called once per window of a key, with its records of each side:
    /// fn(std::span<const T1>, std::span<const T2>, collector<Out>&). Out
    /// is deduced from the return or collector type, or given.
    template <class Out = void, class F>
    auto apply(F fn) const {
      if constexpr (Join) {
        using out = typename detail::join_output<Out, F, T1, T2>::type;
        return co_group<out>(detail::join_pairs<out, F>{std::move(fn)});
      } else {
        using out =
          std::conditional_t<std::is_void_v<Out>, detail::third_collector_output_t<F>, Out>;
        static_assert(
          std::is_invocable_v<F&, std::span<const T1>, std::span<const T2>, collector<out>&>,
          "a co-group function takes (std::span<const T1>, std::span<const T2>, "
          "collector<Out>&)");
        return co_group<out>(std::move(fn));
      }
    }

  private:
    /// The window operator over the tagged union of both inputs, running
    /// `fn` as a co-group function, named as Flink names it for joins and
    /// co-groups: "Window(..., CoGroupWindowFunction)".
    template <class Out, class F>
    data_stream<Out> co_group(F fn) const {
      using key_type = detail::key_type_t<KeyFn1, T1>;
      auto one = first_.map([](const T1& x) { return tagged{x, std::nullopt}; });
      auto two = second_.map([](const T2& x) { return tagged{std::nullopt, x}; });
      auto windowed = one.union_with(two).key_by(key_).window(assigner_);
      if (trigger_)
        windowed = windowed.trigger(trigger_);
      if (lateness_)
        windowed = windowed.allowed_lateness(*lateness_);
      return windowed.process_as(
        "CoGroupWindowFunction",
        detail::co_group_window_function<key_type, T1, T2, Out, F>{std::move(fn)});
    }

    data_stream<T1> first_;
    data_stream<T2> second_;
    detail::tagged_key<KeyFn1, KeyFn2> key_;
    Assigner assigner_;
    std::shared_ptr<const flinkcpp::trigger<tagged>> trigger_;
    std::optional<std::chrono::milliseconds> lateness_;
  };

  /// Set up with both keys; see equal_to().
  template <class KeyFn1, class KeyFn2>
  class with_keys {
  public:
    with_keys(data_stream<T1> first, data_stream<T2> second, KeyFn1 key1, KeyFn2 key2)
      : first_(std::move(first)),
        second_(std::move(second)),
        key1_(std::move(key1)),
        key2_(std::move(key2)) {}

    /// The windows both inputs' records go into, per key (Flink's window()).
    template <class Assigner>
    with_window<KeyFn1, KeyFn2, Assigner> window(Assigner assigner) const {
      return {first_, second_, key1_, key2_, std::move(assigner)};
    }

  private:
    data_stream<T1> first_;
    data_stream<T2> second_;
    KeyFn1 key1_;
    KeyFn2 key2_;
  };

  /// Set up with the first input's key; see where().
  template <class KeyFn1>
  class with_first_key {
  public:
    with_first_key(data_stream<T1> first, data_stream<T2> second, KeyFn1 key1)
      : first_(std::move(first)),
        second_(std::move(second)),
        key1_(std::move(key1)) {}

    /// The second input's key (Flink's equalTo), of the first key's type.
    template <class KeyFn2>
    with_keys<KeyFn1, KeyFn2> equal_to(KeyFn2 key2) const {
      static_assert(std::is_same_v<detail::key_type_t<KeyFn1, T1>, detail::key_type_t<KeyFn2, T2>>,
                    "where() and equal_to() must select keys of the same type");
      return {first_, second_, key1_, std::move(key2)};
    }

  private:
    data_stream<T1> first_;
    data_stream<T2> second_;
    KeyFn1 key1_;
  };

  /// The first input's key (Flink's where).
  template <class KeyFn1>
  with_first_key<KeyFn1> where(KeyFn1 key1) const {
    return {first_, second_, std::move(key1)};
  }

private:
  data_stream<T1> first_;
  data_stream<T2> second_;
};

template <class T1, class T2>
using joined_streams = window_joined_streams<T1, T2, true>;

template <class T1, class T2>
using co_grouped_streams = window_joined_streams<T1, T2, false>;

template <class T>
template <class U>
joined_streams<T, U> data_stream<T>::join(const data_stream<U>& other) const {
  return joined_streams<T, U>(*this, other);
}

template <class T>
template <class U>
co_grouped_streams<T, U> data_stream<T>::co_group(const data_stream<U>& other) const {
  return co_grouped_streams<T, U>(*this, other);
}

} // namespace flinkcpp
FLINKCPP_API_END

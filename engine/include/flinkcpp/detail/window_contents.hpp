#pragma once

// What a window operator keeps per key and window, and what it hands on when
// the window fires: the contents policies (records folded, aggregated or
// listed, or kept with their timestamps for an evictor) and the finishing
// policies (emit the result, or call a process window function with it).
//
// A contents policy offers acc_type and result_type, create(record,
// timestamp), add(acc, record, timestamp), merge(acc, other) (session
// windows) and result(acc); result_of_nothing() is what a window emptied by
// an evictor gives (nullopt: no firing). Listed contents (a list kept as
// list state, appended to by the window operator itself) offer
// element_type and element(record, timestamp) instead of add and merge. Policies holding a user function
// pass open(runtime_context) and close() on to it (if it has them).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/evictor.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/process_window_function.hpp"
#include "flinkcpp/runtime_context.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Records folded into one T by `Fold`: void(T& accumulator, T&& record)
/// (reduce and the built-in aggregations), or (T&, const T&), which is
/// given the record without a copy. Merging folds one accumulator into the
/// other, which these folds allow.
template <class T, class Fold>
struct folded_contents {
  using acc_type = T;
  using result_type = T;

  T create(const T& record, std::int64_t) const { return record; }
  void add(T& acc, const T& record, std::int64_t) {
    if constexpr (std::is_invocable_v<Fold&, T&, const T&>)
      fold(acc, record);
    else
      fold(acc, T(record));
  }
  void merge(T& acc, T&& other) { fold(acc, std::move(other)); }
  T result(T&& acc) { return std::move(acc); }
  std::optional<T> result_of_nothing() const { return std::nullopt; }
  void open(const runtime_context& context) { open_function(fold, context); }
  void close() { close_function(fold); }

  Fold fold;
};

/// Records aggregated by an aggregate function object `Agg` offering
///   Acc create_accumulator(); void add(Acc&, const T&);
///   Out get_result(const Acc&); void merge(Acc&, Acc&&)
/// (Flink's AggregateFunction; merge serves session windows only).
template <class T, class Agg>
struct aggregated_contents {
  using acc_type = std::decay_t<decltype(std::declval<Agg&>().create_accumulator())>;
  using result_type =
    std::decay_t<decltype(std::declval<Agg&>().get_result(std::declval<const acc_type&>()))>;

  acc_type create(const T& record, std::int64_t) {
    auto acc = function.create_accumulator();
    function.add(acc, record);
    return acc;
  }
  void add(acc_type& acc, const T& record, std::int64_t) { function.add(acc, record); }
  void merge(acc_type& acc, acc_type&& other) { function.merge(acc, std::move(other)); }
  result_type result(acc_type&& acc) { return function.get_result(acc); }
  std::optional<result_type> result_of_nothing() {
    return function.get_result(function.create_accumulator());
  }
  void open(const runtime_context& context) { open_function(function, context); }
  void close() { close_function(function); }

  Agg function;
};

/// Every record, in arrival order (for a process window function alone).
/// Listed contents (this and evicting_contents) are lists of element_type,
/// element(record, timestamp) each, which a window operator appends to;
/// create and add serve evicting_contents, whose inner policy this may be.
template <class T>
struct listed_contents {
  using acc_type = std::vector<T>;
  using result_type = std::vector<T>;
  using element_type = T;

  static const T& element(const T& record, std::int64_t) { return record; }
  acc_type create(const T& record, std::int64_t) const { return {record}; }
  void add(acc_type& acc, const T& record, std::int64_t) const { acc.push_back(record); }
  acc_type result(acc_type&& acc) const { return std::move(acc); }
  std::optional<acc_type> result_of_nothing() const { return acc_type{}; }
};

/// Every record with its timestamp, for an evictor (Flink's
/// EvictingWindowOperator): a firing evicts, hands what is left through the
/// `Inner` policy (folded, aggregated or listed) and evicts again; the
/// records left stay in the window.
template <class T, class Inner>
struct evicting_contents {
  using acc_type = std::vector<timestamped_value<T>>;
  using result_type = typename Inner::result_type;
  using eviction_context = typename flinkcpp::evictor<T>::context;
  using element_type = timestamped_value<T>;

  static element_type element(const T& record, std::int64_t timestamp) {
    return {record, timestamp};
  }

  /// The evictor's evict_before on `acc`, then Inner's result over the
  /// records left (result_of_nothing if none is).
  std::optional<result_type> fire(acc_type& acc, const time_window& window,
                                  const eviction_context& ctx) {
    evictor->evict_before(acc, window, ctx);
    if (acc.empty())
      return inner.result_of_nothing();
    auto folded = inner.create(acc.front().value, acc.front().timestamp);
    for (auto it = acc.begin() + 1; it != acc.end(); ++it)
      inner.add(folded, it->value, it->timestamp);
    return inner.result(std::move(folded));
  }

  /// The evictor's evict_after on `acc`, after the window function ran.
  void after_fire(acc_type& acc, const time_window& window, const eviction_context& ctx) const {
    evictor->evict_after(acc, window, ctx);
  }

  void open(const runtime_context& context) { open_function(inner, context); }
  void close() { close_function(inner); }

  Inner inner;
  std::shared_ptr<const flinkcpp::evictor<T>> evictor;
};

/// Whether the contents of the policy C are listed (a list of element_type).
template <class C>
inline constexpr bool listed = requires {
  typename C::element_type;
};

/// Whether the contents policy C evicts (has fire and after_fire).
template <class C>
inline constexpr bool evicts = requires {
  typename C::eviction_context;
};

/// Emits a window's result as it is.
template <class R>
struct emit_result {
  using output_type = R;

  template <class K>
  void emit(const K&, window_context<K>&, R&& result, collector<R>& out) {
    out.collect(std::move(result));
  }
  template <class K>
  void clear(window_context<K>&) {}
};

/// Hands a window's result to a process window function `F`: all its
/// records (`whole`: the result is their list), or the one pre-aggregated
/// value.
template <class F, bool whole>
struct process_result {
  using output_type = typename F::output_type;
  using input_type = typename F::input_type;

  template <class R>
  void emit(const typename F::key_type& key, typename F::context& ctx, R&& result,
            collector<output_type>& out) {
    if constexpr (whole)
      function.process(key, ctx, std::span<const input_type>(result), out);
    else
      function.process(key, ctx, std::span<const input_type>(&result, 1), out);
  }
  void clear(typename F::context& ctx) { function.clear(ctx); }
  void open(const runtime_context& context) { function.open(context); }
  void close() { function.close(); }

  F function;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// What a window operator keeps per key and window, and what it hands on when
// the window fires: the contents policies (records folded, aggregated or
// listed) and the finishing policies (emit the result, or call a process
// window function with it).

#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/process_window_function.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Records folded into one T by `Fold`: void(T& accumulator, T&& record)
/// (reduce and the built-in aggregations). Merging folds one accumulator
/// into the other, which these folds allow.
template <class T, class Fold>
struct folded_contents {
  using acc_type = T;
  using result_type = T;

  T create(const T& record) const { return record; }
  void add(T& acc, const T& record) { fold(acc, T(record)); }
  void merge(T& acc, T&& other) { fold(acc, std::move(other)); }
  T result(T&& acc) { return std::move(acc); }

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

  acc_type create(const T& record) {
    auto acc = function.create_accumulator();
    function.add(acc, record);
    return acc;
  }
  void add(acc_type& acc, const T& record) { function.add(acc, record); }
  void merge(acc_type& acc, acc_type&& other) { function.merge(acc, std::move(other)); }
  result_type result(acc_type&& acc) { return function.get_result(acc); }

  Agg function;
};

/// Every record, in arrival order (for a process window function alone).
template <class T>
struct listed_contents {
  using acc_type = std::vector<T>;
  using result_type = std::vector<T>;

  acc_type create(const T& record) const { return {record}; }
  void add(acc_type& acc, const T& record) const { acc.push_back(record); }
  void merge(acc_type& acc, acc_type&& other) const {
    acc.insert(acc.end(), std::make_move_iterator(other.begin()),
               std::make_move_iterator(other.end()));
  }
  acc_type result(acc_type&& acc) const { return std::move(acc); }
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

  F function;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// Deduces record types from user functions, so that jobs can write
//   .flat_map([](std::string_view line, collector<word_count>& out) { ... })
// without naming word_count twice.

#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

template <class F, class = void>
struct call_signature;

template <class R, class... Args>
struct call_signature<R (*)(Args...)> {
  using result = R;
  using args = std::tuple<Args...>;
};

template <class R, class C, class... Args>
struct call_signature<R (C::*)(Args...)> : call_signature<R (*)(Args...)> {};
template <class R, class C, class... Args>
struct call_signature<R (C::*)(Args...) const> : call_signature<R (*)(Args...)> {};
template <class R, class C, class... Args>
struct call_signature<R (C::*)(Args...) noexcept> : call_signature<R (*)(Args...)> {};
template <class R, class C, class... Args>
struct call_signature<R (C::*)(Args...) const noexcept> : call_signature<R (*)(Args...)> {};
template <class R, class... Args>
struct call_signature<R (*)(Args...) noexcept> : call_signature<R (*)(Args...)> {};

template <class F>
struct call_signature<F, std::void_t<decltype(&F::operator())>>
  : call_signature<decltype(&F::operator())> {};

template <class C>
struct collector_record;
template <class T>
struct collector_record<collector<T>&> {
  using type = T;
};

/// The record type a flat_map function emits: X in its `collector<X>&` parameter.
template <class F>
using flat_map_output_t = typename collector_record<
  std::tuple_element_t<1, typename call_signature<std::decay_t<F>>::args>>::type;

/// Calls `f` with a record the caller owns: moved in when `f` can take an
/// rvalue (so a by-value parameter costs no copy), else as an lvalue.
template <class F, class T, class... Rest>
decltype(auto) call_with_record(F& f, T& record, Rest&&... rest) {
  if constexpr (std::is_invocable_v<F&, T&&, Rest&&...>)
    return std::invoke(f, std::move(record), std::forward<Rest>(rest)...);
  else
    return std::invoke(f, record, std::forward<Rest>(rest)...);
}

/// The record type a map function returns for an input T.
template <class F, class T>
using map_output_t =
  std::decay_t<decltype(call_with_record(std::declval<F&>(), std::declval<T&>()))>;

/// The key type a key selector (a callable or a member pointer) yields.
template <class KeyFn, class T>
using key_type_t = std::decay_t<std::invoke_result_t<const KeyFn&, const T&>>;

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

template <class Signature>
class function_ref;

/// A reference to a callable taking Args... and returning R, passed to a
/// virtual function without std::function's allocation (a lambda capturing
/// more than two references does not fit std::function's buffer). Holds a
/// pointer to the callable, which must outlive it: for parameters only.
/// Calling it is as thread-safe as calling the callable.
template <class R, class... Args>
class function_ref<R(Args...)> {
public:
  template <class F, std::enable_if_t<!std::is_same_v<std::remove_cvref_t<F>, function_ref> &&
                                        std::is_invocable_r_v<R, F&, Args...>,
                                      int> = 0>
  function_ref(F&& f) noexcept // converts as std::function does
    : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
      call_([](void* object, Args... args) -> R {
        return std::invoke(*static_cast<std::add_pointer_t<std::remove_reference_t<F>>>(object),
                           std::forward<Args>(args)...);
      }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

private:
  void* object_;
  R (*call_)(void*, Args...);
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

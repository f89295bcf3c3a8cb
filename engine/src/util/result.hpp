#pragma once

#include <string>
#include <utility>
#include <variant>

#include "util/errc.hpp"

namespace flinkcpp {

/// The failure half of a result: one line that says what was wrong and what
/// was expected ("invalid value '0' for 'parallelism.default': expected a
/// positive integer").
/// A failure may say what kind it is (errc); most need not.
class failure {
public:
  explicit failure(std::string message) : message_(std::move(message)) {}
  failure(errc code, std::string message) : message_(std::move(message)), code_(code) {}

  const std::string& message() const noexcept { return message_; }
  errc code() const noexcept { return code_; }

private:
  std::string message_;
  errc code_ = errc::unspecified;
};

/// Either a value or a failure. Expected errors (bad configuration, bad input,
/// I/O) travel as results; exceptions are kept for bugs and user-code failures.
/// Not thread-safe; a plain value type.
template <class T>
class [[nodiscard]] result {
public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(failure f) : state_(std::in_place_index<1>, std::move(f)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// Requires ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// Requires !ok().
  const std::string& error() const { return std::get<1>(state_).message(); }
  errc code() const { return std::get<1>(state_).code(); }

private:
  std::variant<T, failure> state_;
};

/// A result without a value: success, or a failure message.
template <>
class [[nodiscard]] result<void> {
public:
  result() = default;
  result(const failure& f) : message_(f.message()), code_(f.code()), ok_(false) {}

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }

  /// Requires !ok().
  const std::string& error() const { return message_; }
  errc code() const { return code_; }

private:
  std::string message_;
  errc code_ = errc::unspecified;
  bool ok_ = true;
};

} // namespace flinkcpp

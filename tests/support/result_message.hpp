#pragma once

#include <string>

namespace flinkcpp::testing {

/// The failure message of a flinkcpp::result, or nothing when it holds a
/// value: for the message argument of a check, which is evaluated whether
/// the check passes or not (error() requires a failure).
template <class Result>
std::string error_of(const Result& r) {
  return r.ok() ? std::string{} : r.error();
}

} // namespace flinkcpp::testing

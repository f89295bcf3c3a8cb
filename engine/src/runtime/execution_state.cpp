#include "runtime/execution_state.hpp"

namespace flinkcpp {

std::string_view to_string(execution_state s) noexcept {
  switch (s) {
    case execution_state::created:
      return "CREATED";
    case execution_state::deploying:
      return "DEPLOYING";
    case execution_state::initializing:
      return "INITIALIZING";
    case execution_state::running:
      return "RUNNING";
    case execution_state::finished:
      return "FINISHED";
    case execution_state::canceling:
      return "CANCELING";
    case execution_state::canceled:
      return "CANCELED";
    case execution_state::failed:
      return "FAILED";
  }
  return "UNKNOWN";
}

} // namespace flinkcpp

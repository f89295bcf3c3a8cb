#pragma once

#include <string_view>

namespace flinkcpp {

/// The state of one subtask (Flink's ExecutionState).
enum class execution_state {
  created,
  deploying,
  initializing,
  running,
  finished,
  canceling,
  canceled,
  failed,
};

/// Flink's name for the state ("RUNNING", ...).
std::string_view to_string(execution_state s) noexcept;

/// Whether a subtask in `s` has ended: finished, canceled or failed.
constexpr bool is_terminal(execution_state s) noexcept {
  return s == execution_state::finished || s == execution_state::canceled ||
         s == execution_state::failed;
}

} // namespace flinkcpp

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

} // namespace flinkcpp

#pragma once

#include <string>

#include <caf/fwd.hpp>

namespace flinkcpp {

/// The text of an error for messages users read: the message flink-cpp gave
/// it (make_error with one string), else CAF's rendering of it.
std::string error_text(caf::actor_system& system, const caf::error& error);

} // namespace flinkcpp

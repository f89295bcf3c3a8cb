#pragma once

// The control plane's errors: flink-cpp's own travel as CAF errors of
// category "flinkcpp" whose code is an errc and whose context is one line
// for users; CAF's own (a timeout, an actor gone) keep their category.

#include <string>

#include <caf/fwd.hpp>

#include "util/errc.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// An error of kind `code` saying `message`.
caf::error make_control_error(errc code, std::string message);

/// The text of an error for messages users read: the message flink-cpp gave
/// it, else CAF's rendering of it.
std::string error_text(caf::actor_system& system, const caf::error& error);

/// `error` as a failure: its text, and its errc when it is one of
/// flink-cpp's (CAF's own are `unavailable` when a peer is gone or did not
/// answer in time, else unspecified).
failure failure_of(caf::actor_system& system, const caf::error& error);

/// Lets an actor system render flink-cpp's errors ("not_found: <message>").
void register_error_category(caf::actor_system_config& config);

} // namespace flinkcpp

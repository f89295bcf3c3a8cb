#pragma once

#include <cstdint>
#include <string_view>

namespace flinkcpp {

/// What kind of failure a result or a control-plane error carries, so that
/// callers act on it without parsing the message (the REST API maps it to a
/// status code). Travels between processes in CAF errors of category
/// "flinkcpp" (cluster/errors.hpp); 0 is CAF's "no error" and never used.
enum class errc : std::uint8_t {
  unspecified = 1,  ///< any other failure
  not_found,        ///< no such job, taskmanager, file or trigger
  conflict,         ///< it exists, but its state refuses the request (a job not running)
  invalid_argument, ///< the request itself is wrong
  unavailable,      ///< the process is leaving or a peer cannot be reached
};

/// The enumerator's name ("not_found").
std::string_view to_string(errc code);

} // namespace flinkcpp

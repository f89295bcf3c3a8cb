#pragma once

#include <map>

#include "checkpoint/restore_assignment.hpp"
#include "flinkcpp/detail/operator_snapshot.hpp"

namespace flinkcpp {

/// Starts the message of every failure to read a subtask's state.
inline constexpr const char* restore_failure_marker = "cannot restore from checkpoint ";

/// The restored state of one subtask's operators, by operator id.
using restored_operators = std::map<operator_id, detail::operator_restore>;

/// Reads the files `restore` names (checking each) and hands every operator
/// its entries and key groups. Blocking (an I/O thread). Fails naming the
/// file that is missing or corrupt.
result<restored_operators> read_subtask_restore(const subtask_restore& restore);

} // namespace flinkcpp

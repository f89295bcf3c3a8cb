#pragma once

#include <functional>
#include <map>
#include <memory>

#include "checkpoint/restore_assignment.hpp"
#include "flinkcpp/detail/operator_snapshot.hpp"

namespace flinkcpp {

/// Starts the message of every failure to read a subtask's state.
inline constexpr const char* restore_failure_marker = "cannot restore from checkpoint ";

/// The restored state of one subtask's operators, by operator id.
using restored_operators = std::map<operator_id, detail::operator_restore>;

/// Prepares the store a native keyed state handle (incremental LevelDB
/// checkpoints) describes, given the snapshot's directory; fails naming the
/// file, or why this subtask cannot take native state.
using native_restorer = std::function<result<std::shared_ptr<detail::native_state>>(
  const std::string& directory, const keyed_state_handle& handle)>;

/// Reads the files `restore` names (checking each) and hands every operator
/// its entries and key groups; native handles go through `prepare_native`.
/// Blocking (an I/O thread). Fails naming the file that is missing or corrupt.
result<restored_operators> read_subtask_restore(const subtask_restore& restore,
                                                const native_restorer& prepare_native);

} // namespace flinkcpp

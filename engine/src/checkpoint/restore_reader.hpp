#pragma once

#include <map>
#include <memory>
#include <vector>

#include "checkpoint/restore_assignment.hpp"
#include "checkpoint/storage/keyed_state_restorer.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

namespace flinkcpp {

/// Starts the message of every failure to read a subtask's state.
inline constexpr const char* restore_failure_marker = "cannot restore from checkpoint ";

/// The restored state of one subtask's operators, by operator id.
using restored_operators = std::map<operator_id, spi::operator_restore>;

/// Reads the files `restore` names (checking each) and hands every operator
/// its entries and keyed state as `restorer` takes it. Blocking (an I/O
/// thread). Fails naming the file that is missing or corrupt.
result<restored_operators> read_subtask_restore(const subtask_restore& restore,
                                                const keyed_state_restorer& restorer);

} // namespace flinkcpp

#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

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

/// Builds a store in the backend's own format from an operator's canonical
/// keyed state files (in the snapshot's directory) for a subtask owning key
/// groups `range`; fails naming the file that is missing or corrupt.
using canonical_builder = std::function<result<std::shared_ptr<detail::native_state>>(
  const std::string& directory, std::vector<keyed_state_handle> handles,
  detail::key_group_range range)>;

/// How a subtask's backend takes keyed state.
struct keyed_state_restorer {
  native_restorer prepare_native;
  /// Null: canonical files are read into operator_restore::key_groups (the
  /// hashmap backend keeps state in memory anyway).
  canonical_builder build_from_canonical;
};

/// Reads the files `restore` names (checking each) and hands every operator
/// its entries and keyed state as `restorer` takes it. Blocking (an I/O
/// thread). Fails naming the file that is missing or corrupt.
result<restored_operators> read_subtask_restore(const subtask_restore& restore,
                                                const keyed_state_restorer& restorer);

} // namespace flinkcpp

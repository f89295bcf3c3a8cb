#pragma once

#include <string>
#include <utility>
#include <vector>

#include "checkpoint/checkpoint_metadata.hpp"
#include "flinkcpp/detail/key_groups.hpp"
#include "flinkcpp/detail/operator_snapshot.hpp"

namespace flinkcpp {

/// Writes the keyed state of one operator subtask, owning key groups `range`,
/// as produced by `produce`, to the sealed file `directory`/`name`: each
/// non-empty group as (group, length, bytes). Blocking (an I/O thread); the
/// file is on disk when this returns. Fails naming the file; a group outside
/// `range` or out of order is a bug and fails too.
result<keyed_state_handle>
write_keyed_state_file(const std::string& directory, const std::string& name,
                       detail::key_group_range range,
                       const std::function<void(const detail::key_group_sink&)>& produce);

/// The groups in `wanted` that the keyed state file of `handle` (in
/// `directory`) holds, as (group, bytes). Checks the file's envelope and that
/// it is the file the handle names (size and checksum). Blocking.
result<std::vector<std::pair<int, std::string>>>
read_keyed_state_file(const std::string& directory, const keyed_state_handle& handle,
                      detail::key_group_range wanted);

} // namespace flinkcpp

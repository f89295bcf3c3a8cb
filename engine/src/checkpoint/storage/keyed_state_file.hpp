#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

namespace flinkcpp {

/// The envelope of a keyed state file (sealed_file.hpp): its magic and the
/// format version this build writes and reads. The payload: the subtask's
/// key group range (two int32), then each non-empty group as (varint group,
/// varint length, bytes), in ascending order.
inline constexpr std::string_view keyed_state_magic = "FCPKEYED";
inline constexpr std::uint32_t keyed_state_version = 1;

/// Writes the keyed state of one operator subtask, owning key groups `range`,
/// as produced by `produce`, to the sealed file `directory`/`name`: each
/// non-empty group as (group, length, bytes). Blocking (an I/O thread); the
/// file is on disk when this returns. Fails naming the file; a group outside
/// `range` or out of order is a bug and fails too.
result<keyed_state_handle>
write_keyed_state_file(const std::string& directory, const std::string& name,
                       spi::key_group_range range,
                       const std::function<void(const spi::key_group_sink&)>& produce);

/// Receives one key group's bytes as a keyed state file is read; a failure
/// stops the reading.
using key_group_visitor = std::function<result<void>(int group, std::string_view bytes)>;

/// Streams the groups in `wanted` that the keyed state file of `handle` (in
/// `directory`) holds to `visit`, in the file's ascending order, one group
/// in memory at a time. Checks the file's envelope and that it is the file
/// the handle names; the checksum is known only at the end, so what `visit`
/// built is to be used only when this succeeds. Blocking. Fails naming the
/// file, or with what `visit` returned.
result<void> for_each_keyed_state_group(const std::string& directory,
                                        const keyed_state_handle& handle,
                                        spi::key_group_range wanted,
                                        const key_group_visitor& visit);

/// The groups in `wanted` that the keyed state file of `handle` (in
/// `directory`) holds, as (group, bytes). Checks the file's envelope and that
/// it is the file the handle names (size and checksum). Blocking.
result<std::vector<std::pair<int, std::string>>>
read_keyed_state_file(const std::string& directory, const keyed_state_handle& handle,
                      spi::key_group_range wanted);

} // namespace flinkcpp

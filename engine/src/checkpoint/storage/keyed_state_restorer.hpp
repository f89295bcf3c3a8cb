#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Prepares the store a native keyed state handle (incremental LevelDB
/// checkpoints) describes, given the snapshot's directory; fails naming the
/// file, or why this subtask cannot take native state.
using native_restorer = std::function<result<std::shared_ptr<spi::native_state>>(
  const std::string& directory, const keyed_state_handle& handle)>;

/// Builds a store in the backend's own format from an operator's canonical
/// keyed state files (in the snapshot's directory) for a subtask owning key
/// groups `range`; fails naming the file that is missing or corrupt.
using canonical_builder = std::function<result<std::shared_ptr<spi::native_state>>(
  const std::string& directory, std::vector<keyed_state_handle> handles,
  spi::key_group_range range)>;

/// How a subtask's backend takes keyed state.
struct keyed_state_restorer {
  native_restorer prepare_native;
  /// Null: canonical files are read into operator_restore::key_groups (the
  /// hashmap backend keeps state in memory anyway).
  canonical_builder build_from_canonical;
};

} // namespace flinkcpp

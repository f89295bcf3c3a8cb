#pragma once

// What an operator instance puts into a checkpoint and gets back on restore.
// Two kinds of state, as in Flink:
// - operator state: named lists of entries (a source's positions, a sink's
//   pending files). `split` lists are spread over the subtasks on restore
//   (Flink's ListState), `union_all` lists go to every subtask (UnionListState).
// - keyed state: bytes per key group. A subtask restores the groups it owns,
//   whatever the parallelism was when they were written.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// Thrown by an operator's snapshot_state when it cannot take part in
/// snapshots (a sink writing one plain file): the checkpoint is declined with
/// the message, the job goes on.
class snapshot_declined : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Keyed state in a backend's own format (the table files of a LevelDB
/// store, for incremental checkpoints). Made and read by the engine; job
/// code only hands it between the engine and its kv store.
class native_state {
public:
  virtual ~native_state() = default;
};

/// How an operator state list is redistributed when a job restores.
enum class redistribution : std::uint8_t {
  split,     ///< entries of all subtasks pooled, then dealt out round robin
  union_all, ///< every subtask gets the entries of all subtasks
};

struct operator_state_list {
  redistribution mode = redistribution::split;
  std::vector<std::string> entries;
};

/// Receives keyed state, one key group at a time, in increasing group order.
using key_group_sink = std::function<void(int key_group, std::string_view bytes)>;

/// The state of one operator instance at one checkpoint.
struct operator_snapshot {
  /// Set by the engine before it asks: keyed state may come as `native`
  /// (an incremental checkpoint; never for savepoints, which stay portable).
  bool native_allowed = false;

  std::map<std::string, operator_state_list> lists;

  /// Writes the keyed state into the sink it is given. Runs on an I/O thread
  /// after the subtask carried on, so it must only read data that stays
  /// unchanged (a copy or a snapshot of the backend). Empty: no keyed state.
  std::function<void(const key_group_sink&)> keyed;

  /// Instead of `keyed`, when native_allowed: the backend's files, pinned.
  std::shared_ptr<native_state> native;

  /// Whether what the state refers to is durable yet: output that
  /// asynchronous work begun before the snapshot is still writing (a part
  /// file the state lists as pending). The runtime acknowledges the
  /// checkpoint only once it returns true, asking on the subtask's thread
  /// whenever the subtask is woken. Empty: nothing to wait for.
  std::function<bool()> durable;
};

/// The state an operator instance restores from.
struct operator_restore {
  /// The entries of each list this subtask receives.
  std::map<std::string, std::vector<std::string>> lists;
  /// (key group, bytes) of the groups this subtask owns that hold state.
  std::vector<std::pair<int, std::string>> key_groups;
  /// Keyed state written in the backend's own format: prepared stores,
  /// each holding some of the groups this subtask owns.
  std::vector<std::shared_ptr<native_state>> native;

  /// The entries of list `name` (empty if it has none).
  const std::vector<std::string>& list(const std::string& name) const {
    static const std::vector<std::string> none;
    auto i = lists.find(name);
    return i == lists.end() ? none : i->second;
  }
};

} // namespace flinkcpp::spi
FLINKCPP_API_END

#pragma once

// The byte-level store under an operator's keyed state on the LevelDB
// backend (Flink's EmbeddedRocksDBStateBackend, with LevelDB): typed tables
// (kv_state_tables.hpp) encode keys and values and keep them here. The
// engine implements these interfaces (src/state/); the templates that job
// code instantiates only see them.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// Visits entries in key order; returns false to stop.
using kv_visitor = std::function<bool(std::string_view key, std::string_view value)>;

/// A consistent read-only view of a store at one moment. Thread-safe: a
/// snapshot is read on an I/O thread while its store goes on changing.
class kv_snapshot {
public:
  virtual ~kv_snapshot() = default;
  /// Every entry whose key starts with `prefix`, in key order.
  virtual void scan(std::string_view prefix, const kv_visitor& visit) const = 0;
};

/// One operator instance's ordered key-value store. Used from its subtask's
/// thread only (snapshots excepted). Failures of the store (disk full, a
/// corrupt file) throw std::runtime_error, which fails the subtask.
class kv_store {
public:
  virtual ~kv_store() = default;
  /// The value of `key` into `value`; false when there is none.
  virtual bool get(std::string_view key, std::string& value) = 0;
  virtual void put(std::string_view key, std::string_view value) = 0;
  virtual void erase(std::string_view key) = 0;
  /// Every entry whose key starts with `prefix`, in key order.
  virtual void scan(std::string_view prefix, const kv_visitor& visit) = 0;
  /// Every entry whose key starts with `prefix` and sorts at or after
  /// `from`, in key order: a scan that skips what is known to be gone.
  virtual void scan_from(std::string_view prefix, std::string_view from,
                         const kv_visitor& visit) = 0;
  /// Deletes every entry whose key starts with `prefix`.
  virtual void erase_prefix(std::string_view prefix) = 0;
  /// The store as it is now, for a checkpoint.
  virtual std::shared_ptr<const kv_snapshot> snapshot() = 0;
  /// The store's own files as they are now, for an incremental checkpoint:
  /// cheap here (buffered writes are flushed, files pinned); the engine
  /// uploads them on an I/O thread.
  virtual std::shared_ptr<native_state> native_snapshot() = 0;
  /// Replaces the contents of this still empty store with the groups in
  /// `range` of `parts` (operator_restore::native). Throws
  /// std::runtime_error when a part cannot be opened.
  virtual void restore_native(const std::vector<std::shared_ptr<native_state>>& parts,
                              key_group_range range) = 0;
};

/// Opens the stores of a subtask's keyed operators; given to operators
/// through operator_context::state_backend (null: the hashmap backend).
class keyed_backend {
public:
  virtual ~keyed_backend() = default;
  /// A new, empty store for the operator `name` (unique within the subtask).
  virtual std::unique_ptr<kv_store> open(const std::string& name) = 0;
  /// Checkpoint `checkpoint` completed: files it holds may be shared by the
  /// next incremental checkpoints instead of uploaded again.
  virtual void checkpoint_complete(std::int64_t checkpoint) = 0;
};

} // namespace flinkcpp::spi
FLINKCPP_API_END

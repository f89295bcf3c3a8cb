#pragma once

// What every keyed state table shares, on either backend: the TTL clock and
// policy, the current key, and the interface the state store uses.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/state.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Milliseconds since the epoch: the processing time state TTL measures.
inline std::int64_t state_clock_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// A stored value with the time its time to live was last refreshed.
template <class V>
struct stamped {
  V value;
  std::int64_t stamp = 0;
};

/// Serialized as the value, then its stamp (the snapshot format of both backends).
template <class Inspector, class V>
auto inspect(Inspector& f, stamped<V>& x) {
  return f(x.value, x.stamp);
}

/// When entries expire, for a table declared with (or without) a TTL.
class ttl_policy {
public:
  explicit ttl_policy(const std::optional<state_ttl_config>& config) : config_(config) {}

  bool enabled() const { return config_.has_value(); }
  /// The stamp of an entry written now (0 without a TTL: no clock read).
  std::int64_t stamp() const { return config_ ? state_clock_now() : 0; }

  bool expired(std::int64_t stamp, std::int64_t now) const {
    return config_ && now - stamp >= config_->ttl.count();
  }
  /// Whether a stored but expired entry must be hidden (and dropped) on read.
  bool hides_expired() const {
    return config_ &&
           config_->visibility == state_ttl_config::state_visibility::never_return_expired;
  }
  bool refresh_on_read() const {
    return config_ && config_->update == state_ttl_config::update_type::on_read_and_write;
  }

private:
  std::optional<state_ttl_config> config_;
};

/// The key of the record being processed, as the tables need it.
template <class K>
struct current_key {
  const K* key = nullptr;
  std::uint64_t hash = 0;
  int group = 0; ///< index into the store's key group range
};

/// Timer tables (timer_table.hpp) are kept as keyed state too.
enum table_kind : std::uint8_t { value_kind = 1, list_kind = 2, map_kind = 3, timer_kind = 4 };

/// What the store needs of every table, whatever its backend: its kind, how
/// to take in a key group's restored entries (in the snapshot format), and
/// news of a restore that replaced the store's contents under it (the
/// LevelDB backend's own files).
class state_table_base {
public:
  virtual ~state_table_base() = default;
  virtual std::uint8_t kind() const = 0;
  virtual void read_group(int group, binary_reader& in) = 0;
  virtual void restored() {}
  /// Writes what the table holds back from its store (changed values it
  /// caches) to the store: before the store is snapshotted or scanned.
  virtual void flush() {}
};

/// The keys that have entries in a table of keys K (Flink's
/// KeyedStateBackend#getKeys), in no particular order: what
/// apply_to_keyed_state visits.
template <class K>
class key_listing {
public:
  virtual ~key_listing() = default;
  virtual std::vector<K> keys() = 0;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

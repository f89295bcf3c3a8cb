#pragma once

// The hashmap keyed state backend (Flink's HashMapStateBackend): state lives in
// memory, in one hash map per key group, so that it can be snapshotted and
// redistributed per key group. Keys are found by their stable hash, which a
// hash-partitioned batch already carries, so a key is hashed once per hop.

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include <absl/container/flat_hash_map.h>
#include <vector>

#include "flinkcpp/detail/key_groups.hpp"
#include "flinkcpp/detail/key_hash.hpp"

namespace flinkcpp::detail {

/// A key with its stable hash already computed.
template <class K>
struct prehashed_key {
  const K& key;
  std::uint64_t hash;
};

template <class K>
struct stable_key_hasher {
  using is_transparent = void;
  std::size_t operator()(const K& k) const { return static_cast<std::size_t>(key_hash(k)); }
  std::size_t operator()(const prehashed_key<K>& k) const {
    return static_cast<std::size_t>(k.hash);
  }
};

template <class K>
struct stable_key_equal {
  using is_transparent = void;
  bool operator()(const K& a, const K& b) const { return a == b; }
  bool operator()(const prehashed_key<K>& a, const K& b) const { return a.key == b; }
  bool operator()(const K& a, const prehashed_key<K>& b) const { return a == b.key; }
};

/// Type-erased view of one named state table.
class keyed_table_base {
public:
  virtual ~keyed_table_base() = default;
  virtual std::size_t size() const = 0;
};

/// One value per key, partitioned by key group. Owned by a backend; used by
/// one subtask's thread only.
template <class K, class V>
class keyed_value_table final : public keyed_table_base {
public:
  using map_type = absl::flat_hash_map<K, V, stable_key_hasher<K>, stable_key_equal<K>>;

  keyed_value_table(key_group_range range, int max_parallelism)
    : range_(range), max_parallelism_(max_parallelism), groups_(range.size()) {}

  /// The map of the key group a key with `hash` belongs to. Throws
  /// std::logic_error when this subtask does not own that group (a routing bug).
  map_type& group_of(std::uint64_t hash) {
    int g = key_group_of(hash, max_parallelism_);
    if (!range_.contains(g))
      throw std::logic_error("flink-cpp: record routed to a subtask that does not own its key group");
    return groups_[g - range_.begin];
  }

  /// The map of key group `g` (which this subtask owns).
  map_type& group(int g) { return groups_[g - range_.begin]; }

  key_group_range key_groups() const { return range_; }

  std::size_t size() const override {
    std::size_t n = 0;
    for (const auto& g : groups_)
      n += g.size();
    return n;
  }

  void clear() {
    for (auto& g : groups_)
      map_type{}.swap(g);
  }

private:
  key_group_range range_;
  int max_parallelism_;
  std::vector<map_type> groups_;
};

/// The keyed state of one operator instance: named tables over the key groups
/// the subtask owns. Not thread-safe; belongs to one subtask.
class hashmap_keyed_state_backend {
public:
  hashmap_keyed_state_backend(key_group_range range, int max_parallelism)
    : range_(range), max_parallelism_(max_parallelism) {}

  /// The value table `name`, created on first use. Throws std::logic_error when
  /// `name` was first created with other types.
  template <class K, class V>
  keyed_value_table<K, V>& value_table(const std::string& name) {
    auto& slot = tables_[name];
    if (!slot.table) {
      slot.table = std::make_unique<keyed_value_table<K, V>>(range_, max_parallelism_);
      slot.type = &typeid(keyed_value_table<K, V>);
    } else if (*slot.type != typeid(keyed_value_table<K, V>)) {
      throw std::logic_error("flink-cpp: state '" + name + "' used with two different types");
    }
    return static_cast<keyed_value_table<K, V>&>(*slot.table);
  }

  key_group_range key_groups() const { return range_; }

private:
  struct entry {
    std::unique_ptr<keyed_table_base> table;
    const std::type_info* type = nullptr;
  };
  key_group_range range_;
  int max_parallelism_;
  std::map<std::string, entry> tables_;
};

} // namespace flinkcpp::detail

#pragma once

// Hash maps for keyed state. A key is hashed with its stable hash
// (key_hash.hpp), which a hash-partitioned batch already carries, so a key is
// hashed once per hop: lookups of the current key pass the hash they have
// (tsl::robin_map's precalculated-hash overloads). tsl::robin_map is
// header-only, so a job library that instantiates these tables links nothing
// for them.
//
// Iterators of a robin_map give the value to change through it.value(), and
// erase(it) moves later entries back: erase with `it = m.erase(it)`.

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

#include <tsl/robin_map.h>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

template <class K>
struct stable_key_hasher {
  std::size_t operator()(const K& k) const { return static_cast<std::size_t>(key_hash(k)); }
};

/// A hash map from K to V by stable key hash. The hash of each entry is kept
/// with it, so that growing never hashes a key again and most mismatches are
/// told apart without comparing keys. Filled up to `max_load` before it grows
/// (robin_map's default, 0.5, costs twice the memory of a full table; robin
/// hood probing stays short well beyond it).
template <class K, class V>
class stable_hash_map : public tsl::robin_map<K, V, stable_key_hasher<K>, std::equal_to<K>,
                                              std::allocator<std::pair<K, V>>, /*StoreHash=*/true> {
public:
  static constexpr float max_load = 0.85F;

  stable_hash_map() { this->max_load_factor(max_load); }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

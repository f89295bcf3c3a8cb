#pragma once

// Hash map support for keyed state: keys are found by their stable hash,
// which a hash-partitioned batch already carries, so a key is hashed once per
// hop (prehashed lookups).

#include <cstdint>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

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

} // namespace flinkcpp::detail
FLINKCPP_API_END

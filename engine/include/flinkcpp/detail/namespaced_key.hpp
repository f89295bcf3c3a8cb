#pragma once

// Keys of namespaced state (Flink's per-window state): a key and one of its
// windows, stored flat, one entry per (key, window), so that reaching a
// window's state is one lookup. Its binary form is the key's then the
// window's (a pair's), and so are its kv store rows and snapshot bytes.

#include <cstddef>
#include <cstdint>

#include "flinkcpp/detail/keyed_state.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/time_window.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A key of K in the namespace N. A value type.
template <class K, class N>
struct namespaced_key {
  K key{};
  N ns{};
  friend bool operator==(const namespaced_key&, const namespaced_key&) = default;
};

template <class Inspector, class K, class N>
auto inspect(Inspector& f, namespaced_key<K, N>& x) {
  return f(x.key, x.ns);
}

/// The hash of `window` as a namespace (not stable across versions: it only
/// places entries in a hash map; the key group is the key's).
inline std::uint64_t namespace_hash(const time_window& window) noexcept {
  return static_cast<std::uint64_t>(window.start) * 0x9e3779b97f4a7c15ULL ^
         static_cast<std::uint64_t>(window.end) * 0xc2b2ae3d27d4eb4fULL;
}

/// The hash of a key whose stable hash is `key_hash` in namespace `ns`
/// (hash maps of namespaced state look entries up by it, so a key's bytes
/// are not hashed again for each of its windows).
template <class N>
std::uint64_t namespaced_hash(std::uint64_t key_hash, const N& ns) noexcept {
  auto h = key_hash ^ namespace_hash(ns);
  h ^= h >> 33; // MurmurHash3's finalizer: every bit of both reaches the low bits
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

template <class K, class N>
struct stable_key_hasher<namespaced_key<K, N>> {
  std::size_t operator()(const namespaced_key<K, N>& k) const {
    return static_cast<std::size_t>(namespaced_hash(key_hash(k.key), k.ns));
  }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#include "flinkcpp/detail/key_hash.hpp"

// Inlined here: keys are mostly short, and the library's XXH3_64bits costs a
// call and a dispatch per key. Same algorithm, same hashes.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace flinkcpp::detail {

// In util, not api: state backends place keys in key groups without linking
// the job API.
std::uint64_t hash_bytes(const void* data, std::size_t size) noexcept {
  return XXH3_64bits(data, size);
}

} // namespace flinkcpp::detail

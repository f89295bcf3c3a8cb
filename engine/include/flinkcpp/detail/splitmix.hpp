#pragma once

// SplitMix64's output function: a well-mixed 64-bit value of a 64-bit
// input, for generators that draw the random values of record i from i
// itself (so that a record is the same whichever subtask makes it).

#include <cstdint>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

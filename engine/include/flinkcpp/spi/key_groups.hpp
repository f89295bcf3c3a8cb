#pragma once

// Key groups, as Flink defines them: `pipeline.max-parallelism` fixes the
// number of key groups; a key belongs to one group by its hash, and subtask i
// of p owns one contiguous range of groups. State is kept and snapshotted per
// key group, so a job can restore at another parallelism.

#include <cstdint>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// The largest `pipeline.max-parallelism` (Flink's upper bound, 2^15).
inline constexpr int max_key_groups = 1 << 15;

/// A half-open range [begin, end) of key groups. A plain value type.
struct key_group_range {
  int begin = 0;
  int end = 0;

  int size() const noexcept { return end - begin; }
  bool contains(int key_group) const noexcept { return key_group >= begin && key_group < end; }
  friend bool operator==(const key_group_range&, const key_group_range&) = default;
};

/// The key group of a key with stable hash `key_hash`: the high 32 bits of the
/// hash scaled onto [0, max_parallelism) (a multiply and a shift, not a division,
/// as this runs once per record on both ends of a hash edge).
inline int key_group_of(std::uint64_t key_hash, int max_parallelism) noexcept {
  return static_cast<int>(((key_hash >> 32) * static_cast<std::uint64_t>(max_parallelism)) >> 32);
}

/// The subtask (of `parallelism`) that owns `key_group` (Flink's
/// computeOperatorIndexForKeyGroup).
inline int subtask_for_key_group(int max_parallelism, int parallelism, int key_group) noexcept {
  return static_cast<int>(static_cast<std::int64_t>(key_group) * parallelism / max_parallelism);
}

/// The key groups subtask `index` of `parallelism` owns (Flink's
/// computeKeyGroupRangeForOperatorIndex). Requires parallelism <= max_parallelism.
inline key_group_range key_groups_of_subtask(int max_parallelism, int parallelism,
                                             int index) noexcept {
  auto mp = static_cast<std::int64_t>(max_parallelism);
  auto p = static_cast<std::int64_t>(parallelism);
  auto begin = (index * mp + p - 1) / p;
  auto last = ((index + 1) * mp - 1) / p;
  return {static_cast<int>(begin), static_cast<int>(last + 1)};
}

} // namespace flinkcpp::spi
FLINKCPP_API_END

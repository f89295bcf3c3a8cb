#pragma once

// The index of a table whose values hold their own keys (the aggregates a
// pre_aggregating_writer keeps in a vector): open addressing from a key's
// hash to the value's position.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Maps key hashes to positions (in a vector the caller keeps) by linear
/// probing over 4-byte slots of a tag and a position below max_positions.
/// The tag is 16 bits of the hash's high half (never 0, which marks an
/// empty slot; not its top bits, which the key group of a subtask's keys
/// fixes), so other keys are mostly ruled out without touching the caller's
/// values; the caller compares the keys themselves (`same(position)`) and,
/// when the index grows, gives each position's hash again
/// (`hash_of(position)`). Grows at a load of 3/4. Slots of 4 bytes keep the
/// index of a full pre-aggregation table in 512 KB, in the core's L2 cache
/// beside the aggregates (its lookups are the hottest loads of a BATCH
/// WordCount). Not thread-safe.
class aggregate_index {
public:
  /// No position.
  static constexpr std::uint32_t npos = UINT32_MAX;
  /// Positions are below this.
  static constexpr std::size_t max_positions = std::size_t{1} << 16;

  aggregate_index() : slots_(initial_slots) {}

  /// The position of the key with `hash` for which same(position) is true,
  /// or npos.
  template <class Same>
  std::uint32_t find(std::uint64_t hash, Same&& same) const {
    auto tag = tag_of(hash);
    for (auto i = home(hash);; i = next(i)) {
      const auto& s = slots_[i];
      if (s.tag == 0)
        return npos;
      if (s.tag == tag && same(s.position))
        return s.position;
    }
  }

  /// Adds `position` (below max_positions) for a key with `hash` that is
  /// not in the index yet. hash_of(p) gives the hash of every position p already added when the
  /// index grows.
  template <class HashOf>
  void insert(std::uint64_t hash, std::uint32_t position, HashOf&& hash_of) {
    if ((size_ + 1) * 4 > slots_.size() * 3) {
      std::vector<slot> old(slots_.size() * 2);
      old.swap(slots_);
      for (const auto& s : old)
        if (s.tag != 0)
          place(hash_of(s.position), s.position);
    }
    place(hash, position);
    ++size_;
  }

  /// Forgets every position (keeps the slots).
  void clear() noexcept {
    if (size_ == 0)
      return;
    for (auto& s : slots_)
      s = slot{};
    size_ = 0;
  }

  std::size_t size() const noexcept { return size_; }

private:
  struct slot {
    std::uint16_t tag = 0;
    std::uint16_t position = 0;
  };

  static constexpr std::size_t initial_slots = 1024; // a power of two

  static std::uint16_t tag_of(std::uint64_t hash) noexcept {
    return static_cast<std::uint16_t>((hash >> 32) | 1U);
  }
  std::size_t home(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>(hash) & (slots_.size() - 1);
  }
  std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }

  void place(std::uint64_t hash, std::uint32_t position) noexcept {
    auto i = home(hash);
    while (slots_[i].tag != 0)
      i = next(i);
    slots_[i] = slot{tag_of(hash), static_cast<std::uint16_t>(position)};
  }

  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

} // namespace flinkcpp::detail

FLINKCPP_API_END

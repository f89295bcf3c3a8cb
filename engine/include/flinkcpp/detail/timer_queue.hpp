#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <tsl/robin_map.h>

#include "flinkcpp/detail/timer_table.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Timers in memory (one key group of a heap_timer_table): (timestamp,
/// payload) pairs, each held at most once, taken in (timestamp, key hash)
/// order. Adding a timer that exists and removing one cost a hash lookup;
/// a new (timestamp, key hash) also goes into a binary heap, which keeps
/// removed ones until they come to its top (or it holds twice as many
/// entries as there are timers, and is rebuilt). Copyable (a snapshot's
/// frozen group is copied before it changes). Not thread-safe.
template <class T>
class timer_queue {
public:
  using timer = keyed_timer<T>;

  /// Adds the timer (timestamp, payload); a second add of the same is a no-op.
  void add(std::int64_t timestamp, const T& payload, std::uint64_t key_hash) {
    slot s{timestamp, key_hash};
    auto [found, created] = first_.try_emplace(s, payload);
    if (created) {
      push(s);
      return;
    }
    if (found->second == payload)
      return;
    auto& more = more_[s];
    if (std::find(more.begin(), more.end(), payload) == more.end())
      more.push_back(payload);
  }

  /// Removes the timer (timestamp, payload), if there is one.
  void remove(std::int64_t timestamp, const T& payload, std::uint64_t key_hash) {
    slot s{timestamp, key_hash};
    auto found = first_.find(s);
    if (found == first_.end())
      return;
    if (auto extra = more_.find(s); extra != more_.end()) {
      auto& more = extra->second;
      if (found->second == payload) { // the next added of the slot comes first
        found.value() = std::move(more.front());
        more.erase(more.begin());
      } else {
        std::erase(more, payload);
      }
      if (more.empty())
        more_.erase(extra);
      return;
    }
    if (!(found->second == payload))
      return;
    first_.erase(found);
    if (heap_.front() == s) // else the top still has its timer
      drop_removed_heads();
  }

  /// The earliest timer's timestamp, if there is a timer.
  std::optional<std::int64_t> next() const {
    if (heap_.empty())
      return std::nullopt;
    return heap_.front().first;
  }

  /// Takes the earliest timer whose timestamp is at most `time`, if any (of
  /// one slot, the one added last first).
  std::optional<timer> take_due(std::int64_t time) {
    if (heap_.empty() || heap_.front().first > time)
      return std::nullopt;
    auto first = heap_.front();
    if (auto extra = more_.find(first); extra != more_.end()) {
      auto& more = extra->second;
      timer t{first.first, first.second, std::move(more.back())};
      more.pop_back();
      if (more.empty())
        more_.erase(extra);
      return t;
    }
    auto found = first_.find(first);
    timer t{first.first, first.second, std::move(found.value())};
    first_.erase(found);
    pop();
    drop_removed_heads();
    return t;
  }

  bool empty() const noexcept { return first_.empty(); }

  /// Calls visit(timestamp, key hash, payload) for every timer, in order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    std::vector<slot> order;
    order.reserve(first_.size());
    for (const auto& entry : first_)
      order.push_back(entry.first);
    std::sort(order.begin(), order.end());
    for (const auto& s : order) {
      visit(s.first, s.second, first_.find(s)->second);
      if (auto extra = more_.find(s); extra != more_.end())
        for (const auto& p : extra->second)
          visit(s.first, s.second, p);
    }
  }

private:
  /// A timestamp and a key hash.
  using slot = std::pair<std::int64_t, std::uint64_t>;

  struct slot_hash {
    std::size_t operator()(const slot& s) const noexcept {
      return static_cast<std::size_t>(
        s.second ^ (static_cast<std::uint64_t>(s.first) * 0x9e3779b97f4a7c15ULL));
    }
  };

  /// Puts the new slot `s` into the heap, first rebuilding it from the
  /// live slots when removed ones make up half of it.
  void push(const slot& s) {
    if (heap_.size() >= 2 * first_.size() + 16) {
      heap_.clear();
      for (const auto& entry : first_)
        heap_.push_back(entry.first);
      std::make_heap(heap_.begin(), heap_.end(), std::greater<>{});
      return; // s is among them
    }
    heap_.push_back(s);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
  }

  /// Pops the heap's top while it is a slot with no timer left, so that
  /// the top is the earliest timer's. Every slot with a timer is in the
  /// heap: one holding no more entries than there are slots holds no slot
  /// without a timer (nothing to look up).
  void drop_removed_heads() {
    while (heap_.size() > first_.size() && !first_.contains(heap_.front()))
      pop();
  }

  void pop() {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
    heap_.pop_back();
  }

  /// Each slot's first payload (nearly always its only one).
  tsl::robin_map<slot, T, slot_hash> first_;
  /// A slot's further payloads, in the order added (same key hash and time:
  /// another window of the key, or another key with the same hash).
  std::map<slot, std::vector<T>> more_;
  /// Min-heap of the slots (time, then key hash); may hold slots that have
  /// no timer any more, or a slot twice, but never at the top.
  std::vector<slot> heap_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

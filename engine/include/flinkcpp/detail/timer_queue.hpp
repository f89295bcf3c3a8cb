#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
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
/// only a new (timestamp, key hash) touches the time order. Copyable (a
/// snapshot's frozen group is copied before it changes). Not thread-safe.
template <class T>
class timer_queue {
public:
  using timer = keyed_timer<T>;

  /// Adds the timer (timestamp, payload); a second add of the same is a no-op.
  void add(std::int64_t timestamp, const T& payload, std::uint64_t key_hash) {
    auto [found, created] = slots_.try_emplace(slot{timestamp, key_hash});
    auto& payloads = found.value();
    for (const auto& p : payloads)
      if (p == payload)
        return;
    payloads.push_back(payload);
    if (created)
      order_.insert(slot{timestamp, key_hash});
  }

  /// Removes the timer (timestamp, payload), if there is one.
  void remove(std::int64_t timestamp, const T& payload, std::uint64_t key_hash) {
    auto found = slots_.find(slot{timestamp, key_hash});
    if (found == slots_.end())
      return;
    auto& payloads = found.value();
    std::erase_if(payloads, [&](const T& p) { return p == payload; });
    if (payloads.empty()) {
      slots_.erase(found);
      order_.erase(slot{timestamp, key_hash});
    }
  }

  /// The earliest timer's timestamp, if there is a timer.
  std::optional<std::int64_t> next() const {
    if (order_.empty())
      return std::nullopt;
    return order_.begin()->first;
  }

  /// Takes the earliest timer whose timestamp is at most `time`, if any.
  std::optional<timer> take_due(std::int64_t time) {
    if (order_.empty() || order_.begin()->first > time)
      return std::nullopt;
    auto first = *order_.begin();
    auto found = slots_.find(first);
    auto& payloads = found.value();
    timer t{first.first, first.second, std::move(payloads.back())};
    payloads.pop_back();
    if (payloads.empty()) {
      slots_.erase(found);
      order_.erase(order_.begin());
    }
    return t;
  }

  bool empty() const noexcept { return order_.empty(); }

  /// Calls visit(timestamp, key hash, payload) for every timer, in order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (const auto& at : order_)
      for (const auto& p : slots_.find(at)->second)
        visit(at.first, at.second, p);
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

  /// (timestamp, key hash) -> the payloads with that hash (nearly always one).
  tsl::robin_map<slot, std::vector<T>, slot_hash> slots_;
  /// The slots in time order (then by key hash).
  std::set<slot> order_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

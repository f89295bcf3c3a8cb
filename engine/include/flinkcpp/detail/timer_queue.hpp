#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <tsl/robin_map.h>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The timers of one keyed operator instance in one time domain (Flink's
/// InternalTimerService, one of its two queues): (timestamp, key) pairs, each
/// held at most once, due once the domain's time (the watermark, or the
/// processing time) reached their timestamp, taken in timestamp order.
/// Checkpointed as one entry of a union operator-state list per subtask: a
/// restoring subtask reads them all and keeps those of the key groups it
/// owns, so timers move with their keys when a job rescales.
/// Adding a timer that exists and removing one cost a hash lookup; only a
/// new (timestamp, key hash) touches the time order.
/// Not thread-safe: owned by one operator.
template <class K>
class timer_queue {
public:
  struct timer {
    std::int64_t timestamp = 0;
    std::uint64_t key_hash = 0;
    K key{};
  };

  /// Adds the timer (timestamp, key); a second add of the same is a no-op.
  void add(std::int64_t timestamp, const K& key, std::uint64_t key_hash) {
    add_if_absent(
      timestamp, key_hash, [&](const K& k) { return k == key; }, [&] { return key; });
  }

  /// Adds the timer (timestamp, make()) unless a key of that timestamp and
  /// hash `matches`: the key is built only when it is new.
  template <class Matches, class Make>
  void add_if_absent(std::int64_t timestamp, std::uint64_t key_hash, Matches&& matches,
                     Make&& make) {
    auto [found, created] = slots_.try_emplace(slot{timestamp, key_hash});
    auto& keys = found.value();
    for (const auto& k : keys)
      if (matches(k))
        return;
    keys.push_back(make());
    if (created)
      order_.insert(slot{timestamp, key_hash});
  }

  /// Removes the timer (timestamp, key), if there is one.
  void remove(std::int64_t timestamp, const K& key, std::uint64_t key_hash) {
    auto found = slots_.find(slot{timestamp, key_hash});
    if (found == slots_.end())
      return;
    auto& keys = found.value();
    std::erase_if(keys, [&](const K& k) { return k == key; });
    if (keys.empty()) {
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
    auto& keys = found.value();
    timer t{first.first, first.second, std::move(keys.back())};
    keys.pop_back();
    if (keys.empty()) {
      slots_.erase(found);
      order_.erase(order_.begin());
    }
    return t;
  }

  bool empty() const noexcept { return order_.empty(); }

  /// Every timer, in the form restore() reads.
  std::string serialize() const {
    std::string out;
    binary_writer w{out};
    std::uint64_t n = 0;
    for (const auto& [at, keys] : slots_)
      n += keys.size();
    w.write_varint(n);
    for (const auto& at : order_)
      for (const auto& key : slots_.find(at)->second) {
        w.write(at.first);
        w.write(at.second);
        w.write(key);
      }
    return out;
  }

  /// Adds the timers of `entries` (serialize()'s, of any subtasks) whose
  /// keys fall in `owned`. Throws serialization_error for corrupt entries.
  void restore(const std::vector<std::string>& entries, spi::key_group_range owned,
               int max_parallelism) {
    for (const auto& entry : entries) {
      binary_reader r{entry.data(), entry.data() + entry.size()};
      auto n = r.read_varint();
      for (std::uint64_t i = 0; i < n; ++i) {
        timer t;
        r.read(t.timestamp);
        r.read(t.key_hash);
        r.read(t.key);
        if (owned.contains(spi::key_group_of(t.key_hash, max_parallelism)))
          add(t.timestamp, t.key, t.key_hash);
      }
      if (r.pos != r.end)
        throw serialization_error("corrupt timers: bytes after the last timer");
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

  /// (timestamp, key hash) -> the keys with that hash (nearly always one).
  tsl::robin_map<slot, std::vector<K>, slot_hash> slots_;
  /// The slots in time order (then by key hash).
  std::set<slot> order_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

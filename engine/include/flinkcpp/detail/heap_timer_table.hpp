#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "flinkcpp/detail/heap_state_tables.hpp"
#include "flinkcpp/detail/timer_queue.hpp"
#include "flinkcpp/detail/timer_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The timers of one time domain on the hashmap backend: a timer_queue per
/// key group and the groups ordered by their earliest timer (Flink's
/// HeapPriorityQueueSet per key group under a queue of their heads). As
/// the hashmap tables, it freezes its groups for snapshots and copies a
/// shared group before it changes. Not thread-safe; frozen groups are read
/// from any thread.
template <class T>
class heap_timer_table final : public timer_table<T>, public heap_table_base {
public:
  explicit heap_timer_table(spi::key_group_range range) : heads_(range.size()) {
    groups_.reserve(static_cast<std::size_t>(range.size()));
    for (int g = 0; g < range.size(); ++g)
      groups_.push_back(std::make_shared<queue>());
  }

  void add(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int g) override {
    group(g).add(timestamp, payload, key_hash);
    update_head(g);
  }

  void remove(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int g) override {
    if (groups_[static_cast<std::size_t>(g)]->empty())
      return;
    group(g).remove(timestamp, payload, key_hash);
    update_head(g);
  }

  std::optional<std::int64_t> next() const override { return heads_.earliest(); }

  std::optional<keyed_timer<T>> take_due(std::int64_t time) override {
    auto g = heads_.due_group(time);
    if (!g)
      return std::nullopt;
    auto t = group(*g).take_due(time);
    update_head(*g);
    return t;
  }

  std::uint8_t kind() const override { return timer_kind; }

  void read_group(int g, binary_reader& in) override {
    read_timer_entries<T>(
      in, [&](const keyed_timer<T>& t) { group(g).add(t.timestamp, t.payload, t.key_hash); });
    update_head(g);
  }

  std::shared_ptr<const frozen_heap_table> freeze() const override {
    return std::make_shared<frozen_groups<queue, writer>>(
      timer_kind, std::vector<std::shared_ptr<const queue>>(groups_.begin(), groups_.end()));
  }

private:
  using queue = timer_queue<T>;

  struct writer {
    static void write(const queue& q, binary_writer& out) {
      q.for_each([&](std::int64_t timestamp, std::uint64_t key_hash, const T& payload) {
        write_timer_entry(out, timestamp, key_hash, payload);
      });
    }
  };

  /// Group index `g`, to change (copied first while a snapshot shares it).
  queue& group(int g) { return unshared(groups_[static_cast<std::size_t>(g)]); }

  /// Re-ranks group `g` after its earliest timer may have changed.
  void update_head(int g) { heads_.set(g, groups_[static_cast<std::size_t>(g)]->next()); }

  std::vector<std::shared_ptr<queue>> groups_;
  timer_group_heads heads_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

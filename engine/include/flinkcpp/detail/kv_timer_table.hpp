#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/detail/kv_state_tables.hpp"
#include "flinkcpp/detail/timer_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/kv_store.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The timers of one time domain on the LevelDB backend: one row per timer
/// (its prefix, then the timer row of timer_table.hpp, with an empty value),
/// so that a key group's timers are in time order in the store. In memory,
/// per group: its first rows, read a chunk at a time as timers are taken
/// (Flink's RocksDB timers with their cached heads), and a row at or before
/// its first live one to read from, so that taking timers in order never
/// walks over the rows deleted before; and the groups ordered by their
/// earliest timer. A row stays in the store until its timer is taken, so a
/// snapshot holds every timer not fired. Not thread-safe.
template <class T>
class kv_timer_table final : public timer_table<T>, public state_table_base {
public:
  kv_timer_table(spi::kv_store& store, std::uint32_t state, spi::key_group_range range)
    : store_(store),
      state_(state),
      range_(range),
      heads_(range.size()),
      groups_(static_cast<std::size_t>(range.size())) {
    restored();
  }

  void add(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int g) override {
    auto row = row_of(timestamp, payload, key_hash, g);
    store_.put(row, {});
    auto& group = group_of(g);
    if (row < group.floor)
      group.floor = row;
    if (!group.first.empty() && row < *group.first.rbegin())
      group.first.insert(row); // within the rows read: among them, in order
    auto head = heads_.of(g);
    if (!head || timestamp < *head)
      heads_.set(g, timestamp);
  }

  void remove(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int g) override {
    auto head = heads_.of(g);
    if (!head || timestamp < *head)
      return; // no such timer
    auto row = row_of(timestamp, payload, key_hash, g);
    store_.erase(row);
    group_of(g).first.erase(row);
    if (timestamp == *head)
      update_head(g);
  }

  std::optional<std::int64_t> next() const override { return heads_.earliest(); }

  std::optional<keyed_timer<T>> take_due(std::int64_t time) override {
    auto due = heads_.due_group(time);
    if (!due)
      return std::nullopt;
    auto& group = group_of(*due);
    if (group.first.empty())
      read_first(*due);
    if (group.first.empty()) // the head came from a row: the store changed under the table
      throw std::logic_error("flink-cpp: a timer the table counted is not in its store");
    auto first = group.first.extract(group.first.begin());
    store_.erase(first.value());
    group.floor = std::move(first.value());
    auto taken = read_timer_row<T>(std::string_view{group.floor}.substr(kv_prefix_bytes));
    update_head(*due);
    return taken;
  }

  std::uint8_t kind() const override { return timer_kind; }

  void read_group(int g, binary_reader& in) override {
    read_kv_table_group(prefix_of(g), timer_kind, in,
                        [this](std::string_view k, std::string_view v) { store_.put(k, v); });
    reset(g);
  }

  /// Forgets what was read of the store: its contents were restored.
  void restored() override {
    for (int g = 0; g < range_.size(); ++g)
      reset(g);
  }

private:
  /// How many rows of a group are read at a time.
  static constexpr std::size_t rows_per_read = 256;

  struct group_rows {
    std::set<std::string> first; ///< the group's first live rows, or none read
    std::string floor;           ///< no live row of the group sorts before it
  };

  group_rows& group_of(int g) { return groups_[static_cast<std::size_t>(g)]; }

  std::string prefix_of(int g) const { return kv_prefix(range_.begin + g, state_); }

  std::string row_of(std::int64_t timestamp, const T& payload, std::uint64_t key_hash,
                     int g) const {
    auto row = prefix_of(g);
    append_timer_row(row, timestamp, key_hash, payload);
    return row;
  }

  void reset(int g) {
    auto& group = group_of(g);
    group.first.clear();
    group.floor = prefix_of(g);
    update_head(g);
  }

  /// Reads group `g`'s first rows from its floor on (none if it is empty).
  void read_first(int g) {
    auto& group = group_of(g);
    group.first.clear();
    store_.scan_from(prefix_of(g), group.floor, [&](std::string_view row, std::string_view) {
      group.first.emplace(row);
      return group.first.size() < rows_per_read;
    });
  }

  /// Looks up group `g`'s earliest timer after its first one may have gone.
  void update_head(int g) {
    auto& group = group_of(g);
    if (group.first.empty())
      read_first(g);
    if (group.first.empty())
      heads_.set(g, std::nullopt);
    else
      heads_.set(
        g, timer_row_timestamp(std::string_view{*group.first.begin()}.substr(kv_prefix_bytes)));
  }

  spi::kv_store& store_;
  std::uint32_t state_;
  spi::key_group_range range_;
  timer_group_heads heads_;
  std::vector<group_rows> groups_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <cstdint>
#include <optional>
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
/// so that a key group's timers are in time order in the store and only each
/// group's earliest timestamp is in memory, in a set ordering the groups
/// (Flink's RocksDB timers with their cached heads). Each group also keeps a
/// row at or before its first live one to seek from, so that taking timers
/// in order never walks over the rows deleted before. Not thread-safe.
template <class T>
class kv_timer_table final : public timer_table<T>, public state_table_base {
public:
  kv_timer_table(spi::kv_store& store, std::uint32_t state, spi::key_group_range range)
    : store_(store),
      state_(state),
      range_(range),
      heads_(range.size()),
      floors_(static_cast<std::size_t>(range.size())) {
    restored();
  }

  void add(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int g) override {
    auto row = row_of(timestamp, payload, key_hash, g);
    store_.put(row, {});
    auto& floor = floors_[static_cast<std::size_t>(g)];
    if (row < floor)
      floor = row;
    auto head = heads_.of(g);
    if (!head || timestamp < *head)
      heads_.set(g, timestamp);
  }

  void remove(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int g) override {
    auto head = heads_.of(g);
    if (!head || timestamp < *head)
      return; // no such timer
    store_.erase(row_of(timestamp, payload, key_hash, g));
    if (timestamp == *head)
      reload_head(g);
  }

  std::optional<std::int64_t> next() const override { return heads_.earliest(); }

  std::optional<keyed_timer<T>> take_due(std::int64_t time) override {
    auto due = heads_.due_group(time);
    if (!due)
      return std::nullopt;
    int g = *due;
    auto& floor = floors_[static_cast<std::size_t>(g)];
    auto prefix = prefix_of(g);
    std::optional<keyed_timer<T>> taken;
    store_.scan_from(prefix, floor, [&](std::string_view row, std::string_view) {
      taken = read_timer_row<T>(row.substr(prefix.size()));
      floor.assign(row);
      return false;
    });
    if (!taken) // the cached head had no row: the store changed under the table
      throw std::logic_error("flink-cpp: a timer the table counted is not in its store");
    store_.erase(floor);
    reload_head(g);
    return taken;
  }

  std::uint8_t kind() const override { return timer_kind; }

  void read_group(int g, binary_reader& in) override {
    auto prefix = prefix_of(g);
    read_kv_table_group(prefix, timer_kind, in,
                        [this](std::string_view k, std::string_view v) { store_.put(k, v); });
    floors_[static_cast<std::size_t>(g)] = prefix;
    reload_head(g);
  }

  /// Reads every group's earliest timer from the store.
  void restored() override {
    for (int g = 0; g < range_.size(); ++g) {
      floors_[static_cast<std::size_t>(g)] = prefix_of(g);
      reload_head(g);
    }
  }

private:
  std::string prefix_of(int g) const { return kv_prefix(range_.begin + g, state_); }

  std::string row_of(std::int64_t timestamp, const T& payload, std::uint64_t key_hash,
                     int g) const {
    auto row = prefix_of(g);
    append_timer_row(row, timestamp, key_hash, payload);
    return row;
  }

  /// Finds group `g`'s first row at or after its floor, which becomes the floor.
  void reload_head(int g) {
    auto& floor = floors_[static_cast<std::size_t>(g)];
    auto prefix = prefix_of(g);
    std::optional<std::int64_t> head;
    store_.scan_from(prefix, floor, [&](std::string_view row, std::string_view) {
      head = timer_row_timestamp(row.substr(prefix.size()));
      floor.assign(row);
      return false;
    });
    heads_.set(g, head);
  }

  spi::kv_store& store_;
  std::uint32_t state_;
  spi::key_group_range range_;
  timer_group_heads heads_;
  std::vector<std::string> floors_; ///< per group: no live row sorts before it
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

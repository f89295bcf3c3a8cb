#pragma once

// Pre-aggregation before a shuffle in BATCH mode: the records of a key that a
// producer subtask writes are folded into one before they cross to the keyed
// aggregation or window, which folds the partial aggregates the same way.
// Only for folds where that gives the same result (sum, min, max, min_by,
// max_by): BATCH mode emits each key's final aggregate once, and which of
// several producers' records counts as a key's "first" is not defined either
// way. For windows, only records that fall into the same windows fold into
// one (the groups below), and only with the default event-time trigger, no
// evictor, no allowed lateness and no late-data output: then the windows
// get the same contents and fire as they would with every record.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "flinkcpp/detail/aggregate_index.hpp"
#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/partitioning.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/windows.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

// The Groups of a pre_aggregating_writer say which records of a key fold
// into one aggregate, and with which timestamps an aggregate is handed on:
//   extent begin(time)                the times of an aggregate of one record
//   bool admits(extent, time)         whether a record at `time` may fold in
//   fold(extent&, aggregate&, record&&, time, fold_fn&)
//   hand_on(extent&, aggregate&&, emit)  calls emit(T&&, timestamp) once or
//                                        twice (sessions: see there)

/// All records of a key, handed on with the latest timestamp of them (a
/// rolling aggregation: its one aggregate per key has no time).
template <class T>
struct whole_key_groups {
  using extent = std::int64_t; ///< the latest time

  extent begin(std::int64_t time) const noexcept { return time; }
  bool admits(const extent&, std::int64_t) const noexcept { return true; }

  template <class Fold>
  void fold(extent& latest, T& aggregate, T&& record, std::int64_t time, Fold& fn) const {
    fn(aggregate, std::move(record));
    latest = std::max(latest, time);
  }

  template <class Emit>
  void hand_on(extent& latest, T&& aggregate, Emit&& emit) const {
    emit(std::move(aggregate), latest);
  }
};

/// The records of a key in one pane of fixed (tumbling or sliding) windows:
/// every window starts and ends on a multiple of gcd(size, slide) past the
/// offset, so times between two such boundaries lie in the same windows.
/// Handed on with the latest timestamp of them, which lies in those windows.
template <class T>
class window_pane_groups {
public:
  /// The panes of `windows`.
  explicit window_pane_groups(const fixed_windows& windows)
    : pane_(std::gcd(windows.size_ms(), windows.slide_ms())),
      offset_(windows.offset_ms() % pane_) {}

  struct extent {
    std::uint64_t pane; ///< the pane's start, modulo 2^64 (no overflow)
    std::int64_t latest;
  };

  extent begin(std::int64_t time) const noexcept { return {pane_of(time), time}; }

  bool admits(const extent& e, std::int64_t time) const noexcept { return e.pane == pane_of(time); }

  template <class Fold>
  void fold(extent& e, T& aggregate, T&& record, std::int64_t time, Fold& fn) const {
    fn(aggregate, std::move(record));
    e.latest = std::max(e.latest, time);
  }

  template <class Emit>
  void hand_on(extent& e, T&& aggregate, Emit&& emit) const {
    emit(std::move(aggregate), e.latest);
  }

private:
  std::uint64_t pane_of(std::int64_t time) const noexcept {
    auto into = ((time % pane_) - offset_ + 2 * pane_) % pane_; // floor mod, no overflow
    return static_cast<std::uint64_t>(time) - static_cast<std::uint64_t>(into);
  }

  std::int64_t pane_;
  std::int64_t offset_;
};

/// The records of a key whose times lie less than a session gap apart. An
/// aggregate is handed on as two when its times differ: the records at the
/// latest time, with it, and the others, with the earliest time. Their
/// sessions, [earliest, earliest + gap) and [latest, latest + gap), touch
/// and merge into [earliest, latest + gap): the session the records make
/// one by one.
template <class T>
class session_groups {
public:
  /// The spans of sessions of `windows`' gap.
  explicit session_groups(const session_windows& windows)
    : gap_(static_cast<std::uint64_t>(windows.gap_ms())) {}

  struct extent {
    std::int64_t earliest;
    std::int64_t latest;
    /// The records at `latest` once `earliest` is earlier (the aggregate
    /// then holds the others).
    std::optional<T> last;
  };

  extent begin(std::int64_t time) const { return {time, time, std::nullopt}; }

  bool admits(const extent& e, std::int64_t time) const noexcept {
    return distance(std::min(e.earliest, time), std::max(e.latest, time)) < gap_;
  }

  template <class Fold>
  void fold(extent& e, T& aggregate, T&& record, std::int64_t time, Fold& fn) const {
    if (time > e.latest) { // the new latest record
      if (e.last)
        fn(aggregate, std::move(*e.last));
      e.last = std::move(record);
      e.latest = time;
    } else if (time == e.latest && e.last) {
      fn(*e.last, std::move(record));
    } else if (time < e.earliest && !e.last) { // the aggregate holds records at latest
      e.last = std::exchange(aggregate, std::move(record));
      e.earliest = time;
    } else {
      fn(aggregate, std::move(record));
      e.earliest = std::min(e.earliest, time);
    }
  }

  template <class Emit>
  void hand_on(extent& e, T&& aggregate, Emit&& emit) const {
    emit(std::move(aggregate), e.earliest);
    if (e.last)
      emit(std::move(*e.last), e.latest);
  }

private:
  static std::uint64_t distance(std::int64_t from, std::int64_t to) noexcept {
    return static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from);
  }

  std::uint64_t gap_;
};

/// A hash-partitioning record writer that folds the records of each key with
/// `Fold` (fold(T& aggregate, T&& record)) in a table of at most `max_keys`
/// keys, as `Groups` allows (see above: all of a key's records, or those
/// falling into the same windows), and hands the aggregates on (through a
/// plain keyed record writer) when the table is full, on flush(), or when a
/// record of a key falls outside the group its aggregate holds. Used from
/// its subtask's thread only.
///
/// The aggregates lie in a vector in the order their keys came (the keys
/// seen first, mostly the frequent ones, close together); an aggregate_index
/// of their positions finds them (linear probing over 8-byte slots: 13% less
/// CPU for the whole BATCH WordCount job on real text than the robin-hood set
/// before it). A key is stored once, in its aggregate, and hashed once
/// per record (again when the index grows).
template <class T, class KeyFn, class Fold, class Groups = whole_key_groups<T>>
class pre_aggregating_writer final : public spi::record_writer_base, public collector<T> {
public:
  using collector<T>::collect;
  using key_type = key_type_t<KeyFn, T>;

  /// Keys held before the writer hands its aggregates on: bounds its memory
  /// (a few MB for records of a few dozen bytes). Also the most it holds
  /// (the positions its index can keep): a larger `max_keys` counts as this.
  static constexpr std::size_t default_max_keys = aggregate_index::max_positions;

  pre_aggregating_writer(KeyFn key, Fold fold, Groups groups, const spi::writer_config& config,
                         spi::batch_sink& sink, std::size_t max_keys = default_max_keys)
    : key_(key),
      fold_(std::move(fold)),
      groups_(std::move(groups)),
      timestamps_(config.timestamps),
      max_keys_(std::min(max_keys, aggregate_index::max_positions)),
      out_(key_group_selector<KeyFn>{std::move(key), config.max_parallelism,
                                     static_cast<int>(config.channels)},
           with_timestamps(config), sink) {}

  spi::collector_ref input() override { return spi::collector_ref::of<T>(this); }

  void collect(T&& record) override {
    auto time = timestamps_ != nullptr ? timestamps_->value : no_timestamp;
    const auto& key = key_of(record);
    auto hash = key_hash(key);
    auto i =
      index_.find(hash, [&](std::uint32_t p) { return same_key(key_of(aggregates_[p]), key); });
    if (i != aggregate_index::npos) {
      if (groups_.admits(extents_[i], time)) {
        groups_.fold(extents_[i], aggregates_[i], std::move(record), time, fold_);
        return;
      }
      hand_on(i); // the key's entry starts over with the record
      aggregates_[i] = std::move(record);
      extents_[i] = groups_.begin(time);
      return;
    }
    aggregates_.push_back(std::move(record));
    extents_.push_back(groups_.begin(time));
    index_.insert(hash, static_cast<std::uint32_t>(aggregates_.size() - 1),
                  [this](std::uint32_t p) { return key_hash(key_of(aggregates_[p])); });
    if (aggregates_.size() >= max_keys_)
      hand_on_aggregates();
  }

  void flush() override {
    hand_on_aggregates();
    out_.flush();
  }

  bool has_buffered() const override { return !aggregates_.empty() || out_.has_buffered(); }

  void set_batch_bytes(std::uint32_t channel, std::size_t bytes) override {
    out_.set_batch_bytes(channel, bytes);
  }

private:
  /// The time of records without a timestamp (Flink's Long.MIN_VALUE).
  static constexpr std::int64_t no_timestamp = std::numeric_limits<std::int64_t>::min();

  decltype(auto) key_of(const T& record) const { return std::invoke(key_, record); }

  /// The config of the inner writer: its timestamps are those of the
  /// aggregates it is handed.
  spi::writer_config with_timestamps(spi::writer_config config) const {
    if (config.timestamps != nullptr)
      config.timestamps = &aggregate_timestamp_;
    return config;
  }

  /// Hands on the aggregate at index `i` (its entry is left moved from).
  void hand_on(std::size_t i) {
    groups_.hand_on(extents_[i], std::move(aggregates_[i]), [&](T&& aggregate, std::int64_t time) {
      aggregate_timestamp_.value = time;
      out_.collect(std::move(aggregate));
    });
  }

  void hand_on_aggregates() {
    for (std::size_t i = 0; i < aggregates_.size(); ++i)
      hand_on(i);
    aggregates_.clear();
    extents_.clear();
    index_.clear();
  }

  KeyFn key_;
  Fold fold_;
  Groups groups_;
  const spi::record_timestamp* timestamps_;
  std::size_t max_keys_;
  std::vector<T> aggregates_;
  std::vector<typename Groups::extent> extents_; ///< each aggregate's times
  aggregate_index index_;
  spi::record_timestamp aggregate_timestamp_;
  record_writer<T, key_group_selector<KeyFn>> out_;
};

/// The hash partitioner of a keyed aggregation or window whose fold allows
/// pre-aggregation: in BATCH mode its writers pre-aggregate, by `Groups`;
/// otherwise it is the key_by's partitioner.
template <class T, class KeyFn, class Fold, class Groups = whole_key_groups<T>>
class pre_aggregating_key_partitioner final : public key_partitioner<T, KeyFn> {
public:
  pre_aggregating_key_partitioner(KeyFn key, Fold fold, Groups groups = {})
    : key_partitioner<T, KeyFn>(std::move(key)),
      fold_(std::move(fold)),
      groups_(std::move(groups)) {}

  std::unique_ptr<spi::record_writer_base> create_writer(spi::ship_strategy strategy,
                                                         const spi::writer_config& config,
                                                         spi::batch_sink& sink) const override {
    if (!config.batch_mode)
      return key_partitioner<T, KeyFn>::create_writer(strategy, config, sink);
    return std::make_unique<pre_aggregating_writer<T, KeyFn, Fold, Groups>>(this->key(), fold_,
                                                                            groups_, config, sink);
  }

private:
  Fold fold_;
  Groups groups_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

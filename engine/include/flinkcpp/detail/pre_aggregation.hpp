#pragma once

// Pre-aggregation before a shuffle in BATCH mode: the records of a key that a
// producer subtask writes are folded into one before they cross to the keyed
// aggregation, which folds the partial aggregates the same way. Only for
// folds where that gives the same result (sum, min, max, min_by, max_by):
// BATCH mode emits each key's final aggregate once, and which of several
// producers' records counts as a key's "first" is not defined either way.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <tsl/robin_set.h>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/partitioning.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A hash-partitioning record writer that folds the records of each key with
/// `Fold` (fold(T& aggregate, T&& record)) in a table of at most
/// `max_keys` keys, and hands the aggregates on (through a plain keyed
/// record writer) when the table is full or on flush(). An aggregate carries
/// the latest timestamp of its records. Used from its subtask's thread only.
///
/// The aggregates lie in a vector in the order their keys came (the keys
/// seen first, mostly the frequent ones, close together); a robin-hood set
/// of their indices finds them. A key is stored once, in its aggregate, and
/// hashed once per record (twice when it is new: the set hashes it to insert).
template <class T, class KeyFn, class Fold>
class pre_aggregating_writer final : public spi::record_writer_base, public collector<T> {
public:
  using collector<T>::collect;
  using key_type = key_type_t<KeyFn, T>;

  /// Keys held before the writer hands its aggregates on: bounds its memory
  /// (a few MB for records of a few dozen bytes).
  static constexpr std::size_t default_max_keys = std::size_t{1} << 16;

  pre_aggregating_writer(KeyFn key, Fold fold, const spi::writer_config& config,
                         spi::batch_sink& sink, std::size_t max_keys = default_max_keys)
    : key_(key),
      fold_(std::move(fold)),
      timestamps_(config.timestamps),
      max_keys_(max_keys),
      index_(0, index_hash{this}, index_equal{this}),
      out_(key_group_selector<KeyFn>{std::move(key), config.max_parallelism,
                                     static_cast<int>(config.channels)},
           with_timestamps(config), sink) {
    index_.max_load_factor(0.85F); // as stable_hash_map: short robin-hood probes, less memory
  }

  pre_aggregating_writer(const pre_aggregating_writer&) = delete; // its index points to it
  pre_aggregating_writer& operator=(const pre_aggregating_writer&) = delete;

  spi::collector_ref input() override { return spi::collector_ref::of<T>(this); }

  void collect(T&& record) override {
    const auto& key = std::invoke(key_, static_cast<const T&>(record));
    auto hash = key_hash(key);
    auto found = index_.find(key, static_cast<std::size_t>(hash));
    if (found != index_.end()) {
      fold_(aggregates_[*found], std::move(record));
      if (timestamps_ != nullptr)
        latest_[*found] = std::max(latest_[*found], timestamps_->value);
      return;
    }
    aggregates_.push_back(std::move(record));
    if (timestamps_ != nullptr)
      latest_.push_back(timestamps_->value);
    index_.insert(static_cast<std::uint32_t>(aggregates_.size() - 1));
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
  /// Hashes and compares the set's indices by the keys of their aggregates
  /// (and keys themselves, to look them up). A key is hashed again only
  /// when it is inserted: the set keeps the hashes it needs to grow.
  struct index_hash {
    const pre_aggregating_writer* self;
    std::size_t operator()(std::uint32_t i) const {
      return static_cast<std::size_t>(key_hash(std::invoke(self->key_, self->aggregates_[i])));
    }
    std::size_t operator()(const key_type& key) const {
      return static_cast<std::size_t>(key_hash(key));
    }
  };
  struct index_equal {
    using is_transparent = void;
    const pre_aggregating_writer* self;
    decltype(auto) key_of(std::uint32_t i) const {
      return std::invoke(self->key_, self->aggregates_[i]);
    }
    bool operator()(std::uint32_t a, std::uint32_t b) const { return a == b; }
    bool operator()(std::uint32_t i, const key_type& key) const { return same_key(key_of(i), key); }
    bool operator()(const key_type& key, std::uint32_t i) const { return same_key(key_of(i), key); }
  };

  /// The config of the inner writer: its timestamps are those of the
  /// aggregates it is handed.
  spi::writer_config with_timestamps(spi::writer_config config) const {
    if (config.timestamps != nullptr)
      config.timestamps = &aggregate_timestamp_;
    return config;
  }

  void hand_on_aggregates() {
    for (std::size_t i = 0; i < aggregates_.size(); ++i) {
      if (timestamps_ != nullptr)
        aggregate_timestamp_.value = latest_[i];
      out_.collect(std::move(aggregates_[i]));
    }
    aggregates_.clear();
    latest_.clear();
    index_.clear();
  }

  KeyFn key_;
  Fold fold_;
  const spi::record_timestamp* timestamps_;
  std::size_t max_keys_;
  std::vector<T> aggregates_;
  std::vector<std::int64_t> latest_; ///< each aggregate's latest timestamp (if any)
  tsl::robin_set<std::uint32_t, index_hash, index_equal, std::allocator<std::uint32_t>,
                 /*StoreHash=*/true>
    index_;
  spi::record_timestamp aggregate_timestamp_;
  record_writer<T, key_group_selector<KeyFn>> out_;
};

/// The hash partitioner of a keyed aggregation whose fold allows
/// pre-aggregation: in BATCH mode its writers pre-aggregate; otherwise it is
/// the key_by's partitioner.
template <class T, class KeyFn, class Fold>
class pre_aggregating_key_partitioner final : public key_partitioner<T, KeyFn> {
public:
  pre_aggregating_key_partitioner(KeyFn key, Fold fold)
    : key_partitioner<T, KeyFn>(std::move(key)),
      fold_(std::move(fold)) {}

  std::unique_ptr<spi::record_writer_base> create_writer(spi::ship_strategy strategy,
                                                         const spi::writer_config& config,
                                                         spi::batch_sink& sink) const override {
    if (!config.batch_mode)
      return key_partitioner<T, KeyFn>::create_writer(strategy, config, sink);
    return std::make_unique<pre_aggregating_writer<T, KeyFn, Fold>>(this->key(), fold_, config,
                                                                    sink);
  }

private:
  Fold fold_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

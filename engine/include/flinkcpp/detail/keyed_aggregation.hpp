#pragma once

// Rolling aggregations on a keyed stream (sum, min, max, min_by, max_by,
// reduce). The aggregate of each key is a record kept in keyed state. In
// STREAMING mode every input emits the updated aggregate (Flink's rolling
// aggregation); in BATCH mode each key emits once, its final aggregate, when
// the input ends.

#include <cstddef>
#include <functional>
#include <utility>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/keyed_state.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/stream_operator.hpp"

namespace flinkcpp::detail {

/// Folds `in` into the aggregate `acc` of its key, in place.
template <class T, class KeyFn, class Fold>
class keyed_aggregate_operator final : public one_input_operator<T, T> {
public:
  using collector<T>::collect;
  using key_type = key_type_t<KeyFn, T>;

  keyed_aggregate_operator(KeyFn key, Fold fold, const operator_context& context)
    : key_(std::move(key)),
      fold_(std::move(fold)),
      mode_(context.mode),
      backend_(context.key_groups(), context.max_parallelism),
      table_(backend_.template value_table<key_type, T>("aggregate")) {}

  void process_batch(record_batch& batch) override {
    auto& records = records_of<T>(batch);
    if (batch.key_hashes.size() != records.size()) {
      for (T& r : records)
        collect(std::move(r));
      return;
    }
    for (std::size_t i = 0; i < records.size(); ++i)
      update(records[i], batch.key_hashes[i]);
  }

  void collect(T&& record) override {
    update(record, key_hash(std::invoke(key_, static_cast<const T&>(record))));
  }

  bool end_input() override {
    if (mode_ != runtime_mode::batch)
      return true;
    auto range = table_.key_groups();
    std::size_t emitted = 0;
    while (emit_group_ < range.end) {
      auto& group = table_.group(emit_group_);
      if (!emitting_) {
        emit_pos_ = group.begin();
        emitting_ = true;
      }
      for (; emit_pos_ != group.end(); ++emit_pos_) {
        if (emitted == emit_step)
          return false;
        this->output().collect(std::move(emit_pos_->second));
        ++emitted;
      }
      emitting_ = false;
      ++emit_group_;
    }
    table_.clear();
    return true;
  }

  void open() override { emit_group_ = table_.key_groups().begin; }

  /// The aggregates of every key group, serialized now (a copy the I/O
  /// thread then writes while the subtask goes on).
  void snapshot_state(checkpoint_id, operator_snapshot& snapshot) override {
    auto groups = std::make_shared<std::vector<std::pair<int, std::string>>>();
    auto range = table_.key_groups();
    for (int g = range.begin; g < range.end; ++g) {
      auto& map = table_.group(g);
      if (map.empty())
        continue;
      std::string bytes;
      binary_writer w{bytes};
      w.write_varint(map.size());
      for (const auto& [key, aggregate] : map) {
        w.write(key);
        w.write(aggregate);
      }
      groups->emplace_back(g, std::move(bytes));
    }
    snapshot.keyed = [groups](const key_group_sink& sink) {
      for (const auto& [g, bytes] : *groups)
        sink(g, bytes);
    };
  }

  void restore_state(const operator_restore& state) override {
    for (const auto& [g, bytes] : state.key_groups) {
      auto& map = table_.group(g);
      binary_reader r{bytes.data(), bytes.data() + bytes.size()};
      auto n = r.read_varint();
      for (std::uint64_t i = 0; i < n; ++i) {
        key_type key{};
        T aggregate{};
        r.read(key);
        r.read(aggregate);
        map.insert_or_assign(std::move(key), std::move(aggregate));
      }
    }
  }

private:
  static constexpr std::size_t emit_step = 4096;

  void update(T& record, std::uint64_t hash) {
    auto& group = table_.group_of(hash);
    const auto& key = std::invoke(key_, static_cast<const T&>(record));
    auto found = group.find(prehashed_key<key_type>{key, hash});
    if (found == group.end()) {
      key_type owned_key(key);
      found = group.emplace(std::move(owned_key), std::move(record)).first;
    } else {
      fold_(found->second, std::move(record));
    }
    if (mode_ == runtime_mode::streaming)
      this->output().collect(static_cast<const T&>(found->second));
  }

  KeyFn key_;
  Fold fold_;
  runtime_mode mode_;
  hashmap_keyed_state_backend backend_;
  keyed_value_table<key_type, T>& table_;
  int emit_group_ = 0;
  bool emitting_ = false;
  typename keyed_value_table<key_type, T>::map_type::iterator emit_pos_;
};

/// sum of a field: the other fields stay those of the key's first record.
template <class T, class M>
struct sum_field {
  M T::*field;
  void operator()(T& acc, T&& in) const { acc.*field += in.*field; }
};

/// sum of the records themselves (a stream of numbers).
struct sum_value {
  template <class T>
  void operator()(T& acc, T&& in) const {
    acc += in;
  }
};

/// min/max of a field (Flink's min/max): the aggregate keeps the key's first
/// record with the field replaced by the extreme value.
template <class T, class M, class Better>
struct extreme_field {
  M T::*field;
  void operator()(T& acc, T&& in) const {
    if (Better{}(in.*field, acc.*field))
      acc.*field = in.*field;
  }
};

/// min_by/max_by of a field (Flink's minBy/maxBy): the aggregate is the whole
/// record holding the extreme value (the first one on ties).
template <class T, class M, class Better>
struct extreme_record {
  M T::*field;
  void operator()(T& acc, T&& in) const {
    if (Better{}(in.*field, acc.*field))
      acc = std::move(in);
  }
};

/// min/max of the records themselves.
template <class Better>
struct extreme_value {
  template <class T>
  void operator()(T& acc, T&& in) const {
    if (Better{}(in, acc))
      acc = std::move(in);
  }
};

/// reduce with a user function (a, b) -> combined.
template <class F>
struct reduce_with {
  F fn;
  template <class T>
  void operator()(T& acc, T&& in) {
    acc = std::invoke(fn, std::move(acc), std::move(in));
  }
};

} // namespace flinkcpp::detail

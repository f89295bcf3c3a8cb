#pragma once

// Rolling aggregations on a keyed stream (sum, min, max, min_by, max_by,
// reduce). The aggregate of each key is a record kept in keyed state. In
// STREAMING mode every input emits the updated aggregate (Flink's rolling
// aggregation); in BATCH mode each key emits once, its final aggregate, when
// the input ends.

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/runtime_context.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Folds `in` into the aggregate `acc` of its key. The aggregates are keyed
/// state (state "aggregate"): in place in the hashmap backend, read and
/// written back on the LevelDB backend. BATCH mode keeps them in memory (as
/// Flink's batch execution does without a state backend) and emits them when
/// the input ends.
template <class T, class KeyFn, class Fold>
class keyed_aggregate_operator final : public one_input_operator<T, T> {
public:
  using collector<T>::collect;
  using key_type = key_type_t<KeyFn, T>;

  keyed_aggregate_operator(KeyFn key, Fold fold, const spi::operator_context& context)
    : key_(std::move(key)),
      fold_(std::move(fold)),
      runtime_(context),
      mode_(context.mode),
      store_(context.key_groups(), context.max_parallelism,
             context.state_backend != nullptr && context.mode == runtime_mode::streaming
               ? context.state_backend->open(context.operator_id)
               : nullptr),
      table_(store_.template value_table_of<T>(value_state_descriptor<T>{"aggregate"})),
      heap_(store_.in_memory() ? &static_cast<heap_value_table<key_type, T>&>(table_) : nullptr) {}

  void process_batch(spi::record_batch& batch) override {
    bool hashed = batch.key_hashes.size() == batch.size();
    for_each_record<T>(batch, this->timestamp(), [&](T& record, std::size_t i) {
      update(record, hashed ? batch.key_hashes[i]
                            : key_hash(std::invoke(key_, static_cast<const T&>(record))));
    });
  }

  void collect(T&& record) override {
    update(record, key_hash(std::invoke(key_, static_cast<const T&>(record))));
  }

  bool end_input() override {
    if (mode_ != runtime_mode::batch)
      return true;
    auto groups = store_.key_groups().size();
    std::size_t emitted = 0;
    while (emit_group_ < groups) {
      auto& group = heap_->entries_of(emit_group_);
      if (!emitting_) {
        emit_pos_ = group.begin();
        emitting_ = true;
      }
      for (; emit_pos_ != group.end(); ++emit_pos_) {
        if (emitted == emit_step)
          return false;
        this->output().collect(std::move(emit_pos_->second.value));
        ++emitted;
      }
      map_type{}.swap(group);
      emitting_ = false;
      ++emit_group_;
    }
    return true;
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    store_.snapshot(snapshot);
  }

  void restore_state(const spi::operator_restore& state) override { store_.restore(state); }

  void open() override { open_function(fold_, runtime_); }
  void close() override { close_function(fold_); }

private:
  static constexpr std::size_t emit_step = 4096;
  using map_type = typename grouped_table<key_type, stamped<T>>::map_type;

  void update(T& record, std::uint64_t hash) {
    const auto& key = std::invoke(key_, static_cast<const T&>(record));
    if (heap_ != nullptr) {
      store_.set_current_key(key, hash);
      T* acc = heap_->find_value();
      if (acc == nullptr)
        acc = &heap_->insert_value(std::move(record));
      else
        fold_(*acc, std::move(record));
      if (mode_ == runtime_mode::streaming)
        this->output().collect(static_cast<const T&>(*acc));
      return;
    }
    key_type owned(key); // the record is moved below; the key must stay
    store_.set_current_key(owned, hash);
    const T* stored = table_.get();
    if (stored == nullptr) {
      table_.put(record);
      this->output().collect(std::move(record));
      return;
    }
    T acc = *stored;
    fold_(acc, std::move(record));
    table_.put(acc);
    this->output().collect(std::move(acc));
  }

  KeyFn key_;
  Fold fold_;
  runtime_context runtime_;
  runtime_mode mode_;
  keyed_state_store<key_type> store_;
  value_table<T>& table_;
  heap_value_table<key_type, T>* heap_;
  int emit_group_ = 0;
  bool emitting_ = false;
  typename map_type::iterator emit_pos_;
};

/// sum of a field: the other fields stay those of the key's first record.
template <class T, class M>
struct sum_field {
  M T::*field;
  void operator()(T& acc, const T& in) const { acc.*field += in.*field; }
};

/// sum of the records themselves (a stream of numbers).
struct sum_value {
  template <class T>
  void operator()(T& acc, const T& in) const {
    acc += in;
  }
};

/// min/max of a field (Flink's min/max): the aggregate keeps the key's first
/// record with the field replaced by the extreme value.
template <class T, class M, class Better>
struct extreme_field {
  M T::*field;
  void operator()(T& acc, const T& in) const {
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
  void operator()(T& acc, const T& in) const {
    if (Better{}(in, acc))
      acc = in;
  }
};

/// reduce with a user function (a, b) -> combined; its open() and close()
/// are called if it has them.
template <class F>
struct reduce_with {
  F fn;
  template <class T>
  void operator()(T& acc, std::type_identity_t<T>&& in) { // T from `acc`: `in` is an rvalue
    acc = std::invoke(fn, std::move(acc), std::move(in));
  }
  void open(const runtime_context& context) { open_function(fn, context); }
  void close() { close_function(fn); }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

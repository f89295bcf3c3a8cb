#pragma once

// Keyed state, as Flink's DataStream API offers it: a function on a keyed
// stream declares states by descriptor (name, type, optional time to live)
// and reads and writes them; every access is scoped to the key of the record
// being processed. The engine keeps state per key group, checkpoints it and
// redistributes it when a job restores at another parallelism.
//
// State handles belong to one parallel subtask and are used from its thread
// only; they stay valid as long as the function that obtained them.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/function_ref.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Time to live of state entries (Flink's StateTtlConfig), on processing time.
struct state_ttl_config {
  /// What refreshes an entry's time to live.
  enum class update_type {
    on_create_and_write, ///< writes (Flink's OnCreateAndWrite)
    on_read_and_write,   ///< reads too (OnReadAndWrite)
  };
  /// Whether an expired entry that is still stored may be returned.
  enum class state_visibility {
    never_return_expired,             ///< NeverReturnExpired
    return_expired_if_not_cleaned_up, ///< ReturnExpiredIfNotCleanedUp
  };

  std::chrono::milliseconds ttl{0};
  update_type update = update_type::on_create_and_write;
  state_visibility visibility = state_visibility::never_return_expired;

  explicit state_ttl_config(std::chrono::milliseconds time_to_live) : ttl(time_to_live) {}
  state_ttl_config& set_update_type(update_type u) {
    update = u;
    return *this;
  }
  state_ttl_config& set_state_visibility(state_visibility v) {
    visibility = v;
    return *this;
  }
};

namespace detail {

/// What every descriptor has: the state's name (unique within its operator)
/// and its time to live.
struct state_descriptor_base {
  std::string name;
  std::optional<state_ttl_config> ttl;
};

/// The tables behind the handles; implemented by the state backends.
template <class V>
class value_table {
public:
  virtual ~value_table() = default;
  virtual const V* get() = 0; ///< nullptr when the current key has no value
  virtual void put(V value) = 0;
  virtual void erase() = 0;
  /// Applies fn to the current key's value in place, which returns whether
  /// it changed it (a backend keeping values serialized writes back only
  /// then); false when the key has no value.
  virtual bool update(function_ref<bool(V&)> fn) = 0;
};

template <class V>
class list_table {
public:
  virtual ~list_table() = default;
  virtual std::vector<V> get() = 0;
  /// Appends `value`; true when the current key had no list before.
  virtual bool add(V value) = 0;
  virtual void update(std::vector<V> values) = 0;
  virtual void erase() = 0;
  /// The current key's list, which it then no longer has (get and erase,
  /// without copying the elements where they are kept as objects).
  virtual std::vector<V> take() = 0;
  /// Calls fn with each of the current key's values, in the order added,
  /// without copying them where they are kept as objects.
  virtual void for_each(function_ref<void(const V&)> fn) = 0;
  /// Removes the current key's values for which drop returns true (called
  /// once per value, in the order added), and the list when none is left;
  /// the others stay where they are. Returns how many are left.
  virtual std::size_t remove_if(function_ref<bool(const V&)> drop) = 0;
};

template <class K, class V>
class map_table {
public:
  virtual ~map_table() = default;
  virtual std::optional<V> get(const K& key) = 0;
  virtual void put(K key, V value) = 0;
  virtual void remove(const K& key) = 0;
  virtual bool contains(const K& key) = 0;
  /// Applies fn to the value of `key` in place; false when there is none.
  virtual bool update(const K& key, function_ref<void(V&)> fn) = 0;
  virtual std::vector<std::pair<K, V>> entries() = 0;
  virtual bool is_empty() = 0;
  virtual void erase() = 0;
};

} // namespace detail

/// Declares a value_state<T> (Flink's ValueStateDescriptor).
template <class T>
struct value_state_descriptor : detail::state_descriptor_base {
  explicit value_state_descriptor(std::string state_name)
    : detail::state_descriptor_base{std::move(state_name), {}} {}
  value_state_descriptor& enable_time_to_live(state_ttl_config config) {
    ttl = config;
    return *this;
  }
};

/// Declares a list_state<T>.
template <class T>
struct list_state_descriptor : detail::state_descriptor_base {
  explicit list_state_descriptor(std::string state_name)
    : detail::state_descriptor_base{std::move(state_name), {}} {}
  list_state_descriptor& enable_time_to_live(state_ttl_config config) {
    ttl = config;
    return *this;
  }
};

/// Declares a map_state<K, V>.
template <class K, class V>
struct map_state_descriptor : detail::state_descriptor_base {
  explicit map_state_descriptor(std::string state_name)
    : detail::state_descriptor_base{std::move(state_name), {}} {}
  map_state_descriptor& enable_time_to_live(state_ttl_config config) {
    ttl = config;
    return *this;
  }
};

/// Declares a reducing_state<T>: values are combined with fn(T, T) -> T.
template <class T, class ReduceFn>
struct reducing_state_descriptor : detail::state_descriptor_base {
  reducing_state_descriptor(std::string state_name, ReduceFn reduce)
    : detail::state_descriptor_base{std::move(state_name), {}},
      fn(std::move(reduce)) {}
  reducing_state_descriptor& enable_time_to_live(state_ttl_config config) {
    ttl = config;
    return *this;
  }
  ReduceFn fn;
};

/// Declares an aggregating_state<In, Out> (Flink's AggregatingStateDescriptor)
/// with an aggregate function object offering
///   Acc create_accumulator(); void add(Acc&, const In&); Out get_result(const Acc&);
/// Acc is the stored (and checkpointed) type.
template <class In, class Acc, class Out, class Aggregate>
struct aggregating_state_descriptor : detail::state_descriptor_base {
  aggregating_state_descriptor(std::string state_name, Aggregate aggregate)
    : detail::state_descriptor_base{std::move(state_name), {}},
      function(std::move(aggregate)) {}
  aggregating_state_descriptor& enable_time_to_live(state_ttl_config config) {
    ttl = config;
    return *this;
  }
  Aggregate function;
};

/// One value per key (Flink's ValueState).
template <class T>
class value_state {
public:
  explicit value_state(detail::value_table<T>& table) : table_(&table) {}

  /// The current key's value, if it has one.
  std::optional<T> value() const {
    const T* v = table_->get();
    return v != nullptr ? std::optional<T>{*v} : std::nullopt;
  }
  void update(T value) { table_->put(std::move(value)); }
  /// Calls fn(T&) -> bool on the current key's value, which returns whether
  /// it changed it: in place on the hashmap backend, read and (if changed)
  /// written back on LevelDB. Returns false (and calls nothing) when the key
  /// has no value. flink-cpp's own, to read or change a large value without
  /// a copy.
  template <class F>
  bool update_with(F&& fn) {
    return table_->update(detail::function_ref<bool(T&)>(fn));
  }
  void clear() { table_->erase(); }

private:
  detail::value_table<T>* table_;
};

/// A list of values per key (Flink's ListState).
template <class T>
class list_state {
public:
  explicit list_state(detail::list_table<T>& table) : table_(&table) {}

  std::vector<T> get() const { return table_->get(); }
  /// Appends `value`; returns whether it is the current key's first (which
  /// Flink's add does not say: flink-cpp's own, for what a key's first value
  /// starts, such as a cleanup timer).
  bool add(T value) { return table_->add(std::move(value)); }
  void add_all(std::vector<T> values) {
    for (auto& v : values)
      table_->add(std::move(v));
  }
  void update(std::vector<T> values) { table_->update(std::move(values)); }
  void clear() { table_->erase(); }
  /// Calls fn(const T&) with each value, in the order added: in place on the
  /// hashmap backend, decoded one at a time on LevelDB. flink-cpp's own, to
  /// read a long list without a copy.
  template <class F>
  void for_each(F&& fn) const {
    table_->for_each(detail::function_ref<void(const T&)>(fn));
  }
  /// Removes the values for which drop(const T&) -> bool returns true
  /// (called once per value, in the order added), the others staying where
  /// they are (on LevelDB, not rewritten). Returns how many are left.
  /// flink-cpp's own, to expire the front of a long list cheaply.
  template <class F>
  std::size_t remove_if(F&& drop) {
    return table_->remove_if(detail::function_ref<bool(const T&)>(drop));
  }

private:
  detail::list_table<T>* table_;
};

/// A map per key (Flink's MapState).
template <class K, class V>
class map_state {
public:
  explicit map_state(detail::map_table<K, V>& table) : table_(&table) {}

  std::optional<V> get(const K& key) const { return table_->get(key); }
  void put(K key, V value) { table_->put(std::move(key), std::move(value)); }
  void remove(const K& key) { table_->remove(key); }
  bool contains(const K& key) const { return table_->contains(key); }
  /// Changes the value of `key` with fn(V&): in place on the hashmap
  /// backend, read and written back on LevelDB. Returns false (and calls
  /// nothing) when `key` has no value. flink-cpp's own, for read-modify-write
  /// without a copy.
  template <class F>
  bool update(const K& key, F&& fn) {
    return table_->update(key, detail::function_ref<void(V&)>(fn));
  }
  /// The entries, in no particular order.
  std::vector<std::pair<K, V>> entries() const { return table_->entries(); }
  bool is_empty() const { return table_->is_empty(); }
  void clear() { table_->erase(); }

private:
  detail::map_table<K, V>* table_;
};

/// A value per key that added values are reduced into (Flink's ReducingState).
template <class T, class ReduceFn>
class reducing_state {
public:
  reducing_state(detail::value_table<T>& table, ReduceFn fn) : table_(&table), fn_(std::move(fn)) {}

  std::optional<T> get() const {
    const T* v = table_->get();
    return v != nullptr ? std::optional<T>{*v} : std::nullopt;
  }
  void add(T value) {
    const T* v = table_->get();
    table_->put(v != nullptr ? fn_(*v, std::move(value)) : std::move(value));
  }
  void clear() { table_->erase(); }

private:
  detail::value_table<T>* table_;
  ReduceFn fn_;
};

/// An accumulator per key that added values are aggregated into (Flink's
/// AggregatingState).
template <class In, class Acc, class Out, class Aggregate>
class aggregating_state {
public:
  aggregating_state(detail::value_table<Acc>& table, Aggregate function)
    : table_(&table),
      fn_(std::move(function)) {}

  std::optional<Out> get() const {
    const Acc* acc = table_->get();
    return acc != nullptr ? std::optional<Out>{fn_.get_result(*acc)} : std::nullopt;
  }
  void add(const In& value) {
    const Acc* current = table_->get();
    Acc acc = current != nullptr ? *current : fn_.create_accumulator();
    fn_.add(acc, value);
    table_->put(std::move(acc));
  }
  void clear() { table_->erase(); }

private:
  detail::value_table<Acc>* table_;
  mutable Aggregate fn_;
};

} // namespace flinkcpp
FLINKCPP_API_END

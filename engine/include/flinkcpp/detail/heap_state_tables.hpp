#pragma once

// Keyed state tables of the hashmap backend (Flink's HashMapStateBackend):
// per key group, a hash map from key to value (with its TTL stamp).

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "flinkcpp/detail/keyed_state.hpp"
#include "flinkcpp/detail/state_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// `shared`'s object, to change: copied first while a snapshot shares it.
template <class T>
T& unshared(std::shared_ptr<T>& shared) {
  if (shared.use_count() > 1)
    shared = std::make_shared<T>(*shared);
  else // pairs with the release of the snapshot's last reference
    std::atomic_thread_fence(std::memory_order_acquire);
  return *shared;
}

/// A table of one entry per key, per key group. Snapshots share its key
/// groups (freeze()); a group still shared is copied before it changes, so a
/// snapshot is taken in time proportional to the number of groups and
/// written while the table goes on changing. Used from one thread; frozen
/// groups are read from any.
template <class K, class Entry>
class grouped_table {
public:
  using map_type = stable_hash_map<K, Entry>;
  using frozen = std::vector<std::shared_ptr<const map_type>>;

  grouped_table(spi::key_group_range range, const current_key<K>& key) : key_(key) {
    groups_.reserve(static_cast<std::size_t>(range.size()));
    for (int g = 0; g < range.size(); ++g)
      groups_.push_back(std::make_shared<map_type>());
  }

  /// The current key's entry to read, or null.
  const Entry* find() const {
    const auto& m = group(key_.group);
    auto i = m.find(*key_.key, key_.hash);
    return i == m.end() ? nullptr : &i->second;
  }
  /// The current key's entry to change, or null.
  Entry* find_mutable() {
    auto& m = group(key_.group);
    auto i = m.find(*key_.key, key_.hash);
    return i == m.end() ? nullptr : &i.value();
  }
  Entry& find_or_create() {
    auto& m = group(key_.group);
    auto i = m.find(*key_.key, key_.hash);
    if (i == m.end())
      i = m.emplace(K(*key_.key), Entry{}).first;
    return i.value();
  }
  void erase() { group(key_.group).erase(*key_.key, key_.hash); }

  /// Group index `g`, to change (copied first while a snapshot shares it).
  map_type& group(int g) { return unshared(groups_[static_cast<std::size_t>(g)]); }
  const map_type& group(int g) const { return *groups_[static_cast<std::size_t>(g)]; }

  /// The keys of every group.
  std::vector<K> keys() const {
    std::vector<K> out;
    for (const auto& g : groups_)
      for (const auto& e : *g)
        out.push_back(e.first);
    return out;
  }

  /// Every group as it is now, for a snapshot.
  frozen freeze() const { return frozen(groups_.begin(), groups_.end()); }

private:
  std::vector<std::shared_ptr<map_type>> groups_;
  const current_key<K>& key_;
};

/// A hashmap table's key groups as a snapshot froze them, written on an I/O
/// thread. Thread-safe (immutable).
class frozen_heap_table {
public:
  virtual ~frozen_heap_table() = default;
  virtual std::uint8_t kind() const = 0;
  virtual bool group_empty(int group) const = 0;
  virtual void write_group(int group, binary_writer& out) const = 0;
};

/// The frozen groups of a table whose entries `Write` writes, as
/// Write::write(const map_type&, binary_writer&).
template <class Map, class Write>
class frozen_groups final : public frozen_heap_table {
public:
  frozen_groups(std::uint8_t kind, std::vector<std::shared_ptr<const Map>> groups)
    : kind_(kind),
      groups_(std::move(groups)) {}

  std::uint8_t kind() const override { return kind_; }
  bool group_empty(int g) const override { return groups_[static_cast<std::size_t>(g)]->empty(); }
  void write_group(int g, binary_writer& out) const override {
    Write::write(*groups_[static_cast<std::size_t>(g)], out);
  }

private:
  std::uint8_t kind_;
  std::vector<std::shared_ptr<const Map>> groups_;
};

/// A hashmap table: it also freezes its key groups for snapshots.
/// The snapshot bytes of one table in one key group (both backends write
/// them, and their end is known): per key its delimited key and, for a value
/// table, its delimited stamped value; for a list, the number of elements (4
/// bytes) and each delimited stamped element; for a map, the number of
/// entries (4 bytes) and each delimited user key and stamped value.
/// Delimited (binary_writer::write_delimited) so that LevelDB's keys and
/// values are cut from them without the types.
class heap_table_base : public state_table_base {
public:
  virtual std::shared_ptr<const frozen_heap_table> freeze() const = 0;
};

template <class K, class V>
class heap_value_table final : public value_table<V>,
                               public heap_table_base,
                               public key_listing<K> {
public:
  using table_type = grouped_table<K, stamped<V>>;

  heap_value_table(spi::key_group_range range, const current_key<K>& key, ttl_policy ttl)
    : table_(range, key),
      ttl_(ttl) {}

  const V* get() override {
    if (!ttl_.enabled()) {
      const auto* e = table_.find();
      return e != nullptr ? &e->value : nullptr;
    }
    auto* e = table_.find_mutable();
    if (e == nullptr)
      return nullptr;
    auto now = state_clock_now();
    if (ttl_.expired(e->stamp, now) && ttl_.hides_expired()) {
      table_.erase();
      return nullptr;
    }
    if (ttl_.refresh_on_read())
      e->stamp = now;
    return &e->value;
  }
  void put(V value) override {
    auto& e = table_.find_or_create();
    e.value = std::move(value);
    e.stamp = ttl_.stamp();
  }
  void erase() override { table_.erase(); }
  bool update(function_ref<bool(V&)> fn) override {
    auto* e = table_.find_mutable();
    if (e == nullptr)
      return false;
    if (ttl_.enabled() && ttl_.hides_expired() && ttl_.expired(e->stamp, state_clock_now())) {
      table_.erase();
      return false;
    }
    if (fn(e->value))
      e->stamp = ttl_.stamp();
    return true;
  }

  /// The hot path of keyed aggregations (tables without TTL): the current
  /// key's value to change in place, or null; and inserting it.
  V* find_value() {
    auto* e = table_.find_mutable();
    return e != nullptr ? &e->value : nullptr;
  }
  /// `value` is moved only once its key is stored: the current key may
  /// point into it.
  V& insert_value(V&& value) {
    auto& e = table_.find_or_create();
    e.value = std::move(value);
    return e.value;
  }

  /// The entries of key group index `g` (a batch aggregation's final output).
  typename table_type::map_type& entries_of(int g) { return table_.group(g); }

  std::uint8_t kind() const override { return value_kind; }
  std::vector<K> keys() override { return table_.keys(); }
  std::shared_ptr<const frozen_heap_table> freeze() const override {
    return std::make_shared<frozen_groups<typename table_type::map_type, heap_value_table>>(
      value_kind, table_.freeze());
  }
  static void write(const typename table_type::map_type& m, binary_writer& out) {
    for (const auto& [k, e] : m) {
      out.write_delimited(k);
      out.write_delimited(e);
    }
  }
  void read_group(int g, binary_reader& in) override {
    auto& m = table_.group(g);
    while (in.pos != in.end) {
      K k{};
      stamped<V> e{};
      in.read_delimited(k);
      in.read_delimited(e);
      m.insert_or_assign(std::move(k), std::move(e));
    }
  }

private:
  table_type table_;
  ttl_policy ttl_;
};

/// A key's list on the heap: its values, contiguous (so that take() hands
/// them out whole), and their stamps when the table has a TTL (else none).
template <class V>
struct heap_list {
  std::vector<V> values;
  std::vector<std::int64_t> stamps; ///< one per value with a TTL, else empty
};

template <class K, class V>
class heap_list_table final : public list_table<V>, public heap_table_base, public key_listing<K> {
public:
  using table_type = grouped_table<K, heap_list<V>>;

  heap_list_table(spi::key_group_range range, const current_key<K>& key, ttl_policy ttl)
    : table_(range, key),
      ttl_(ttl) {}

  std::vector<V> get() override {
    if (!ttl_.enabled()) {
      const auto* list = table_.find();
      return list != nullptr ? list->values : std::vector<V>{};
    }
    if (remove_if([](const V&) { return false; }) == 0) // what expired goes
      return {};
    auto* list = table_.find_mutable();
    if (ttl_.refresh_on_read())
      std::fill(list->stamps.begin(), list->stamps.end(), state_clock_now());
    return list->values;
  }
  bool add(V value) override {
    auto* list = table_.find_mutable();
    bool first = list == nullptr;
    if (first)
      list = &table_.find_or_create();
    list->values.push_back(std::move(value));
    if (ttl_.enabled())
      list->stamps.push_back(ttl_.stamp());
    return first;
  }
  std::vector<V> take() override {
    auto out = ttl_.enabled() ? get() : std::vector<V>{};
    if (auto* list = table_.find_mutable()) {
      if (!ttl_.enabled())
        out = std::move(list->values);
      table_.erase();
    }
    return out;
  }
  void update(std::vector<V> values) override {
    if (values.empty()) {
      table_.erase();
      return;
    }
    auto& list = table_.find_or_create();
    list.stamps.assign(ttl_.enabled() ? values.size() : 0, ttl_.stamp());
    list.values = std::move(values);
  }
  void erase() override { table_.erase(); }
  void for_each(function_ref<void(const V&)> fn) override {
    if (ttl_.enabled()) { // reading expires and refreshes, as get() does
      for (const auto& v : get())
        fn(v);
      return;
    }
    if (const auto* list = table_.find())
      for (const auto& v : list->values)
        fn(v);
  }
  std::size_t remove_if(function_ref<bool(const V&)> drop) override {
    auto* list = table_.find_mutable();
    if (list == nullptr)
      return 0;
    auto now = ttl_.enabled() ? state_clock_now() : 0;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list->values.size(); ++i) {
      bool expired = ttl_.enabled() && ttl_.expired(list->stamps[i], now) && ttl_.hides_expired();
      if (expired || drop(list->values[i]))
        continue;
      if (kept != i) {
        list->values[kept] = std::move(list->values[i]);
        if (ttl_.enabled())
          list->stamps[kept] = list->stamps[i];
      }
      ++kept;
    }
    if (kept == 0) {
      table_.erase();
      return 0;
    }
    list->values.resize(kept);
    if (ttl_.enabled())
      list->stamps.resize(kept);
    return kept;
  }

  std::uint8_t kind() const override { return list_kind; }
  std::vector<K> keys() override { return table_.keys(); }
  std::shared_ptr<const frozen_heap_table> freeze() const override {
    return std::make_shared<frozen_groups<typename table_type::map_type, heap_list_table>>(
      list_kind, table_.freeze());
  }
  /// Each element as a stamped<V> (its value, then its stamp: 0 without a
  /// TTL), as the LevelDB backend writes them.
  static void write(const typename table_type::map_type& m, binary_writer& out) {
    for (const auto& [k, list] : m) {
      out.write_delimited(k);
      out.write(static_cast<std::uint32_t>(list.values.size()));
      for (std::size_t i = 0; i < list.values.size(); ++i) {
        auto at = out.begin_delimited();
        out.write(list.values[i]);
        out.write(list.stamps.empty() ? std::int64_t{0} : list.stamps[i]);
        out.end_delimited(at);
      }
    }
  }
  void read_group(int g, binary_reader& in) override {
    auto& m = table_.group(g);
    while (in.pos != in.end) {
      K k{};
      in.read_delimited(k);
      auto& list = m[std::move(k)];
      std::uint32_t size = 0;
      in.read(size);
      for (std::uint32_t j = 0; j < size; ++j) {
        stamped<V> e{};
        in.read_delimited(e);
        list.values.push_back(std::move(e.value));
        if (ttl_.enabled())
          list.stamps.push_back(e.stamp);
      }
    }
  }

private:
  table_type table_;
  ttl_policy ttl_;
};

template <class K, class UK, class UV>
class heap_map_table final : public map_table<UK, UV>,
                             public heap_table_base,
                             public key_listing<K> {
public:
  using user_map = stable_hash_map<UK, stamped<UV>>;
  using table_type = grouped_table<K, user_map>;

  heap_map_table(spi::key_group_range range, const current_key<K>& key, ttl_policy ttl)
    : table_(range, key),
      ttl_(ttl) {}

  std::optional<UV> get(const UK& user_key) override {
    auto* e = live(user_key);
    return e != nullptr ? std::optional<UV>{e->value} : std::nullopt;
  }
  void put(UK user_key, UV value) override {
    table_.find_or_create().insert_or_assign(std::move(user_key),
                                             stamped<UV>{std::move(value), ttl_.stamp()});
  }
  void remove(const UK& user_key) override {
    auto* m = table_.find_mutable();
    if (m == nullptr)
      return;
    m->erase(user_key);
    if (m->empty())
      table_.erase();
  }
  bool contains(const UK& user_key) override { return live(user_key) != nullptr; }
  bool update(const UK& user_key, function_ref<void(UV&)> fn) override {
    auto* m = table_.find_mutable(); // a group frozen for a snapshot is copied first
    if (m == nullptr)
      return false;
    auto i = m->find(user_key);
    if (i == m->end() || (ttl_.enabled() && ttl_.hides_expired() &&
                          ttl_.expired(i->second.stamp, state_clock_now())))
      return false;
    fn(i.value().value);
    i.value().stamp = ttl_.stamp();
    return true;
  }
  std::vector<std::pair<UK, UV>> entries() override {
    std::vector<std::pair<UK, UV>> out;
    if (!ttl_.enabled()) {
      if (const auto* m = table_.find())
        for (const auto& [uk, e] : *m)
          out.emplace_back(uk, e.value);
      return out;
    }
    auto* m = table_.find_mutable();
    if (m == nullptr)
      return out;
    auto now = state_clock_now();
    for (auto i = m->begin(); i != m->end();) {
      if (ttl_.expired(i->second.stamp, now) && ttl_.hides_expired()) {
        i = m->erase(i); // robin hood tables shift the next entries back into place
        continue;
      }
      if (ttl_.refresh_on_read())
        i.value().stamp = now;
      out.emplace_back(i->first, i->second.value);
      ++i;
    }
    return out;
  }
  bool is_empty() override { return entries().empty(); }
  void erase() override { table_.erase(); }

  std::uint8_t kind() const override { return map_kind; }
  std::vector<K> keys() override { return table_.keys(); }
  std::shared_ptr<const frozen_heap_table> freeze() const override {
    return std::make_shared<frozen_groups<typename table_type::map_type, heap_map_table>>(
      map_kind, table_.freeze());
  }
  static void write(const typename table_type::map_type& m, binary_writer& out) {
    for (const auto& [k, user] : m) {
      out.write_delimited(k);
      out.write(static_cast<std::uint32_t>(user.size()));
      for (const auto& [uk, e] : user) {
        out.write_delimited(uk);
        out.write_delimited(e);
      }
    }
  }
  void read_group(int g, binary_reader& in) override {
    auto& m = table_.group(g);
    while (in.pos != in.end) {
      K k{};
      in.read_delimited(k);
      auto& user = m[std::move(k)];
      std::uint32_t size = 0;
      in.read(size);
      for (std::uint32_t j = 0; j < size; ++j) {
        UK uk{};
        stamped<UV> e{};
        in.read_delimited(uk);
        in.read_delimited(e);
        user.insert_or_assign(std::move(uk), std::move(e));
      }
    }
  }

private:
  /// The live entry of `user_key`, or null; with a TTL it may expire or be
  /// refreshed here.
  const stamped<UV>* live(const UK& user_key) {
    if (!ttl_.enabled()) {
      const auto* m = table_.find();
      if (m == nullptr)
        return nullptr;
      auto i = m->find(user_key);
      return i == m->end() ? nullptr : &i->second;
    }
    auto* m = table_.find_mutable();
    if (m == nullptr)
      return nullptr;
    auto i = m->find(user_key);
    if (i == m->end())
      return nullptr;
    auto now = state_clock_now();
    if (ttl_.expired(i->second.stamp, now) && ttl_.hides_expired()) {
      m->erase(i);
      return nullptr;
    }
    if (ttl_.refresh_on_read())
      i.value().stamp = now;
    return &i->second;
  }

  table_type table_;
  ttl_policy ttl_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

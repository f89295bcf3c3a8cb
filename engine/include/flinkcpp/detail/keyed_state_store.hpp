#pragma once

// The keyed state of one operator instance on the hashmap backend (Flink's
// HashMapStateBackend): each declared state is a table holding, per key
// group, a hash map from key to value (with its time-to-live stamp). The
// store knows the current key; handles (state.hpp) read and write the
// current key's entry. Snapshots serialize each key group's entries of every
// table; state a restored job never declares again is kept and written into
// later snapshots unchanged.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "flinkcpp/detail/key_groups.hpp"
#include "flinkcpp/detail/keyed_state.hpp"
#include "flinkcpp/detail/operator_snapshot.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/state.hpp"

namespace flinkcpp::detail {

/// Milliseconds since the epoch: the processing time state TTL measures.
inline std::int64_t state_clock_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// A stored value with the time its time to live was last refreshed.
template <class V>
struct stamped {
  V value;
  std::int64_t stamp = 0;
};

/// When entries expire, for a table declared with (or without) a TTL.
class ttl_policy {
public:
  explicit ttl_policy(const std::optional<state_ttl_config>& config) : config_(config) {}

  bool enabled() const { return config_.has_value(); }
  /// The stamp of an entry written now (0 without a TTL: no clock read).
  std::int64_t stamp() const { return config_ ? state_clock_now() : 0; }

  bool expired(std::int64_t stamp, std::int64_t now) const {
    return config_ && now - stamp >= config_->ttl.count();
  }
  /// Whether a stored but expired entry must be hidden (and dropped) on read.
  bool hides_expired() const {
    return config_ &&
           config_->visibility == state_ttl_config::state_visibility::never_return_expired;
  }
  bool refresh_on_read() const {
    return config_ && config_->update == state_ttl_config::update_type::on_read_and_write;
  }

private:
  std::optional<state_ttl_config> config_;
};

/// The key of the record being processed, as the tables need it.
template <class K>
struct current_key {
  const K* key = nullptr;
  std::uint64_t hash = 0;
  int group = 0; ///< index into the store's key group range
};

/// What the store needs of every table, whatever its kind.
class state_table_base {
public:
  virtual ~state_table_base() = default;
  virtual std::uint8_t kind() const = 0;
  virtual bool group_empty(int group) const = 0;
  virtual void write_group(int group, binary_writer& out) const = 0;
  virtual void read_group(int group, binary_reader& in) = 0;
};

/// A table of one entry per key, per key group.
template <class K, class Entry>
class grouped_table {
public:
  using map_type = absl::flat_hash_map<K, Entry, stable_key_hasher<K>, stable_key_equal<K>>;

  grouped_table(key_group_range range, const current_key<K>& key)
    : groups_(static_cast<std::size_t>(range.size())), key_(key) {}

  Entry* find() {
    auto& m = groups_[static_cast<std::size_t>(key_.group)];
    auto i = m.find(prehashed_key<K>{*key_.key, key_.hash});
    return i == m.end() ? nullptr : &i->second;
  }
  Entry& find_or_create() {
    auto& m = groups_[static_cast<std::size_t>(key_.group)];
    auto i = m.find(prehashed_key<K>{*key_.key, key_.hash});
    if (i == m.end())
      i = m.emplace(K(*key_.key), Entry{}).first;
    return i->second;
  }
  void erase() {
    groups_[static_cast<std::size_t>(key_.group)].erase(prehashed_key<K>{*key_.key, key_.hash});
  }
  map_type& group(int g) { return groups_[static_cast<std::size_t>(g)]; }
  const map_type& group(int g) const { return groups_[static_cast<std::size_t>(g)]; }

private:
  std::vector<map_type> groups_;
  const current_key<K>& key_;
};

enum table_kind : std::uint8_t { value_kind = 1, list_kind = 2, map_kind = 3 };

template <class K, class V>
class heap_value_table final : public value_table<V>, public state_table_base {
public:
  heap_value_table(key_group_range range, const current_key<K>& key, ttl_policy ttl)
    : table_(range, key), ttl_(ttl) {}

  const V* get() override {
    auto* e = table_.find();
    if (e == nullptr)
      return nullptr;
    if (!ttl_.enabled())
      return &e->value;
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

  std::uint8_t kind() const override { return value_kind; }
  bool group_empty(int g) const override { return table_.group(g).empty(); }
  void write_group(int g, binary_writer& out) const override {
    const auto& m = table_.group(g);
    out.write_varint(m.size());
    for (const auto& [k, e] : m) {
      out.write(k);
      out.write(e.value);
      out.write(e.stamp);
    }
  }
  void read_group(int g, binary_reader& in) override {
    auto& m = table_.group(g);
    auto n = in.read_varint();
    for (std::uint64_t i = 0; i < n; ++i) {
      K k{};
      stamped<V> e{};
      in.read(k);
      in.read(e.value);
      in.read(e.stamp);
      m.insert_or_assign(std::move(k), std::move(e));
    }
  }

private:
  grouped_table<K, stamped<V>> table_;
  ttl_policy ttl_;
};

template <class K, class V>
class heap_list_table final : public list_table<V>, public state_table_base {
public:
  heap_list_table(key_group_range range, const current_key<K>& key, ttl_policy ttl)
    : table_(range, key), ttl_(ttl) {}

  std::vector<V> get() override {
    std::vector<V> out;
    auto* list = table_.find();
    if (list == nullptr)
      return out;
    auto now = state_clock_now();
    if (ttl_.hides_expired())
      list->erase(std::remove_if(list->begin(), list->end(),
                                 [&](const auto& e) { return ttl_.expired(e.stamp, now); }),
                  list->end());
    for (auto& e : *list) {
      if (ttl_.refresh_on_read())
        e.stamp = now;
      out.push_back(e.value);
    }
    if (list->empty())
      table_.erase();
    return out;
  }
  void add(V value) override {
    table_.find_or_create().push_back({std::move(value), ttl_.stamp()});
  }
  void update(std::vector<V> values) override {
    if (values.empty()) {
      table_.erase();
      return;
    }
    auto& list = table_.find_or_create();
    list.clear();
    auto now = ttl_.stamp();
    for (auto& v : values)
      list.push_back({std::move(v), now});
  }
  void erase() override { table_.erase(); }

  std::uint8_t kind() const override { return list_kind; }
  bool group_empty(int g) const override { return table_.group(g).empty(); }
  void write_group(int g, binary_writer& out) const override {
    const auto& m = table_.group(g);
    out.write_varint(m.size());
    for (const auto& [k, list] : m) {
      out.write(k);
      out.write_varint(list.size());
      for (const auto& e : list) {
        out.write(e.value);
        out.write(e.stamp);
      }
    }
  }
  void read_group(int g, binary_reader& in) override {
    auto& m = table_.group(g);
    auto n = in.read_varint();
    for (std::uint64_t i = 0; i < n; ++i) {
      K k{};
      in.read(k);
      auto& list = m[std::move(k)];
      auto size = in.read_varint();
      for (std::uint64_t j = 0; j < size; ++j) {
        stamped<V> e{};
        in.read(e.value);
        in.read(e.stamp);
        list.push_back(std::move(e));
      }
    }
  }

private:
  grouped_table<K, std::vector<stamped<V>>> table_;
  ttl_policy ttl_;
};

template <class K, class UK, class UV>
class heap_map_table final : public map_table<UK, UV>, public state_table_base {
public:
  using user_map =
    absl::flat_hash_map<UK, stamped<UV>, stable_key_hasher<UK>, stable_key_equal<UK>>;

  heap_map_table(key_group_range range, const current_key<K>& key, ttl_policy ttl)
    : table_(range, key), ttl_(ttl) {}

  std::optional<UV> get(const UK& user_key) override {
    auto* e = live(user_key);
    return e != nullptr ? std::optional<UV>{e->value} : std::nullopt;
  }
  void put(UK user_key, UV value) override {
    table_.find_or_create().insert_or_assign(std::move(user_key),
                                             stamped<UV>{std::move(value), ttl_.stamp()});
  }
  void remove(const UK& user_key) override {
    auto* m = table_.find();
    if (m == nullptr)
      return;
    m->erase(user_key);
    if (m->empty())
      table_.erase();
  }
  bool contains(const UK& user_key) override { return live(user_key) != nullptr; }
  std::vector<std::pair<UK, UV>> entries() override {
    std::vector<std::pair<UK, UV>> out;
    auto* m = table_.find();
    if (m == nullptr)
      return out;
    auto now = state_clock_now();
    for (auto i = m->begin(); i != m->end();) {
      if (ttl_.expired(i->second.stamp, now) && ttl_.hides_expired()) {
        m->erase(i++);
        continue;
      }
      if (ttl_.refresh_on_read())
        i->second.stamp = now;
      out.emplace_back(i->first, i->second.value);
      ++i;
    }
    return out;
  }
  bool is_empty() override { return entries().empty(); }
  void erase() override { table_.erase(); }

  std::uint8_t kind() const override { return map_kind; }
  bool group_empty(int g) const override { return table_.group(g).empty(); }
  void write_group(int g, binary_writer& out) const override {
    const auto& m = table_.group(g);
    out.write_varint(m.size());
    for (const auto& [k, user] : m) {
      out.write(k);
      out.write_varint(user.size());
      for (const auto& [uk, e] : user) {
        out.write(uk);
        out.write(e.value);
        out.write(e.stamp);
      }
    }
  }
  void read_group(int g, binary_reader& in) override {
    auto& m = table_.group(g);
    auto n = in.read_varint();
    for (std::uint64_t i = 0; i < n; ++i) {
      K k{};
      in.read(k);
      auto& user = m[std::move(k)];
      auto size = in.read_varint();
      for (std::uint64_t j = 0; j < size; ++j) {
        UK uk{};
        stamped<UV> e{};
        in.read(uk);
        in.read(e.value);
        in.read(e.stamp);
        user.insert_or_assign(std::move(uk), std::move(e));
      }
    }
  }

private:
  stamped<UV>* live(const UK& user_key) {
    auto* m = table_.find();
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
      i->second.stamp = now;
    return &i->second;
  }

  grouped_table<K, user_map> table_;
  ttl_policy ttl_;
};

/// The keyed state of one operator instance: its declared tables over the
/// key groups its subtask owns, and the current key. Not thread-safe.
template <class K>
class keyed_state_store {
public:
  keyed_state_store(key_group_range range, int max_parallelism)
    : range_(range), max_parallelism_(max_parallelism) {}

  keyed_state_store(const keyed_state_store&) = delete;
  keyed_state_store& operator=(const keyed_state_store&) = delete;

  /// Makes `key` (with its stable hash) the key every state access refers to.
  /// Throws std::logic_error if this subtask does not own the key's group.
  void set_current_key(const K& key, std::uint64_t hash) {
    int g = key_group_of(hash, max_parallelism_);
    if (!range_.contains(g))
      throw std::logic_error(
        "flink-cpp: record routed to a subtask that does not own its key group");
    current_.key = &key;
    current_.hash = hash;
    current_.group = g - range_.begin;
  }

  const K& current() const { return *current_.key; }

  template <class T>
  value_state<T> state(const value_state_descriptor<T>& d) {
    return value_state<T>(table<heap_value_table<K, T>>(d));
  }
  template <class T>
  list_state<T> state(const list_state_descriptor<T>& d) {
    return list_state<T>(table<heap_list_table<K, T>>(d));
  }
  template <class UK, class UV>
  map_state<UK, UV> state(const map_state_descriptor<UK, UV>& d) {
    return map_state<UK, UV>(table<heap_map_table<K, UK, UV>>(d));
  }
  template <class T, class F>
  reducing_state<T, F> state(const reducing_state_descriptor<T, F>& d) {
    return reducing_state<T, F>(table<heap_value_table<K, T>>(d), d.fn);
  }
  template <class In, class Acc, class Out, class A>
  aggregating_state<In, Acc, Out, A> state(const aggregating_state_descriptor<In, Acc, Out, A>& d) {
    return aggregating_state<In, Acc, Out, A>(table<heap_value_table<K, Acc>>(d), d.function);
  }

  /// Every table's entries of each key group, serialized now; restored state
  /// no table claimed goes along unchanged.
  void snapshot(operator_snapshot& snapshot) const {
    auto groups = std::make_shared<std::vector<std::pair<int, std::string>>>();
    for (int g = 0; g < range_.size(); ++g) {
      std::string bytes;
      binary_writer w{bytes};
      for (const auto& [name, t] : tables_) {
        if (t.table->group_empty(g))
          continue;
        std::string body;
        binary_writer b{body};
        t.table->write_group(g, b);
        w.write(name);
        w.write(t.table->kind());
        w.write(body);
      }
      for (const auto& [name, unclaimed] : unclaimed_)
        for (const auto& [group, kind, body] : unclaimed)
          if (group == g) {
            w.write(name);
            w.write(kind);
            w.write(body);
          }
      if (!bytes.empty())
        groups->emplace_back(range_.begin + g, std::move(bytes));
    }
    snapshot.keyed = [groups](const key_group_sink& sink) {
      for (const auto& [g, bytes] : *groups)
        sink(g, bytes);
    };
  }

  /// Takes a restored job's key groups; tables read their part when declared.
  void restore(const operator_restore& state) {
    for (const auto& [g, bytes] : state.key_groups) {
      if (!range_.contains(g))
        throw std::logic_error("flink-cpp: restored a key group this subtask does not own");
      binary_reader r{bytes.data(), bytes.data() + bytes.size()};
      while (r.pos != r.end) {
        std::string name;
        std::uint8_t kind = 0;
        std::string body;
        r.read(name);
        r.read(kind);
        r.read(body);
        unclaimed_[name].emplace_back(g - range_.begin, kind, std::move(body));
      }
    }
  }

private:
  struct entry {
    std::unique_ptr<state_table_base> table;
    const std::type_info* type = nullptr;
  };

  template <class Table, class Descriptor>
  Table& table(const Descriptor& d) {
    auto& slot = tables_[d.name];
    if (!slot.table) {
      auto t = std::make_unique<Table>(range_, current_, ttl_policy{d.ttl});
      if (auto found = unclaimed_.find(d.name); found != unclaimed_.end()) {
        for (const auto& [g, kind, body] : found->second) {
          if (kind != t->kind())
            throw std::runtime_error("restored state '" + d.name +
                                     "' is of another kind (value, list or map) than declared");
          binary_reader r{body.data(), body.data() + body.size()};
          t->read_group(g, r);
        }
        unclaimed_.erase(found);
      }
      slot.type = &typeid(Table);
      slot.table = std::move(t);
    } else if (*slot.type != typeid(Table)) {
      throw std::logic_error("state '" + d.name + "' is declared twice with different types");
    }
    return static_cast<Table&>(*slot.table);
  }

  key_group_range range_;
  int max_parallelism_;
  current_key<K> current_;
  std::map<std::string, entry> tables_;
  /// Restored (group index, kind, bytes) per state name, not yet declared.
  std::map<std::string, std::vector<std::tuple<int, std::uint8_t, std::string>>> unclaimed_;
};

} // namespace flinkcpp::detail

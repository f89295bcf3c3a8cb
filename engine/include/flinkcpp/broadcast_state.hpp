#pragma once

// Broadcast state (Flink's BroadcastState): maps that every parallel subtask
// of an operator with a broadcast input holds in full. Declared by the
// map_state_descriptors given to data_stream::broadcast(); written only by
// the function's broadcast side (each subtask sees every broadcast record, so
// each makes the same changes), read by its element side. A checkpoint holds
// them once (subtask 0's copy) and a restore, at any parallelism, hands that
// copy whole to every subtask.
//
// Handles belong to one subtask, are used from its thread only, and stay
// valid as long as the function that obtained them.

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "flinkcpp/detail/keyed_state.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "flinkcpp/state.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

namespace detail {

/// One broadcast state's entries, with their snapshot form.
class broadcast_table_base {
public:
  virtual ~broadcast_table_base() = default;
  /// Each entry's binary form (key, then value).
  virtual std::vector<std::string> encode() const = 0;
  /// Takes in entries `encode` wrote; throws serialization_error for
  /// malformed ones.
  virtual void decode(const std::vector<std::string>& entries) = 0;
};

template <class K, class V>
class broadcast_table final : public broadcast_table_base {
public:
  stable_hash_map<K, V> entries;

  std::vector<std::string> encode() const override {
    std::vector<std::string> out;
    out.reserve(entries.size());
    for (const auto& [k, v] : entries) {
      std::string bytes;
      binary_writer w{bytes};
      w.write(k);
      w.write(v);
      out.push_back(std::move(bytes));
    }
    return out;
  }

  void decode(const std::vector<std::string>& encoded) override {
    for (const auto& e : encoded) {
      auto entry = from_bytes<std::pair<K, V>>(e);
      entries.insert_or_assign(std::move(entry.first), std::move(entry.second));
    }
  }
};

/// The broadcast states of one operator instance: those declared (by name
/// and type) when the broadcast stream was made, created on first use,
/// holding what a restore brought. Not thread-safe.
class broadcast_states {
public:
  /// A declaration: the state's name and its table's type.
  struct declaration {
    std::string name;
    const std::type_info* type = nullptr;
  };

  broadcast_states() = default;
  explicit broadcast_states(std::vector<declaration> declared) : declared_(std::move(declared)) {}

  template <class K, class V>
  static declaration declare(const map_state_descriptor<K, V>& d) {
    return {d.name, &typeid(broadcast_table<K, V>)};
  }

  /// The table of the state `d` declares. Throws std::logic_error when no
  /// descriptor of that name and types was given to broadcast().
  template <class K, class V>
  broadcast_table<K, V>& table(const map_state_descriptor<K, V>& d) {
    auto found = tables_.find(d.name);
    if (found != tables_.end()) {
      if (*found->second.type != typeid(broadcast_table<K, V>))
        throw_undeclared(d.name);
      return static_cast<broadcast_table<K, V>&>(*found->second.table);
    }
    if (!is_declared(d.name, typeid(broadcast_table<K, V>)))
      throw_undeclared(d.name);
    auto t = std::make_unique<broadcast_table<K, V>>();
    if (auto r = restored_.find(d.name); r != restored_.end()) {
      t->decode(r->second);
      restored_.erase(r);
    }
    auto& out = *t;
    tables_[d.name] = {std::move(t), &typeid(broadcast_table<K, V>)};
    return out;
  }

  /// Puts every state into `snapshot` if `writer` (the subtask that writes
  /// them for all: subtask 0), as union lists named list_prefix + name; the
  /// entries a restore brought for states not used since go along. Runs on
  /// the subtask's thread, so its cost grows with the states' size.
  void snapshot(bool writer, spi::operator_snapshot& snapshot) const {
    if (!writer)
      return;
    for (const auto& [name, t] : tables_)
      snapshot.lists[list_prefix + name] = {spi::redistribution::union_all, t.table->encode()};
    for (const auto& [name, entries] : restored_)
      snapshot.lists[list_prefix + name] = {spi::redistribution::union_all, entries};
  }

  /// Takes the states a checkpoint holds; before the first use of any.
  void restore(const spi::operator_restore& state) {
    for (const auto& [name, entries] : state.lists)
      if (name.compare(0, list_prefix.size(), list_prefix) == 0)
        restored_[name.substr(list_prefix.size())] = entries;
  }

private:
  inline static const std::string list_prefix = "broadcast-state:";

  struct entry {
    std::unique_ptr<broadcast_table_base> table;
    const std::type_info* type = nullptr;
  };

  bool is_declared(const std::string& name, const std::type_info& type) const {
    for (const auto& d : declared_)
      if (d.name == name && *d.type == type)
        return true;
    return false;
  }

  [[noreturn]] static void throw_undeclared(const std::string& name) {
    throw std::logic_error("flink-cpp: broadcast state '" + name +
                           "' is not one the broadcast stream declared: give its "
                           "map_state_descriptor (same name and types) to broadcast()");
  }

  std::vector<declaration> declared_;
  std::map<std::string, entry> tables_;
  std::map<std::string, std::vector<std::string>> restored_;
};

} // namespace detail

/// Read access to a broadcast state (Flink's ReadOnlyBroadcastState): what a
/// function's element side gets.
template <class K, class V>
class read_only_broadcast_state {
public:
  explicit read_only_broadcast_state(detail::broadcast_table<K, V>& table) : table_(&table) {}

  /// The value of `key`, if it has one.
  std::optional<V> get(const K& key) const {
    auto i = table_->entries.find(key);
    return i == table_->entries.end() ? std::nullopt : std::optional<V>{i->second};
  }
  bool contains(const K& key) const { return table_->entries.count(key) != 0; }
  /// The entries, in no particular order.
  std::vector<std::pair<K, V>> entries() const {
    return {table_->entries.begin(), table_->entries.end()};
  }
  bool is_empty() const { return table_->entries.empty(); }

protected:
  detail::broadcast_table<K, V>* table_;
};

/// Read and write access to a broadcast state (Flink's BroadcastState):
/// what a function's broadcast side gets.
template <class K, class V>
class broadcast_state : public read_only_broadcast_state<K, V> {
public:
  using read_only_broadcast_state<K, V>::read_only_broadcast_state;

  void put(K key, V value) {
    this->table_->entries.insert_or_assign(std::move(key), std::move(value));
  }
  void remove(const K& key) { this->table_->entries.erase(key); }
  void clear() { this->table_->entries.clear(); }
};

} // namespace flinkcpp
FLINKCPP_API_END

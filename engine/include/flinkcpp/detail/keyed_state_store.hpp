#pragma once

// The keyed state of one operator instance: each declared state is a table
// (hashmap or kv store, by backend). The store knows the current key;
// handles (state.hpp) read and write the current key's entries, or those of
// the current key and a window (per-window state). Snapshots
// hold each key group's entries of every table in one format for both
// backends; state a restored job never declares again is kept and written
// into later snapshots unchanged.

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <vector>

#include "flinkcpp/detail/heap_state_tables.hpp"
#include "flinkcpp/detail/heap_timer_table.hpp"
#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/kv_state_tables.hpp"
#include "flinkcpp/detail/kv_timer_table.hpp"
#include "flinkcpp/detail/namespaced_key.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "flinkcpp/time_window.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The keyed state of one operator instance: its declared tables over the
/// key groups its subtask owns, and the current key. With a kv store (the
/// LevelDB backend) tables keep their entries there, else in hash maps. Not
/// thread-safe.
template <class K>
class keyed_state_store {
public:
  /// `store`: the operator's kv store, or null for the hashmap backend.
  keyed_state_store(spi::key_group_range range, int max_parallelism,
                    std::unique_ptr<spi::kv_store> store)
    : range_(range),
      max_parallelism_(max_parallelism),
      store_(std::move(store)) {}

  /// The store for `context`'s backend (a kv store named `name` with LevelDB).
  keyed_state_store(const spi::operator_context& context, const std::string& name)
    : keyed_state_store(context.key_groups(), context.max_parallelism,
                        context.state_backend ? context.state_backend->open(name) : nullptr) {}

  keyed_state_store(const keyed_state_store&) = delete;
  keyed_state_store& operator=(const keyed_state_store&) = delete;

  bool in_memory() const { return store_ == nullptr; }

  spi::key_group_range key_groups() const { return range_; }

  /// Makes `key` (with its stable hash) the key every state access refers to.
  /// Throws std::logic_error if this subtask does not own the key's group.
  void set_current_key(const K& key, std::uint64_t hash) {
    int g = spi::key_group_of(hash, max_parallelism_);
    if (!range_.contains(g))
      throw std::logic_error(
        "flink-cpp: record routed to a subtask that does not own its key group");
    current_.key = &key;
    current_.hash = hash;
    current_.group = g - range_.begin;
  }

  const K& current() const { return *current_.key; }
  /// The current key's stable hash.
  std::uint64_t current_hash() const { return current_.hash; }
  /// The current key's group, as an index into key_groups().
  int current_group() const { return current_.group; }

  /// A handle on the state `d` declares, for the current key.
  template <class Descriptor>
  auto state(const Descriptor& d) {
    return handle(d, current_);
  }

  /// Calls fn(key, handle) with each key of this store that has an entry
  /// in the state `d` declares, that key current, and the state's handle
  /// (Flink's applyToKeyedState); fn may change or clear the key's state.
  /// The keys are listed before the first call. Afterwards no key is
  /// current: set one before the next state access.
  template <class Descriptor, class Fn>
  void for_each_key(const Descriptor& d, Fn&& fn) {
    auto handle = state(d);
    auto& listing = dynamic_cast<key_listing<K>&>(*tables_.at(d.name).table);
    for (const auto& key : listing.keys()) {
      set_current_key(key, key_hash(key));
      fn(key, handle);
    }
    current_ = {};
  }

  /// Makes (the current key, `window`) the entry that per-window state
  /// refers to, until the next call of set_current_window.
  void set_current_window(const time_window& window) {
    window_key_.key = *current_.key; // reuses the copy's buffer
    window_key_.ns = window;
    window_current_.key = &window_key_;
    window_current_.hash = namespaced_hash(current_.hash, window);
    window_current_.group = current_.group;
  }

  /// A handle on the state `d` declares, for the current key in the
  /// namespace `window` (Flink's per-window state): one entry per key and
  /// window, in the key's key group. Valid until the next call of
  /// window_state or set_current_window. The tables are distinct from
  /// those of state() (a name declares either kind, not both).
  template <class Descriptor>
  auto window_state(const Descriptor& d, const time_window& window) {
    set_current_window(window);
    return handle(d, window_current_);
  }

  /// The value table of per-window state named like `d`, on this store's
  /// backend: its entry is that of the current key and the window of the
  /// last set_current_window. The table of window_state() for a value
  /// state of that name.
  template <class T>
  value_table<T>& window_value_table_of(const state_descriptor_base& d) {
    return value_table_of<T>(d, window_current_);
  }

  /// The list table of per-window state named like `d`, as
  /// window_value_table_of for a list state of that name.
  template <class T>
  list_table<T>& window_list_table_of(const state_descriptor_base& d) {
    return list_table_of<T>(d, window_current_);
  }

  /// The timer table `name` (one time domain's timers of the operator,
  /// whose payloads are T), on this store's backend: snapshotted and
  /// restored with the other tables.
  template <class T>
  timer_table<T>& timers(const std::string& name) {
    if (in_memory())
      return declare<heap_timer_table<T>>(
        name, [&] { return std::make_unique<heap_timer_table<T>>(range_); });
    return declare<kv_timer_table<T>>(name, [&] {
      return std::make_unique<kv_timer_table<T>>(*store_, kv_state_id(name), range_);
    });
  }

  /// The value table of a state named like `d`, on this store's backend.
  template <class T>
  value_table<T>& value_table_of(const state_descriptor_base& d) {
    return value_table_of<T>(d, current_);
  }

  /// The entries of every key group, taken now and written by the I/O
  /// thread: the hashmap backend's tables freeze their key groups (copied
  /// on their next change), the LevelDB backend takes a store snapshot.
  /// Restored state no table claimed goes along.
  void snapshot(spi::operator_snapshot& snapshot) const {
    if (!in_memory())
      for (const auto& [name, t] : tables_)
        t.table->flush(); // the changes the tables cache, into the store snapshotted below
    if (!in_memory() && snapshot.native_allowed) {
      snapshot.native = store_->native_snapshot(); // restored unclaimed state is in the store
      return;
    }
    auto unclaimed = std::make_shared<const unclaimed_map>(unclaimed_);
    auto range = range_;
    if (in_memory()) {
      // Frozen now (shared key groups: cheap), written on the I/O thread.
      std::vector<std::pair<std::string, std::shared_ptr<const frozen_heap_table>>> frozen;
      for (const auto& [name, t] : tables_)
        frozen.emplace_back(name, static_cast<const heap_table_base&>(*t.table).freeze());
      snapshot.keyed = [frozen = std::move(frozen), unclaimed,
                        range](const spi::key_group_sink& sink) {
        std::string bytes;
        for (int g = 0; g < range.size(); ++g) {
          bytes.clear();
          binary_writer w{bytes};
          for (const auto& [name, table] : frozen) {
            if (table->group_empty(g))
              continue;
            w.write(name);
            w.write(table->kind());
            auto at = w.begin_delimited();
            table->write_group(g, w);
            w.end_delimited(at);
          }
          append_unclaimed(*unclaimed, g, w);
          if (!bytes.empty())
            sink(range.begin + g, bytes);
        }
      };
      return;
    }
    snapshot.keyed = [view = store_->snapshot(), unclaimed,
                      range](const spi::key_group_sink& sink) {
      // Every state the store holds, declared or restored natively and not
      // declared (yet): its catalog.
      struct described {
        std::string name;
        std::uint8_t kind;
        std::uint32_t id;
      };
      std::vector<described> tables;
      view->scan(kv_catalog_prefix, [&](std::string_view, std::string_view v) {
        auto e = from_bytes<kv_catalog_entry>(v);
        tables.push_back({e.name, e.kind, kv_state_id(e.name)});
        return true;
      });
      std::string bytes;
      for (int g = 0; g < range.size(); ++g) {
        bytes.clear();
        binary_writer w{bytes};
        for (const auto& t : tables) {
          auto before = bytes.size();
          w.write(t.name);
          w.write(t.kind);
          auto at = w.begin_delimited();
          if (write_kv_table_group(*view, kv_prefix(range.begin + g, t.id), t.kind, w) == 0)
            bytes.resize(before); // nothing of it in this group
          else
            w.end_delimited(at);
        }
        append_unclaimed(*unclaimed, g, w);
        if (!bytes.empty())
          sink(range.begin + g, bytes);
      }
    };
  }

  /// Takes a restored job's key groups: declared tables read their part now,
  /// others when they are declared.
  void restore(const spi::operator_restore& state) {
    if (!state.native.empty()) {
      if (in_memory()) // the task executor refuses such a restore before
        throw std::logic_error("flink-cpp: LevelDB state restored into the hashmap backend");
      store_->restore_native(state.native, range_);
      for (const auto& [name, t] : tables_) { // declared before: checked against what came
        register_in_catalog(name, t.table->kind());
        t.table->restored();
      }
    }
    for (const auto& [g, bytes] : state.key_groups) {
      if (!range_.contains(g))
        throw std::logic_error("flink-cpp: restored a key group this subtask does not own");
      binary_reader r{bytes.data(), bytes.data() + bytes.size()};
      while (r.pos != r.end) {
        std::string name;
        std::uint8_t kind = 0;
        r.read(name);
        r.read(kind);
        std::string body{r.read_delimited_bytes()};
        if (auto declared = tables_.find(name); declared != tables_.end())
          feed(*declared->second.table, name, g - range_.begin, kind, body);
        else
          unclaimed_[name].emplace_back(g - range_.begin, kind, std::move(body));
      }
    }
  }

private:
  using window_key = namespaced_key<K, time_window>;

  template <class KK, class T>
  value_state<T> handle(const value_state_descriptor<T>& d, const current_key<KK>& key) {
    return value_state<T>(value_table_of<T>(d, key));
  }
  template <class KK, class T>
  list_state<T> handle(const list_state_descriptor<T>& d, const current_key<KK>& key) {
    return list_state<T>(list_table_of<T>(d, key));
  }
  template <class KK, class UK, class UV>
  map_state<UK, UV> handle(const map_state_descriptor<UK, UV>& d, const current_key<KK>& key) {
    if (in_memory())
      return map_state<UK, UV>(table<heap_map_table<KK, UK, UV>>(d, key));
    return map_state<UK, UV>(table<kv_map_table<KK, UK, UV>>(d, key));
  }
  template <class KK, class T, class F>
  reducing_state<T, F> handle(const reducing_state_descriptor<T, F>& d,
                              const current_key<KK>& key) {
    return reducing_state<T, F>(value_table_of<T>(d, key), d.fn);
  }
  template <class KK, class In, class Acc, class Out, class A>
  aggregating_state<In, Acc, Out, A> handle(const aggregating_state_descriptor<In, Acc, Out, A>& d,
                                            const current_key<KK>& key) {
    return aggregating_state<In, Acc, Out, A>(value_table_of<Acc>(d, key), d.function);
  }

  template <class T, class KK>
  value_table<T>& value_table_of(const state_descriptor_base& d, const current_key<KK>& key) {
    if (in_memory())
      return table<heap_value_table<KK, T>>(d, key);
    return table<kv_value_table<KK, T>>(d, key);
  }
  template <class T, class KK>
  list_table<T>& list_table_of(const state_descriptor_base& d, const current_key<KK>& key) {
    if (in_memory())
      return table<heap_list_table<KK, T>>(d, key);
    return table<kv_list_table<KK, T>>(d, key);
  }

  /// Restored (group index, kind, bytes) per state name, not yet declared.
  using unclaimed_map =
    std::map<std::string, std::vector<std::tuple<int, std::uint8_t, std::string>>>;

  struct entry {
    std::unique_ptr<state_table_base> table;
    const std::type_info* type = nullptr;
  };

  static void append_unclaimed(const unclaimed_map& unclaimed, int g, binary_writer& w) {
    for (const auto& [name, parts] : unclaimed)
      for (const auto& [group, kind, body] : parts)
        if (group == g) {
          w.write(name);
          w.write(kind);
          w.write_delimited_bytes(body);
        }
  }

  static void feed(state_table_base& table, const std::string& name, int group, std::uint8_t kind,
                   const std::string& body) {
    if (kind != table.kind())
      throw std::runtime_error("restored state '" + name +
                               "' is of another kind (value, list, map or timers) than declared");
    binary_reader r{body.data(), body.data() + body.size()};
    table.read_group(group, r);
  }

  /// Records a kv table in the store's catalog. Throws std::runtime_error
  /// when the store holds state of that id under another kind (restored
  /// state declared differently) or another name (two names, one id).
  void register_in_catalog(const std::string& name, std::uint8_t kind) {
    auto key = kv_catalog_key(kv_state_id(name));
    std::string bytes;
    if (store_->get(key, bytes)) {
      auto known = from_bytes<kv_catalog_entry>(bytes);
      if (known.name != name)
        throw std::runtime_error("state names '" + known.name + "' and '" + name +
                                 "' map to the same state id; rename one of them");
      if (known.kind != kind)
        throw std::runtime_error("restored state '" + name +
                                 "' is of another kind (value, list, map or timers) than declared");
      return;
    }
    store_->put(key, to_bytes(kv_catalog_entry{name, kind}));
  }

  template <class Table, class KK>
  std::unique_ptr<Table> make_table(const state_descriptor_base& d, const current_key<KK>& key) {
    if constexpr (std::is_constructible_v<Table, spi::key_group_range, const current_key<KK>&,
                                          ttl_policy>)
      return std::make_unique<Table>(range_, key, ttl_policy{d.ttl});
    else
      return std::make_unique<Table>(*store_, kv_state_id(d.name), range_, key, ttl_policy{d.ttl});
  }

  template <class Table, class KK>
  Table& table(const state_descriptor_base& d, const current_key<KK>& key) {
    return declare<Table>(d.name, [&] { return make_table<Table>(d, key); });
  }

  /// The table `name`, made by make() on its first declaration (taking in
  /// what was restored for it). Throws std::logic_error when the name was
  /// declared before with another type.
  template <class Table, class Make>
  Table& declare(const std::string& name, Make&& make) {
    auto& slot = tables_[name];
    if (!slot.table) {
      std::unique_ptr<Table> t = make();
      if (auto found = unclaimed_.find(name); found != unclaimed_.end()) {
        for (const auto& [g, kind, body] : found->second)
          feed(*t, name, g, kind, body);
        unclaimed_.erase(found);
      }
      if (!in_memory())
        register_in_catalog(name, t->kind());
      slot.type = &typeid(Table);
      slot.table = std::move(t);
    } else if (*slot.type != typeid(Table)) {
      throw std::logic_error("state '" + name + "' is declared twice with different types");
    }
    return static_cast<Table&>(*slot.table);
  }

  spi::key_group_range range_;
  int max_parallelism_;
  std::unique_ptr<spi::kv_store> store_;
  current_key<K> current_;
  window_key window_key_; ///< the current key and window of per-window state
  current_key<window_key> window_current_;
  std::map<std::string, entry> tables_;
  unclaimed_map unclaimed_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// Keyed state tables over a kv_store (the LevelDB backend). Keys are
//   [key group: 2 bytes, big endian][state: 4 bytes][key][suffix]
// so that one key group of one state is one contiguous range, and key and
// user key are in their binary form (which is prefix-free). Values are the
// binary form of the value followed by its 8-byte TTL stamp. Lists keep a
// marker entry under the bare key (holding the next index) and their elements
// under key + 8-byte big-endian index; maps keep a marker under the bare key
// (holding their number of entries, so that removing one needs no scan over
// the deleted entries LevelDB still holds) and their entries under key +
// user key. In snapshots every table writes the
// same bytes the hashmap backend writes, so either backend restores what the
// other wrote.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/state_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/kv_store.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The id of state `name` in keys: its hash's low 32 bits.
inline std::uint32_t kv_state_id(const std::string& name) {
  return static_cast<std::uint32_t>(hash_bytes(name.data(), name.size()));
}

/// The length of kv_prefix: the group (2 bytes, big endian), the state's
/// id (4 bytes, big endian).
inline constexpr std::size_t kv_prefix_bytes = 6;

/// The prefix of state `state` in key group `group`.
inline std::string kv_prefix(int group, std::uint32_t state) {
  std::string p(kv_prefix_bytes, '\0');
  p[0] = static_cast<char>((group >> 8) & 0xff);
  p[1] = static_cast<char>(group & 0xff);
  for (int i = 0; i < 4; ++i)
    p[2 + static_cast<std::size_t>(i)] = static_cast<char>((state >> (24 - 8 * i)) & 0xff);
  return p;
}

/// Makes a list's key the key of its element `index`: the index follows as 8
/// bytes, big endian, so that elements sort in order.
inline void append_list_index(std::string& key, std::uint64_t index) {
  for (int i = 7; i >= 0; --i)
    key.push_back(static_cast<char>((index >> (8 * i)) & 0xff));
}

/// The first bytes of the store's catalog: a prefix no key group uses (groups
/// are below 2^15), under which each state's id maps to its name and kind,
/// so that state restored in the store's own format is known by name even
/// before (or without) its declaration.
inline constexpr std::string_view kv_catalog_prefix{"\xff\xff", 2};

/// The catalog key of state `state`.
inline std::string kv_catalog_key(std::uint32_t state) {
  auto k = kv_prefix(0, state);
  k.replace(0, kv_catalog_prefix.size(), kv_catalog_prefix);
  return k;
}

/// A catalog entry: a state's name and table kind.
struct kv_catalog_entry {
  std::string name;
  std::uint8_t kind = 0;
};

template <class Inspector>
auto inspect(Inspector& f, kv_catalog_entry& x) {
  return f(x.name, x.kind);
}

/// Writes the snapshot bytes of one table (of `kind`) in one key group (its
/// keys start with `prefix`), from a store snapshot, in the hashmap
/// backend's format. Returns how many keys it wrote. Defined in the engine.
std::size_t write_kv_table_group(const spi::kv_snapshot& snapshot, const std::string& prefix,
                                 std::uint8_t kind, binary_writer& out);

/// Receives the store entries read_kv_table_group makes.
using kv_entry_sink = std::function<void(std::string_view key, std::string_view value)>;

/// Hands `put` the store entries of one table (of `kind`) in one key group
/// (keys under `prefix`) from its snapshot bytes, as either backend wrote
/// them: the inverse of write_kv_table_group, needing no types. Entries come
/// in the snapshot's order, which is key order only for LevelDB's own
/// snapshots. Throws serialization_error when the bytes are malformed.
/// Defined in the engine.
void read_kv_table_group(const std::string& prefix, std::uint8_t kind, binary_reader& in,
                         const kv_entry_sink& put);

/// The number of entries a map's marker holds; `count` counts them for a
/// marker from before markers held it (empty).
template <class Count>
std::uint64_t map_marker_count(std::string_view marker, Count&& count) {
  if (marker.empty())
    return count();
  return from_bytes<std::uint64_t>(marker);
}

/// What every kv table shares: the store, its state id and the current key.
template <class K>
class kv_table_base : public state_table_base, public key_listing<K> {
public:
  kv_table_base(spi::kv_store& store, std::uint32_t state, spi::key_group_range range,
                const current_key<K>& key, ttl_policy ttl)
    : store_(store),
      state_(state),
      range_(range),
      key_(key),
      ttl_(ttl) {}

  std::uint32_t state() const { return state_; }

  /// The keys with an entry in any of the store's key groups: those whose
  /// bare key (no element or user key after it) is stored.
  std::vector<K> keys() final {
    this->flush(); // what a cache holds back, into the store scanned below
    std::vector<K> out;
    for (int g = 0; g < range_.size(); ++g)
      store_.scan(prefix_of(g), [&](std::string_view k, std::string_view) {
        binary_reader r{k.data() + kv_prefix_bytes, k.data() + k.size()};
        K key{};
        r.read(key);
        if (r.pos == r.end)
          out.push_back(std::move(key));
        return true;
      });
    return out;
  }

  void read_group(int g, binary_reader& in) final {
    read_kv_table_group(prefix_of(g), this->kind(), in,
                        [this](std::string_view k, std::string_view v) { store_.put(k, v); });
  }

protected:
  /// The bare key of the current key in this table.
  std::string key_bytes() const {
    auto k = kv_prefix(range_.begin + key_.group, state_);
    binary_writer{k}.write(*key_.key);
    return k;
  }
  std::string prefix_of(int group) const { return kv_prefix(range_.begin + group, state_); }

  template <class V>
  std::string encode(const V& value, std::int64_t stamp) const {
    std::string out;
    binary_writer w{out};
    w.write(value);
    w.write(stamp);
    return out;
  }

  template <class V>
  static std::pair<V, std::int64_t> decode(std::string_view bytes) {
    std::pair<V, std::int64_t> out{};
    binary_reader r{bytes.data(), bytes.data() + bytes.size()};
    r.read(out.first);
    r.read(out.second);
    return out;
  }

  spi::kv_store& store_;
  std::uint32_t state_;
  spi::key_group_range range_;
  const current_key<K>& key_;
  ttl_policy ttl_;
};

/// How many values a kv_value_table keeps decoded (see there).
inline constexpr std::size_t kv_value_cache_entries = 1024;

/// A value table over the store. Without a TTL, it keeps the values of up
/// to kv_value_cache_entries recently read keys decoded, changed in place
/// and written back when one is evicted (CLOCK: a value not used since the
/// hand last passed goes) or on flush(): a hot key's update (a window's
/// aggregate, a session list, a running sum) neither decodes nor encodes
/// its value nor touches the store. A value put for a key not cached is
/// written through. With a TTL every access goes to the
/// store (reads may change stamps). get()'s value stays valid until the
/// next get(); other calls never evict it.
template <class K, class V>
class kv_value_table final : public value_table<V>, public kv_table_base<K> {
public:
  kv_value_table(spi::kv_store& store, std::uint32_t state, spi::key_group_range range,
                 const current_key<K>& key, ttl_policy ttl)
    : kv_table_base<K>(store, state, range, key, ttl) {
    if (!this->ttl_.enabled())
      cache_.reserve(kv_value_cache_entries + 1); // no rehash: the hand stays valid
    hand_ = cache_.end();
  }

  const V* get() override {
    if (this->ttl_.enabled())
      return get_stamped();
    cached* c = current();
    if (c == nullptr)
      return nullptr;
    got_ = c;
    return &c->value;
  }
  void put(V value) override {
    if (this->ttl_.enabled()) {
      this->store_.put(this->key_bytes(), this->encode(value, this->ttl_.stamp()));
      return;
    }
    auto key = this->key_bytes();
    if (cached* c = find(key)) {
      c->value = std::move(value);
      c->dirty = true;
      return;
    }
    // Written through: a key comes into the cache once read (a key written
    // once, as most of a stream of distinct keys, would only take a place).
    this->store_.put(key, this->encode(value, 0));
  }
  void erase() override {
    auto key = this->key_bytes();
    if (auto i = cache_.find(key); i != cache_.end())
      drop(i);
    this->store_.erase(key);
  }
  bool update(function_ref<bool(V&)> fn) override {
    if (this->ttl_.enabled())
      return update_stamped(fn);
    cached* c = current();
    if (c == nullptr)
      return false;
    if (fn(c->value))
      c->dirty = true;
    return true;
  }

  void flush() override {
    for (auto& [key, c] : cache_)
      if (c.dirty) {
        this->store_.put(key, this->encode(c.value, 0));
        c.dirty = false;
      }
  }

  std::uint8_t kind() const override { return value_kind; }

private:
  struct cached {
    V value;
    bool dirty = false; ///< changed since the store had it
    bool used = true;   ///< since the hand last passed
  };
  using cache_map = std::unordered_map<std::string, cached>;

  cached* find(const std::string& key) {
    auto i = cache_.find(key);
    if (i == cache_.end())
      return nullptr;
    i->second.used = true;
    return &i->second;
  }

  /// The current key's value, cached (from the store if it was not); null
  /// if it has none.
  cached* current() {
    auto key = this->key_bytes();
    if (cached* c = find(key))
      return c;
    return load(std::move(key));
  }

  /// The current key's value from the store, now cached; null if it has none.
  cached* load(std::string key) {
    if (!this->store_.get(key, buffer_))
      return nullptr;
    if (cache_.size() >= kv_value_cache_entries)
      evict();
    auto value = this->template decode<V>(buffer_).first;
    return &cache_.emplace(std::move(key), cached{std::move(value)}).first->second;
  }

  /// Writes back and drops a value not used since the hand last passed
  /// (never the one get() gave last).
  void evict() {
    for (;;) {
      if (hand_ == cache_.end())
        hand_ = cache_.begin();
      auto& c = hand_->second;
      if (c.used || &c == got_) {
        c.used = false;
        ++hand_;
        continue;
      }
      if (c.dirty)
        this->store_.put(hand_->first, this->encode(c.value, 0));
      drop(hand_);
      return;
    }
  }

  void drop(typename cache_map::iterator i) {
    if (&i->second == got_)
      got_ = nullptr;
    bool at_hand = hand_ == i;
    auto next = cache_.erase(i);
    if (at_hand)
      hand_ = next;
  }

  const V* get_stamped() {
    auto key = this->key_bytes();
    if (!this->store_.get(key, buffer_))
      return nullptr;
    auto [value, stamp] = this->template decode<V>(buffer_);
    auto now = state_clock_now();
    if (this->ttl_.expired(stamp, now) && this->ttl_.hides_expired()) {
      this->store_.erase(key);
      return nullptr;
    }
    if (this->ttl_.refresh_on_read())
      this->store_.put(key, this->encode(value, now));
    stamped_ = std::move(value);
    return &stamped_;
  }

  bool update_stamped(function_ref<bool(V&)> fn) {
    auto key = this->key_bytes();
    if (!this->store_.get(key, buffer_))
      return false;
    auto [value, stamp] = this->template decode<V>(buffer_);
    auto now = this->ttl_.stamp();
    if (this->ttl_.expired(stamp, now) && this->ttl_.hides_expired()) {
      this->store_.erase(key);
      return false;
    }
    if (fn(value))
      this->store_.put(key, this->encode(value, now));
    return true;
  }

  std::string buffer_;
  cache_map cache_;                   ///< without a TTL: by bare key
  typename cache_map::iterator hand_; ///< CLOCK's hand over cache_ (end: its start)
  const cached* got_ = nullptr;       ///< what get() gave last
  V stamped_{};                       ///< with a TTL: what get() gave last
};

template <class K, class V>
class kv_list_table final : public list_table<V>, public kv_table_base<K> {
public:
  using kv_table_base<K>::kv_table_base;

  std::vector<V> get() override {
    std::vector<V> out;
    auto key = this->key_bytes();
    auto now = this->ttl_.enabled() ? state_clock_now() : 0;
    std::vector<std::string> expired;
    this->store_.scan(key, [&](std::string_view k, std::string_view v) {
      if (k.size() == key.size())
        return true; // the marker
      auto [value, stamp] = this->template decode<V>(v);
      if (this->ttl_.expired(stamp, now) && this->ttl_.hides_expired()) {
        expired.emplace_back(k);
        return true;
      }
      out.push_back(std::move(value));
      return true;
    });
    for (const auto& k : expired)
      this->store_.erase(k);
    if (out.empty() && !expired.empty())
      this->store_.erase(key);
    return out;
  }
  bool add(V value) override {
    auto key = this->key_bytes();
    std::uint64_t next = 0;
    bool first = !this->store_.get(key, marker_);
    if (!first)
      next = from_bytes<std::uint64_t>(marker_);
    this->store_.put(element_key(key, next), this->encode(value, this->ttl_.stamp()));
    this->store_.put(key, to_bytes(next + 1));
    return first;
  }
  std::vector<V> take() override {
    auto out = get();
    erase();
    return out;
  }
  void update(std::vector<V> values) override {
    erase();
    for (auto& v : values)
      add(std::move(v));
  }
  void erase() override { this->store_.erase_prefix(this->key_bytes()); }
  void for_each(function_ref<void(const V&)> fn) override {
    if (this->ttl_.enabled()) { // reading expires, as get() does
      for (const auto& v : get())
        fn(v);
      return;
    }
    auto key = this->key_bytes();
    if (!this->store_.get(key, marker_))
      return; // a point read, where a scan's seek would read every level
    this->store_.scan(key, [&](std::string_view k, std::string_view v) {
      if (k.size() != key.size()) // not the marker
        fn(this->template decode<V>(v).first);
      return true;
    });
  }
  /// Erases the dropped elements one by one: those left are not rewritten.
  std::size_t remove_if(function_ref<bool(const V&)> drop) override {
    auto key = this->key_bytes();
    if (!this->store_.get(key, marker_))
      return 0;
    auto now = this->ttl_.enabled() ? state_clock_now() : 0;
    std::vector<std::string> dropped;
    std::size_t kept = 0;
    this->store_.scan(key, [&](std::string_view k, std::string_view v) {
      if (k.size() == key.size())
        return true; // the marker
      auto [value, stamp] = this->template decode<V>(v);
      if ((this->ttl_.expired(stamp, now) && this->ttl_.hides_expired()) || drop(value))
        dropped.emplace_back(k);
      else
        ++kept;
      return true;
    });
    if (kept == 0) {
      if (!dropped.empty())
        erase();
      return 0;
    }
    for (const auto& k : dropped)
      this->store_.erase(k);
    return kept;
  }

  std::uint8_t kind() const override { return list_kind; }

private:
  static std::string element_key(const std::string& key, std::uint64_t index) {
    auto k = key;
    append_list_index(k, index);
    return k;
  }

  std::string marker_; ///< the marker's read buffer
};

template <class K, class UK, class UV>
class kv_map_table final : public map_table<UK, UV>, public kv_table_base<K> {
public:
  using kv_table_base<K>::kv_table_base;

  std::optional<UV> get(const UK& user_key) override {
    auto k = entry_key(this->key_bytes(), user_key);
    std::string bytes;
    if (!this->store_.get(k, bytes))
      return std::nullopt;
    auto [value, stamp] = this->template decode<UV>(bytes);
    if (this->ttl_.enabled()) {
      auto now = state_clock_now();
      if (this->ttl_.expired(stamp, now) && this->ttl_.hides_expired()) {
        remove(user_key);
        return std::nullopt;
      }
      if (this->ttl_.refresh_on_read())
        this->store_.put(k, this->encode(value, now));
    }
    return value;
  }
  void put(UK user_key, UV value) override {
    auto key = this->key_bytes();
    auto entry = entry_key(key, user_key);
    std::string old;
    if (!this->store_.get(entry, old))
      count_entries(key, 1);
    this->store_.put(entry, this->encode(value, this->ttl_.stamp()));
  }
  void remove(const UK& user_key) override {
    auto key = this->key_bytes();
    auto entry = entry_key(key, user_key);
    std::string old;
    if (!this->store_.get(entry, old))
      return;
    count_entries(key, -1);
    this->store_.erase(entry);
  }
  bool contains(const UK& user_key) override { return get(user_key).has_value(); }
  bool update(const UK& user_key, function_ref<void(UV&)> fn) override {
    auto value = get(user_key);
    if (!value)
      return false;
    fn(*value);
    // There: the entry count stays.
    this->store_.put(entry_key(this->key_bytes(), user_key),
                     this->encode(*value, this->ttl_.stamp()));
    return true;
  }
  std::vector<std::pair<UK, UV>> entries() override {
    std::vector<std::pair<UK, UV>> out;
    auto key = this->key_bytes();
    auto now = this->ttl_.enabled() ? state_clock_now() : 0;
    this->store_.scan(key, [&](std::string_view k, std::string_view v) {
      if (k.size() == key.size())
        return true;
      auto suffix = k.substr(key.size());
      UK uk{};
      binary_reader r{suffix.data(), suffix.data() + suffix.size()};
      r.read(uk);
      auto [value, stamp] = this->template decode<UV>(v);
      if (!(this->ttl_.expired(stamp, now) && this->ttl_.hides_expired()))
        out.emplace_back(std::move(uk), std::move(value));
      return true;
    });
    return out;
  }
  bool is_empty() override { return entries().empty(); }
  void erase() override { this->store_.erase_prefix(this->key_bytes()); }

  std::uint8_t kind() const override { return map_kind; }

private:
  static std::string entry_key(const std::string& key, const UK& user_key) {
    auto k = key;
    binary_writer{k}.write(user_key);
    return k;
  }

  /// Adds `delta` to the number of entries the marker of `key` holds
  /// (before the entry is written or erased): the marker goes with the last
  /// entry, and comes with the first.
  void count_entries(const std::string& key, std::int64_t delta) {
    std::string marker;
    std::uint64_t count = 0;
    if (this->store_.get(key, marker))
      count = map_marker_count(marker, [&] {
        std::uint64_t n = 0;
        this->store_.scan(key, [&](std::string_view k, std::string_view) {
          n += k.size() > key.size() ? 1 : 0;
          return true;
        });
        return n;
      });
    count += static_cast<std::uint64_t>(delta);
    if (count == 0)
      this->store_.erase(key);
    else
      this->store_.put(key, to_bytes(count));
  }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// The timers of a keyed operator as keyed state (Flink keeps them in its
// state backends too): one table per time domain, held by the operator's
// keyed_state_store per key group, so that timers are snapshotted with the
// keyed state (asynchronously), move with their key groups on rescale, and,
// on the LevelDB backend, live in LevelDB rather than on the heap.
//
// Both backends order a table's timers by (timestamp, key hash, payload
// bytes) and write a key group of it in one snapshot format: per timer its
// row (8 bytes of timestamp with the sign bit flipped, 8 bytes of key hash,
// both big endian, then the payload's binary form) delimited, then an empty
// delimited value; the LevelDB backend keeps exactly these rows.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/state_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// How many due timers an operator fires in one step of a watermark or of
/// the processing time, before the runtime looks at its outputs' room again.
inline constexpr int timers_per_step = 256;

/// A timer: due at `timestamp`, for the key whose stable hash is `key_hash`;
/// `payload` is what the operator fires it with (the key, or the key and a
/// window).
template <class T>
struct keyed_timer {
  std::int64_t timestamp = 0;
  std::uint64_t key_hash = 0;
  T payload{};
};

/// Appends `x` as 8 bytes, big endian.
inline void append_big_endian(std::string& out, std::uint64_t x) {
  for (int i = 7; i >= 0; --i)
    out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

/// The 8 bytes at `p`, big endian.
inline std::uint64_t read_big_endian(const char* p) {
  std::uint64_t x = 0;
  for (int i = 0; i < 8; ++i)
    x = (x << 8) | static_cast<unsigned char>(p[i]);
  return x;
}

inline constexpr std::uint64_t timer_sign_bit = 1ULL << 63;

/// Appends the row of timer (timestamp, key_hash, payload) to `out`: bytes
/// that sort as the timers do.
template <class T>
void append_timer_row(std::string& out, std::int64_t timestamp, std::uint64_t key_hash,
                      const T& payload) {
  append_big_endian(out, static_cast<std::uint64_t>(timestamp) ^ timer_sign_bit);
  append_big_endian(out, key_hash);
  binary_writer{out}.write(payload);
}

/// The timestamp of a timer row (at least 16 bytes, as read_timer_row checks).
inline std::int64_t timer_row_timestamp(std::string_view row) {
  if (row.size() < 16)
    throw serialization_error("corrupt timer: a row of " + std::to_string(row.size()) +
                              " bytes, expected at least 16");
  return static_cast<std::int64_t>(read_big_endian(row.data()) ^ timer_sign_bit);
}

/// The timer a row holds. Throws serialization_error for a corrupt row.
template <class T>
keyed_timer<T> read_timer_row(std::string_view row) {
  keyed_timer<T> t;
  t.timestamp = timer_row_timestamp(row);
  t.key_hash = read_big_endian(row.data() + 8);
  binary_reader r{row.data() + 16, row.data() + row.size()};
  r.read(t.payload);
  if (r.pos != r.end)
    throw serialization_error("corrupt timer: bytes after its payload");
  return t;
}

/// The earliest timestamp of each key group's timers, and the group whose
/// earliest is the earliest of all (ties: the lower group): where a timer
/// table looks for its next timer. A tournament tree over the groups, each
/// inner node the earlier of its two children, so that re-ranking a group
/// is a walk of log2(groups) steps in one array, with no allocation.
class timer_group_heads {
public:
  explicit timer_group_heads(int groups)
    : leaves_(std::bit_ceil(static_cast<std::size_t>(std::max(groups, 1)))),
      tree_(2 * leaves_) {}

  /// Group `g`'s earliest timestamp; none when it has no timers.
  std::optional<std::int64_t> of(int g) const { return tree_[leaves_ + index(g)].time(); }

  /// Group `g`'s earliest timestamp is now `now` (none: it has no timers).
  void set(int g, std::optional<std::int64_t> now) {
    auto i = leaves_ + index(g);
    head h = now ? head{*now, g} : head{};
    if (h == tree_[i])
      return;
    tree_[i] = h;
    for (i /= 2; i >= 1; i /= 2)
      tree_[i] = std::min(tree_[2 * i], tree_[2 * i + 1]);
  }

  /// The earliest timestamp over all groups, if any group has timers.
  std::optional<std::int64_t> earliest() const { return tree_[1].time(); }

  /// The group holding the earliest timer if its timestamp is at most `time`.
  std::optional<int> due_group(std::int64_t time) const {
    const auto& top = tree_[1];
    if (top.group < 0 || top.timestamp > time)
      return std::nullopt;
    return top.group;
  }

private:
  /// A group's earliest timestamp; group -1: none (ranked after all).
  struct head {
    std::int64_t timestamp = 0;
    int group = -1;

    std::optional<std::int64_t> time() const {
      return group < 0 ? std::nullopt : std::optional<std::int64_t>{timestamp};
    }
    friend bool operator==(const head&, const head&) = default;
    friend bool operator<(const head& a, const head& b) {
      if (a.group < 0 || b.group < 0)
        return b.group < 0 && a.group >= 0;
      return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.group < b.group;
    }
  };

  static std::size_t index(int g) { return static_cast<std::size_t>(g); }

  std::size_t leaves_;     ///< groups, rounded up to a power of two
  std::vector<head> tree_; ///< [1] the root, [leaves_ + g] group g
};

/// Writes a timer in the snapshot format of a key group.
template <class T>
void write_timer_entry(binary_writer& out, std::int64_t timestamp, std::uint64_t key_hash,
                       const T& payload) {
  std::string row;
  append_timer_row(row, timestamp, key_hash, payload);
  out.write_delimited_bytes(row);
  out.write_delimited_bytes({});
}

/// Calls add(timer) for every timer of a key group in the snapshot format.
/// Throws serialization_error for corrupt bytes.
template <class T, class Add>
void read_timer_entries(binary_reader& in, Add&& add) {
  while (in.pos != in.end) {
    auto row = in.read_delimited_bytes();
    in.read_delimited_bytes(); // the empty value
    add(read_timer_row<T>(row));
  }
}

/// One time domain's timers of a keyed operator (one of the queues of
/// Flink's InternalTimerService): each (timestamp, payload) at most once,
/// due once the domain's time (the watermark, or the processing time)
/// reached its timestamp, taken in (timestamp, key hash) order. The key
/// group of a timer is its key's; callers name it by its index in the
/// store's key group range. Not thread-safe: used from the operator's
/// thread.
template <class T>
class timer_table {
public:
  using timer = keyed_timer<T>;

  virtual ~timer_table() = default;

  /// Adds the timer; a second add of the same is a no-op.
  virtual void add(std::int64_t timestamp, const T& payload, std::uint64_t key_hash, int group) = 0;
  /// Removes the timer, if there is one.
  virtual void remove(std::int64_t timestamp, const T& payload, std::uint64_t key_hash,
                      int group) = 0;
  /// The earliest timer's timestamp, if there is a timer.
  virtual std::optional<std::int64_t> next() const = 0;
  /// Takes the earliest timer whose timestamp is at most `time`, if any.
  virtual std::optional<timer> take_due(std::int64_t time) = 0;
};

/// Takes up to timers_per_step timers of `table` due at `time`, calling
/// fire(timer) for each; returns whether none is left due.
template <class T, class Fire>
bool fire_due_timers(timer_table<T>& table, std::int64_t time, Fire&& fire) {
  for (int fired = 0; fired < timers_per_step; ++fired) {
    auto due = table.take_due(time);
    if (!due)
      return true;
    fire(*due);
  }
  auto next = table.next();
  return !next || *next > time;
}

/// Reads timers a job checkpointed before they were keyed state (a union
/// list entry per subtask: a varint count, then timestamp, key hash and
/// payload each) and calls add(timer, group index) for those of the key
/// groups in `owned`. Throws serialization_error for corrupt entries.
template <class T, class Add>
void read_listed_timers(const std::vector<std::string>& entries, spi::key_group_range owned,
                        int max_parallelism, Add&& add) {
  for (const auto& entry : entries) {
    binary_reader r{entry.data(), entry.data() + entry.size()};
    auto n = r.read_varint();
    for (std::uint64_t i = 0; i < n; ++i) {
      keyed_timer<T> t;
      r.read(t.timestamp);
      r.read(t.key_hash);
      r.read(t.payload);
      int g = spi::key_group_of(t.key_hash, max_parallelism);
      if (owned.contains(g))
        add(t, g - owned.begin);
    }
    if (r.pos != r.end)
      throw serialization_error("corrupt timers: bytes after the last timer");
  }
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

#include "state/leveldb_canonical_restore.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "checkpoint/storage/keyed_state_file.hpp"
#include "flinkcpp/detail/kv_state_tables.hpp"
#include "state/leveldb_bulk_load.hpp"
#include "state/leveldb_database.hpp"

namespace flinkcpp {

namespace {

/// The entries of one key group, collected in one buffer, then put in key
/// order for the loader.
class group_entries {
public:
  void add(std::string_view key, std::string_view value) {
    if (sorted_ && !entries_.empty())
      sorted_ = key_of(entries_.back()) < key; // LevelDB's own snapshots come sorted
    entries_.push_back({bytes_.size(), key.size(), value.size()});
    bytes_.append(key);
    bytes_.append(value);
  }

  /// Hands every entry to `loader` in key order and forgets them.
  result<void> load_into(leveldb_bulk_loader& loader) {
    if (!sorted_)
      std::sort(entries_.begin(), entries_.end(),
                [this](const entry& a, const entry& b) { return key_of(a) < key_of(b); });
    for (const auto& e : entries_) {
      auto added = loader.add(key_of(e), value_of(e));
      if (!added)
        return added;
    }
    entries_.clear();
    bytes_.clear();
    sorted_ = true;
    return {};
  }

private:
  struct entry {
    std::size_t offset;
    std::size_t key_size;
    std::size_t value_size;
  };

  std::string_view key_of(const entry& e) const { return {bytes_.data() + e.offset, e.key_size}; }
  std::string_view value_of(const entry& e) const {
    return {bytes_.data() + e.offset + e.key_size, e.value_size};
  }

  std::string bytes_;
  std::vector<entry> entries_;
  bool sorted_ = true;
};

/// The catalog entries (by key) of the states seen.
using catalog = std::map<std::string, std::string>;

/// Collects the entries of one key group's snapshot bytes: per table its
/// name, kind and bytes (as keyed_state_store writes them).
void collect_group(int group, std::string_view bytes, group_entries& out, catalog& states) {
  detail::binary_reader r{bytes.data(), bytes.data() + bytes.size()};
  std::string name;
  while (r.pos != r.end) {
    std::uint8_t kind = 0;
    r.read(name);
    r.read(kind);
    auto bytes_of_table = r.read_delimited_bytes();
    detail::binary_reader body{bytes_of_table.data(),
                               bytes_of_table.data() + bytes_of_table.size()};
    auto id = detail::kv_state_id(name);
    states.emplace(detail::kv_catalog_key(id),
                   detail::to_bytes(detail::kv_catalog_entry{name, kind}));
    detail::read_kv_table_group(detail::kv_prefix(group, id), kind, body,
                                [&](std::string_view k, std::string_view v) { out.add(k, v); });
  }
}

} // namespace

result<std::shared_ptr<spi::native_state>>
build_canonical_restore(const std::string& checkpoint_directory,
                        std::vector<keyed_state_handle> handles, spi::key_group_range range,
                        const std::string& local_dir, const std::string& job) {
  auto made = make_restored_database(local_dir, job, range, leveldb_bulk_loader::sequence);
  if (!made)
    return failure{made.error()};
  auto restored = std::move(made.value()); // removes its directory unless adopted
  std::sort(handles.begin(), handles.end(),
            [](const auto& a, const auto& b) { return a.first_group < b.first_group; });
  leveldb_bulk_loader loader{restored->directory, leveldb::Options{}};
  group_entries entries;
  catalog states;
  for (const auto& handle : handles) {
    auto read = for_each_keyed_state_group(
      checkpoint_directory, handle, range, [&](int group, std::string_view bytes) -> result<void> {
        try {
          collect_group(group, bytes, entries, states);
        } catch (const detail::serialization_error& e) {
          return failure{"checkpoint state file '" + handle.file + "' is corrupt in key group " +
                         std::to_string(group) + ": " + e.what()};
        }
        return entries.load_into(loader);
      });
    if (!read)
      return failure{read.error()};
  }
  for (const auto& [key, entry] : states) { // after every key group's keys
    auto added = loader.add(key, entry);
    if (!added)
      return failure{added.error()};
  }
  auto finished = loader.finish();
  if (!finished)
    return failure{finished.error()};
  return std::shared_ptr<spi::native_state>{std::move(restored)};
}

} // namespace flinkcpp

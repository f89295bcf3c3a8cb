// Restoring canonical snapshots into LevelDB through table files built
// directly: exact state at another parallelism from either backend's
// snapshots, state no table declares kept for later snapshots, corrupt files
// named with nothing left behind, and the loader's order check.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint/storage/keyed_state_file.hpp"
#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "state/leveldb_bulk_load.hpp"
#include "state/leveldb_canonical_restore.hpp"
#include "state/leveldb_store.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using namespace flinkcpp::detail;
using namespace flinkcpp::spi;
using flinkcpp::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

constexpr int max_parallelism = 128;
constexpr int key_count = 3000;

using store_ptr = std::unique_ptr<keyed_state_store<std::string>>;

struct fixture {
  temp_dir dir;
  std::string work = dir.file("work");
  std::string checkpoint = dir.file("chk-1");

  leveldb_settings settings() const {
    leveldb_settings s;
    s.local_dir = work;
    return s;
  }
  leveldb_backend backend{settings(), "job", 0};
  std::vector<std::unique_ptr<std::string>> keys;

  fixture() { fs::create_directories(checkpoint); }

  store_ptr store(bool on_leveldb, key_group_range range, const std::string& name) {
    return std::make_unique<store_ptr::element_type>(range, max_parallelism,
                                                     on_leveldb ? backend.open(name) : nullptr);
  }

  void set_key(keyed_state_store<std::string>& s, const std::string& key) {
    keys.push_back(std::make_unique<std::string>(key));
    s.set_current_key(*keys.back(), key_hash(*keys.back()));
  }

  static bool owns(key_group_range range, const std::string& key) {
    return range.contains(key_group_of(key_hash(key), max_parallelism));
  }

  /// Two old subtasks' stores (groups [0, 64) and [64, 128)) with three
  /// states of every kind, written as their canonical files.
  std::vector<keyed_state_handle> write_old_subtasks(bool on_leveldb) {
    std::vector<keyed_state_handle> handles;
    for (int subtask = 0; subtask < 2; ++subtask) {
      auto range = key_groups_of_subtask(max_parallelism, 2, subtask);
      auto old = store(on_leveldb, range, "old" + std::to_string(subtask));
      auto counts = old->state(value_state_descriptor<long>{"count"});
      auto tags = old->state(list_state_descriptor<std::string>{"tags"});
      auto attrs = old->state(map_state_descriptor<std::string, long>{"attrs"});
      for (int i = 0; i < key_count; ++i) {
        auto key = "key" + std::to_string(i);
        if (!owns(range, key))
          continue;
        set_key(*old, key);
        counts.update(i);
        tags.add("t" + std::to_string(i));
        tags.add("u");
        attrs.put("a", i);
        attrs.put("b", -i);
      }
      operator_snapshot snap;
      old->snapshot(snap);
      auto handle =
        write_keyed_state_file(checkpoint, "op-" + std::to_string(subtask), range, snap.keyed);
      BOOST_TEST_REQUIRE(handle.ok(), (handle.ok() ? "" : handle.error()));
      handles.push_back(*handle);
    }
    return handles;
  }

  /// A LevelDB store of groups `range` restored from `handles`.
  store_ptr restore(const std::vector<keyed_state_handle>& handles, key_group_range range) {
    auto built = build_canonical_restore(checkpoint, handles, range, work, "job");
    BOOST_TEST_REQUIRE(built.ok(), (built.ok() ? "" : built.error()));
    auto restored = store(true, range, "new");
    operator_restore r;
    r.native.push_back(*built);
    restored->restore(r);
    return restored;
  }

  std::size_t restore_directories() const {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(work))
      n += e.path().filename().string().rfind("restore-", 0) == 0;
    return n;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(canonical_restore, fixture)

BOOST_AUTO_TEST_CASE(either_backends_snapshot_restores_exactly_at_another_parallelism) {
  for (bool from_leveldb : {false, true}) {
    BOOST_TEST_CONTEXT((from_leveldb ? "from leveldb" : "from hashmap")) {
      auto handles = write_old_subtasks(from_leveldb);
      auto range = key_groups_of_subtask(max_parallelism, 3, 1); // across both old ranges
      auto restored = restore(handles, range);
      auto counts = restored->state(value_state_descriptor<long>{"count"});
      auto tags = restored->state(list_state_descriptor<std::string>{"tags"});
      auto attrs = restored->state(map_state_descriptor<std::string, long>{"attrs"});
      int owned = 0;
      for (int i = 0; i < key_count; ++i) {
        auto key = "key" + std::to_string(i);
        if (!owns(range, key))
          continue;
        ++owned;
        set_key(*restored, key);
        BOOST_TEST(counts.value().value_or(-1) == i);
        BOOST_TEST((tags.get() == std::vector<std::string>{"t" + std::to_string(i), "u"}));
        BOOST_TEST(attrs.get("b").value_or(0) == -i);
        tags.add("after"); // the store takes writes after the restore
        BOOST_TEST(tags.get().size() == 3u);
      }
      BOOST_TEST(owned > key_count / 4);
      BOOST_TEST(restore_directories() == 0u); // adopted by the store
    }
  }
}

BOOST_AUTO_TEST_CASE(undeclared_state_goes_into_later_canonical_snapshots) {
  auto handles = write_old_subtasks(false);
  auto range = key_groups_of_subtask(max_parallelism, 1, 0);
  auto restored = restore(handles, range);
  restored->state(value_state_descriptor<long>{"count"}); // "tags", "attrs" never declared
  operator_snapshot snap;
  restored->snapshot(snap);
  operator_restore again;
  snap.keyed([&](int g, std::string_view bytes) { again.key_groups.emplace_back(g, bytes); });
  auto hashmap = store(false, range, "hashmap");
  hashmap->restore(again);
  auto tags = hashmap->state(list_state_descriptor<std::string>{"tags"});
  set_key(*hashmap, "key7");
  BOOST_TEST((tags.get() == std::vector<std::string>{"t7", "u"}));
}

BOOST_AUTO_TEST_CASE(restored_state_declared_as_another_kind_is_refused) {
  auto restored = restore(write_old_subtasks(true), {0, max_parallelism});
  BOOST_CHECK_EXCEPTION(
    restored->state(value_state_descriptor<long>{"tags"}), std::runtime_error,
    [](const std::runtime_error& e) {
      return std::string{e.what()} ==
             "restored state 'tags' is of another kind (value, list, map or timers) "
             "than declared";
    });
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_named_and_nothing_stays) {
  auto handles = write_old_subtasks(false);
  auto path = checkpoint + "/op-1";
  auto bytes = flinkcpp::testing::read_file(path);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  flinkcpp::testing::write_file(path, bytes);
  auto built = build_canonical_restore(checkpoint, handles, {0, max_parallelism}, work, "job");
  BOOST_REQUIRE(!built);
  BOOST_TEST(built.error().find("checkpoint state file '" + path + "' is corrupt") == 0u,
             built.error());
  BOOST_TEST(restore_directories() == 0u);
}

BOOST_AUTO_TEST_CASE(the_loader_refuses_keys_out_of_order) {
  fs::create_directories(dir.file("db"));
  leveldb_bulk_loader loader{dir.file("db"), {}};
  BOOST_TEST(loader.add("b", "1").ok());
  auto twice = loader.add("b", "2");
  BOOST_REQUIRE(!twice);
  BOOST_TEST(twice.error() == "corrupt state: a key given twice or out of order");
  BOOST_TEST(!loader.add("a", "3").ok());
}

BOOST_AUTO_TEST_SUITE_END()

// Incremental LevelDB checkpoints: native snapshots restore the exact
// contents (and writes continue correctly after them), later checkpoints
// upload only new tables, damaged tables are named, redistributed key groups
// are copied, and the shared directory is swept.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "checkpoint/storage/shared_state_files.hpp"
#include "flinkcpp/detail/kv_state_tables.hpp"
#include "state/checkpoint_storage.hpp"
#include "state/leveldb_native.hpp"
#include "state/leveldb_store.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

constexpr int groups = 128;

std::string key_of(int i) {
  return detail::kv_prefix(i % groups, 7) + "key-" + std::to_string(i);
}

/// Every entry of a store, over all key groups.
std::map<std::string, std::string> contents(spi::kv_store& store) {
  std::map<std::string, std::string> all;
  for (int g = 0; g < groups; ++g)
    store.scan(detail::kv_prefix(g, 7), [&](std::string_view k, std::string_view v) {
      all.emplace(std::string{k}, std::string{v});
      return true;
    });
  return all;
}

struct fixture {
  temp_dir dir;
  std::string job_dir = dir.file("checkpoints/job");
  std::string shared = job_checkpoint_directories{job_dir}.shared();

  leveldb_settings settings() const {
    leveldb_settings s;
    s.local_dir = dir.file("work");
    s.write_buffer_bytes = 64 << 10; // many small tables
    return s;
  }
  leveldb_backend backend{settings(), "job", 0};

  /// Writes keys [from, to), each with a value naming `round`.
  static void fill(spi::kv_store& store, int from, int to, const std::string& round) {
    for (int i = from; i < to; ++i)
      store.put(key_of(i), round + "-" + std::string(100, static_cast<char>('a' + i % 26)));
  }

  keyed_state_handle checkpoint(spi::kv_store& store, std::int64_t id) {
    auto pinned = store.native_snapshot();
    auto handle = upload_native_snapshot(*pinned, shared, checkpoint_id{id}, {0, groups});
    BOOST_TEST_REQUIRE(handle.ok(), (handle.ok() ? "" : handle.error()));
    return *handle;
  }

  std::unique_ptr<spi::kv_store> restore(const keyed_state_handle& h, spi::key_group_range range) {
    auto prepared = prepare_native_restore(job_dir + "/chk-1", h, dir.file("work"), "job", true);
    BOOST_TEST_REQUIRE(prepared.ok(), (prepared.ok() ? "" : prepared.error()));
    leveldb_backend other{settings(), "job", 1};
    auto store = other.open("restored");
    store->restore_native({*prepared}, range);
    return store;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(incremental_checkpoints, fixture)

BOOST_AUTO_TEST_CASE(a_native_snapshot_restores_exactly_and_writes_go_on_after_it) {
  auto store = backend.open("op");
  fill(*store, 0, 5000, "one");
  fill(*store, 0, 1000, "two"); // newer versions over older tables
  for (int i = 4000; i < 4500; ++i)
    store->erase(key_of(i));
  auto want = contents(*store);
  auto handle = checkpoint(*store, 1);
  BOOST_TEST(handle.native);
  BOOST_TEST(handle.tables.size() > 1u);
  fill(*store, 0, 10, "after-the-checkpoint"); // not in it

  auto restored = restore(handle, {0, groups});
  BOOST_TEST((contents(*restored) == want));
  // The restored database continues after the snapshot's sequence number:
  // new writes win over what the tables hold.
  restored->put(key_of(3), "newest");
  restored->erase(key_of(5));
  std::string value;
  BOOST_TEST(restored->get(key_of(3), value));
  BOOST_TEST(value == "newest");
  BOOST_TEST(!restored->get(key_of(5), value));
}

BOOST_AUTO_TEST_CASE(later_checkpoints_upload_only_new_tables) {
  auto store = backend.open("op");
  fill(*store, 0, 5000, "one");
  auto first = checkpoint(*store, 1);
  backend.checkpoint_complete(1);
  fill(*store, 5000, 5200, "two");
  auto second = checkpoint(*store, 2);
  int shared_with_first = 0;
  std::uint64_t uploaded = 0;
  for (const auto& t : second.tables) {
    if (t.uploaded_by == checkpoint_id{1})
      ++shared_with_first;
    else
      uploaded += t.size;
  }
  BOOST_TEST(shared_with_first > 0);
  BOOST_TEST(uploaded < first.size);
  // Without a completion notice nothing is shared: checkpoint 2 may fail.
  fill(*store, 5200, 5300, "three");
  auto third = checkpoint(*store, 3);
  for (const auto& t : third.tables)
    BOOST_TEST(t.uploaded_by != checkpoint_id{2});
}

BOOST_AUTO_TEST_CASE(a_damaged_or_missing_shared_table_is_named) {
  auto store = backend.open("op");
  fill(*store, 0, 3000, "one");
  auto handle = checkpoint(*store, 1);
  auto victim = (fs::path{job_dir} / "chk-1" / handle.tables.front().file).lexically_normal();
  std::fstream f{victim, std::ios::in | std::ios::out | std::ios::binary};
  f.seekp(100);
  f.put('\x7f');
  f.close();
  auto prepared = prepare_native_restore(job_dir + "/chk-1", handle, dir.file("work"), "job", true);
  BOOST_REQUIRE(!prepared.ok());
  BOOST_TEST(prepared.error().find(victim.string()) != std::string::npos, prepared.error());
  BOOST_TEST(prepared.error().find("checksum") != std::string::npos, prepared.error());
  fs::remove(victim);
  prepared = prepare_native_restore(job_dir + "/chk-1", handle, dir.file("work"), "job", true);
  BOOST_REQUIRE(!prepared.ok());
  BOOST_TEST(prepared.error().find(victim.string()) != std::string::npos, prepared.error());
  // Nothing half-prepared stays behind.
  BOOST_TEST(std::distance(fs::directory_iterator(dir.file("work") + "/job-job"),
                           fs::directory_iterator{}) == 1); // the live store's own
}

BOOST_AUTO_TEST_CASE(redistributed_key_groups_are_copied) {
  auto store = backend.open("op");
  fill(*store, 0, 4000, "one");
  auto all = contents(*store);
  auto handle = checkpoint(*store, 1);
  auto lower = restore(handle, {0, 64});
  std::map<std::string, std::string> want;
  for (const auto& [k, v] : all)
    if (static_cast<unsigned char>(k[1]) < 64)
      want.emplace(k, v);
  BOOST_TEST((contents(*lower) == want));
}

BOOST_AUTO_TEST_CASE(the_sweep_keeps_files_in_use_and_those_of_later_checkpoints) {
  fs::create_directories(shared);
  auto touch = [&](const std::string& name) { std::ofstream{shared + "/" + name} << "x"; };
  for (const auto& n : std::vector<std::string>{
         shared_file_name("s", 1, checkpoint_id{1}), shared_file_name("s", 2, checkpoint_id{2}),
         shared_file_name("s", 3, checkpoint_id{3}), shared_file_name("s", 4, checkpoint_id{4}),
         shared_file_name("s", 5, checkpoint_id{2}) + ".tmp-abc", std::string{"unrelated"}})
    touch(n);
  sweep_shared_files(
    shared, checkpoint_id{3},
    {shared_file_name("s", 1, checkpoint_id{1}), shared_file_name("s", 3, checkpoint_id{3})});
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(shared))
    left.insert(e.path().filename().string());
  BOOST_TEST(
    (left == std::set<std::string>{shared_file_name("s", 1, checkpoint_id{1}),
                                   shared_file_name("s", 3, checkpoint_id{3}),
                                   shared_file_name("s", 4, checkpoint_id{4}), "unrelated"}));
}

BOOST_AUTO_TEST_SUITE_END()

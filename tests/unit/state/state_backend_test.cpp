// The state-backend seam: which backend a configuration chooses (as Flink
// chooses it from state.backend.type), what each opens for a subtask, and
// that the hashmap backend refuses LevelDB's native snapshots saying why.

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "config/core_options.hpp"
#include "state/state_backend.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(state_backend_suite)

BOOST_AUTO_TEST_CASE(hashmap_is_the_default_and_keeps_no_local_state) {
  auto s = state_backend_settings_from(configuration{});
  BOOST_TEST(s.type == "hashmap");
  BOOST_TEST(!s.keeps_local_state());
  BOOST_TEST(!s.incremental);
  auto backend = make_state_backend(s);
  BOOST_TEST(backend->open_subtask(job_id::random(), 0) == nullptr);
  auto restorer = backend->restorer(job_id::random(), "/tmp/checkpoints");
  BOOST_TEST(!restorer.build_from_canonical); // operators read canonical state themselves
  auto native = restorer.prepare_native("/tmp/checkpoints/chk-1", keyed_state_handle{});
  BOOST_TEST_REQUIRE(!native.ok());
  BOOST_TEST(native.error().find("state.backend.type: leveldb") != std::string::npos,
             native.error());
}

BOOST_AUTO_TEST_CASE(incremental_means_nothing_to_the_hashmap_backend) {
  configuration config;
  config.set("execution.checkpointing.incremental", "true");
  BOOST_TEST(!state_backend_settings_from(config).incremental);
}

BOOST_AUTO_TEST_CASE(leveldb_and_rocksdb_choose_leveldb_with_its_settings) {
  temp_dir dir;
  for (const char* type : {"leveldb", "rocksdb"}) {
    configuration config;
    config.set("state.backend.type", type);
    config.set("execution.checkpointing.incremental", "true");
    config.set("state.backend.leveldb.localdir", dir.file("local"));
    config.set("state.backend.leveldb.block-cache-size", "16mb");
    auto s = state_backend_settings_from(config);
    BOOST_TEST(s.type == "leveldb");
    BOOST_TEST(s.incremental);
    BOOST_TEST(s.keeps_local_state());
    BOOST_TEST(s.local_dir == dir.file("local"));
    BOOST_TEST(s.block_cache_bytes == 16u << 20);
    BOOST_TEST(s.open_files == -1); // as Flink's state.backend.rocksdb.files.open: no limit
  }
}

BOOST_AUTO_TEST_CASE(leveldb_open_files_are_a_positive_number_or_no_limit) {
  configuration config;
  config.set("state.backend.type", "leveldb");
  config.set("state.backend.leveldb.files.open", "300");
  BOOST_TEST(state_backend_settings_from(config).open_files == 300);
  BOOST_TEST(options::leveldb_open_files.parse("-1").value() == -1);
  for (const char* bad : {"0", "-2", "many"}) {
    auto parsed = options::leveldb_open_files.parse(bad);
    BOOST_TEST_REQUIRE(!parsed.ok());
    BOOST_TEST(parsed.error() == "-1 (no limit) or a positive number of files");
  }
}

BOOST_AUTO_TEST_CASE(leveldb_without_a_localdir_works_under_the_temp_directory) {
  configuration config;
  config.set("state.backend.type", "leveldb");
  auto s = state_backend_settings_from(config);
  BOOST_TEST(s.local_dir == (fs::temp_directory_path() / "flink-cpp-leveldb").string());
}

BOOST_AUTO_TEST_CASE(leveldb_opens_a_store_per_operator_below_the_jobs_directory) {
  temp_dir dir;
  state_backend_settings s;
  s.type = "leveldb";
  s.local_dir = dir.file("local");
  auto job = job_id::random();
  auto stores = make_state_backend(s)->open_subtask(job, 3);
  BOOST_TEST_REQUIRE(stores != nullptr);
  auto store = stores->open("counts");
  store->put("k", "v");
  std::string value;
  BOOST_TEST(store->get("k", value));
  BOOST_TEST(value == "v");
  auto job_dir = fs::path{s.local_dir} / ("job-" + job.to_string());
  BOOST_TEST_REQUIRE(fs::is_directory(job_dir));
  auto entries = std::distance(fs::directory_iterator{job_dir}, fs::directory_iterator{});
  BOOST_TEST(entries == 1);
  BOOST_TEST(
    fs::directory_iterator { job_dir } -> path().filename().string().rfind("counts-3-", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

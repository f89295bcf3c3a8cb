// The checkpoint storage: the one place that lays out checkpoints, shared
// files and savepoints on disk, chosen from the configuration as Flink
// chooses its FileSystemCheckpointStorage.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>

#include "state/checkpoint_storage.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(checkpoint_storage_suite)

BOOST_AUTO_TEST_CASE(lays_out_a_job_as_flink_does) {
  checkpoint_storage storage{"/data/checkpoints", "/data/savepoints"};
  auto job = job_id::random();
  auto dirs = storage.for_job(job);
  BOOST_TEST(dirs.job == "/data/checkpoints/" + job.to_string());
  BOOST_TEST(dirs.checkpoint(checkpoint_id{7}) == dirs.job + "/chk-7");
  BOOST_TEST(dirs.shared() == dirs.job + "/shared");
  BOOST_TEST(std::string{checkpoint_storage::name()} == "FileSystemCheckpointStorage");
}

BOOST_AUTO_TEST_CASE(savepoints_go_below_the_target_else_the_default_directory) {
  auto job = job_id::random();
  auto prefix = "savepoint-" + job.to_string().substr(0, 6) + "-";
  checkpoint_storage with_default{"/c", "/data/savepoints"};
  auto a = with_default.new_savepoint_directory("", job);
  BOOST_TEST_REQUIRE(a.ok());
  BOOST_TEST(fs::path{*a}.parent_path().string() == "/data/savepoints");
  BOOST_TEST(fs::path{*a}.filename().string().rfind(prefix, 0) == 0u);
  auto b = with_default.new_savepoint_directory("/elsewhere", job);
  BOOST_TEST_REQUIRE(b.ok());
  BOOST_TEST(fs::path{*b}.parent_path().string() == "/elsewhere");
  BOOST_TEST(*a != *with_default.new_savepoint_directory("", job)); // never the same twice

  checkpoint_storage without{"/c", ""};
  auto none = without.new_savepoint_directory("", job);
  BOOST_TEST_REQUIRE(!none.ok());
  BOOST_TEST(none.error().find("execution.checkpointing.savepoint-dir") != std::string::npos,
             none.error());
}

BOOST_AUTO_TEST_CASE(reads_both_directories_from_the_configuration) {
  configuration config;
  config.set("execution.checkpointing.dir", "/data/chk");
  config.set("execution.checkpointing.savepoint-dir", "/data/sp");
  config.set("execution.checkpointing.storage", "jobmanager"); // read as filesystem
  auto storage = checkpoint_storage::from(config);
  BOOST_TEST(storage.checkpoints_dir() == "/data/chk");
  BOOST_TEST(storage.savepoints_dir() == "/data/sp");

  auto unset = checkpoint_storage::from(configuration{});
  BOOST_TEST(unset.checkpoints_dir() ==
             (fs::temp_directory_path() / "flink-cpp-checkpoints").string());
  BOOST_TEST(unset.savepoints_dir().empty());
}

BOOST_AUTO_TEST_CASE(resume_candidates_are_the_jobs_checkpoints_and_the_savepoints) {
  temp_dir dir;
  checkpoint_storage storage{dir.file("chk"), dir.file("sp")};
  auto job = job_id::random();
  auto dirs = storage.for_job(job);
  fs::create_directories(dirs.checkpoint(checkpoint_id{3}));
  fs::create_directories(dirs.shared());
  fs::create_directories(storage.for_job(job_id::random()).checkpoint(checkpoint_id{4}));
  auto savepoint = storage.new_savepoint_directory("", job);
  BOOST_TEST_REQUIRE(savepoint.ok());
  fs::create_directories(*savepoint);
  fs::create_directories(dir.file("sp/unrelated"));

  auto found = storage.snapshot_candidates(job);
  std::sort(found.begin(), found.end());
  std::vector<std::string> expected{dirs.checkpoint(checkpoint_id{3}), *savepoint};
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(found == expected, boost::test_tools::per_element());

  checkpoint_storage missing{dir.file("nothing"), ""};
  BOOST_TEST(missing.snapshot_candidates(job).empty());
}

BOOST_AUTO_TEST_SUITE_END()

// Completing a snapshot under injected faults: a checkpoint or savepoint is
// either whole (its metadata written last, durably) or never restored from,
// whatever fails and wherever the process dies; a restarted jobmanager
// resumes from the newest whole one.

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "checkpoint/latest_snapshot.hpp"
#include "state/checkpoint_storage.hpp"
#include "support/fault_injecting_file_system.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::fault_injecting_file_system;
using flinkcpp::testing::injected_faults;
using flinkcpp::testing::read_file;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;
using operation = fault_injecting_file_system::operation;
namespace fs = std::filesystem;

namespace {

struct fixture : injected_faults {
  temp_dir dir;
  checkpoint_storage storage{dir.file("checkpoints"), dir.file("savepoints")};
  job_id job = job_id::random();
  job_checkpoint_directories dirs = storage.for_job(job);

  checkpoint_metadata metadata(std::int64_t id, bool savepoint = false) const {
    checkpoint_metadata m;
    m.job = job;
    m.id = checkpoint_id{id};
    m.savepoint = savepoint;
    return m;
  }

  /// What a restarted jobmanager resumes from: the id, 0 for nothing.
  std::int64_t resumed_from() const {
    std::vector<std::string> skipped;
    auto latest = find_latest_snapshot(storage, job, skipped);
    BOOST_TEST(skipped.empty());
    return latest ? latest->metadata.id.value() : 0;
  }

  /// Checkpoint `id` as its subtasks left it: one state file written.
  std::string written(std::int64_t id) const {
    auto chk = dirs.checkpoint(checkpoint_id{id});
    fs::create_directories(chk);
    write_file(chk + "/op-0", "state of " + std::to_string(id));
    return chk;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(checkpoint_completion_suite, fixture)

BOOST_AUTO_TEST_CASE(a_completed_checkpoint_is_what_a_restart_resumes_from) {
  auto chk = written(1);
  BOOST_TEST_REQUIRE(checkpoint_storage::complete(chk, chk, metadata(1)).ok());
  BOOST_TEST(fs::exists(chk + "/_metadata"));
  BOOST_TEST(resumed_from() == 1);
}

BOOST_AUTO_TEST_CASE(a_metadata_write_that_fails_leaves_the_previous_checkpoint_the_latest) {
  auto one = written(1);
  BOOST_TEST_REQUIRE(checkpoint_storage::complete(one, one, metadata(1)).ok());
  for (auto op : {operation::write, operation::sync, operation::rename}) {
    auto two = written(2);
    faults.fail_nth(op, 1, EIO);
    auto done = checkpoint_storage::complete(two, two, metadata(2));
    BOOST_TEST_REQUIRE(!done.ok());
    BOOST_TEST(done.error().find(two) != std::string::npos, done.error());
    BOOST_TEST(!fs::exists(two + "/_metadata"));
    BOOST_TEST(resumed_from() == 1);
  }
}

BOOST_AUTO_TEST_CASE(a_full_disk_fails_the_checkpoint_saying_so) {
  auto one = written(1);
  faults.fill_disk_after(4);
  auto done = checkpoint_storage::complete(one, one, metadata(1));
  BOOST_TEST_REQUIRE(!done.ok());
  BOOST_TEST(done.error().find("No space left on device") != std::string::npos, done.error());
  BOOST_TEST(resumed_from() == 0);
}

BOOST_AUTO_TEST_CASE(a_crash_before_the_metadata_is_in_place_is_never_restored_from) {
  auto one = written(1);
  BOOST_TEST_REQUIRE(checkpoint_storage::complete(one, one, metadata(1)).ok());
  auto two = written(2);
  faults.crash_at(operation::rename, 1);
  BOOST_TEST(!checkpoint_storage::complete(two, two, metadata(2)).ok());
  faults.restart();
  BOOST_TEST(!fs::exists(two + "/_metadata"));
  BOOST_TEST(resumed_from() == 1); // the torn one's temporary metadata is no metadata
  // The checkpoint after it completes as usual.
  auto three = written(3);
  BOOST_TEST_REQUIRE(checkpoint_storage::complete(three, three, metadata(3)).ok());
  BOOST_TEST(resumed_from() == 3);
}

BOOST_AUTO_TEST_CASE(a_savepoint_moves_its_files_and_copies_them_across_devices) {
  auto chk = written(4);
  auto target = storage.new_savepoint_directory("", job);
  BOOST_TEST_REQUIRE(target.ok());
  faults.fail_nth(operation::rename, 1, EXDEV); // the savepoint directory is on another device
  BOOST_TEST_REQUIRE(checkpoint_storage::complete(chk, *target, metadata(4, true)).ok());
  BOOST_TEST(read_file(*target + "/op-0") == "state of 4");
  BOOST_TEST(fs::exists(*target + "/_metadata"));
  BOOST_TEST(!fs::exists(chk)); // self-contained: nothing left where the subtasks wrote
  BOOST_TEST(resumed_from() == 4);
}

BOOST_AUTO_TEST_SUITE_END()

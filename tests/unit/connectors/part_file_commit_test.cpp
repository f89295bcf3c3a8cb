// Committing sink output under injected faults: a part file becomes visible
// under its final name whole or not at all, a failed commit can be retried
// (after a restore too) and is idempotent, and output is never overwritten.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <stdexcept>

#include "connectors/part_files.hpp"
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
  in_progress_file part{dir.file(".part-0-0.inprogress.x"), dir.file("part-0-0"), nullptr};

  /// The message `f` throws; empty if it does not.
  template <class F>
  static std::string thrown_by(F f) {
    try {
      f();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return {};
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(part_file_commit_suite, fixture)

BOOST_AUTO_TEST_CASE(a_written_part_commits_once_and_a_second_commit_does_nothing) {
  part.create();
  part.append("a\nb\n");
  part.finish();
  BOOST_TEST(!fs::exists(part.final_path));
  commit_part_file(part.in_progress, part.final_path);
  BOOST_TEST(read_file(part.final_path) == "a\nb\n");
  BOOST_TEST(!fs::exists(part.in_progress));
  commit_part_file(part.in_progress, part.final_path); // replayed after a restore
  BOOST_TEST(read_file(part.final_path) == "a\nb\n");
}

BOOST_AUTO_TEST_CASE(a_failed_write_or_flush_throws_naming_the_file) {
  part.create();
  faults.fail_nth(operation::write, 1, EIO);
  auto write = thrown_by([&] { part.append("x\n"); });
  BOOST_TEST(write.find(part.in_progress) != std::string::npos, write);
  faults.fill_disk_after(0);
  auto full = thrown_by([&] { part.append("y\n"); });
  BOOST_TEST(full.find("No space left on device") != std::string::npos, full);
  faults.restart();
  faults.fail_nth(operation::sync, 1, EIO);
  auto flush = thrown_by([&] { part.finish(); });
  BOOST_TEST(flush.find(part.in_progress) != std::string::npos, flush);
  part.discard();
  BOOST_TEST(!fs::exists(part.in_progress));
}

BOOST_AUTO_TEST_CASE(a_failed_commit_leaves_the_part_pending_and_a_retry_commits_it) {
  part.create();
  part.append("data\n");
  part.finish();
  faults.fail_nth(operation::rename, 1, EIO);
  auto failed = thrown_by([&] { commit_part_file(part.in_progress, part.final_path); });
  BOOST_TEST(failed.find(part.final_path) != std::string::npos, failed);
  BOOST_TEST(!fs::exists(part.final_path));
  BOOST_TEST(fs::exists(part.in_progress));
  commit_part_file(part.in_progress, part.final_path);
  BOOST_TEST(read_file(part.final_path) == "data\n");
}

BOOST_AUTO_TEST_CASE(a_crash_between_write_and_commit_is_committed_after_the_restart) {
  part.create();
  part.append("data\n");
  part.finish();
  faults.crash_at(operation::rename, 1);
  BOOST_TEST(!thrown_by([&] { commit_part_file(part.in_progress, part.final_path); }).empty());
  faults.restart(); // the restored job commits what its checkpoint lists
  commit_part_file(part.in_progress, part.final_path);
  BOOST_TEST(read_file(part.final_path) == "data\n");
}

BOOST_AUTO_TEST_CASE(output_is_never_overwritten_and_lost_parts_are_an_error) {
  write_file(part.final_path, "someone else's\n");
  part.create();
  part.append("ours\n");
  part.finish();
  auto refused = thrown_by([&] { commit_part_file(part.in_progress, part.final_path); });
  BOOST_TEST(refused.find("File exists") != std::string::npos, refused);
  BOOST_TEST(read_file(part.final_path) == "someone else's\n");

  auto lost = thrown_by([&] { commit_part_file(dir.file(".gone"), dir.file("gone")); });
  BOOST_TEST(lost.find("are both gone") != std::string::npos, lost);
}

BOOST_AUTO_TEST_SUITE_END()

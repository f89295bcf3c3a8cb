// Durable writes under injected faults: whatever fails (a write, a flush, the
// rename, a full disk, a crash between write and rename), readers see the
// old file or the whole new one, never a torn one, and the error names the
// file and the system's reason.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "support/fault_injecting_file_system.hpp"
#include "support/temp_dir.hpp"
#include "util/durable_file.hpp"

using namespace flinkcpp;
using flinkcpp::testing::fault_injecting_file_system;
using flinkcpp::testing::injected_faults;
using flinkcpp::testing::read_file;
using flinkcpp::testing::temp_dir;
using operation = fault_injecting_file_system::operation;
namespace fs = std::filesystem;

namespace {

/// The names in `dir`.
std::vector<std::string> names_in(const temp_dir& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct fixture : injected_faults {
  temp_dir dir;
  std::string path = dir.file("data");

  fixture() { BOOST_TEST_REQUIRE(write_file_durably(path, "old").ok()); }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(durable_file_suite, fixture)

BOOST_AUTO_TEST_CASE(a_failed_write_sync_or_rename_leaves_the_old_file_and_no_leftovers) {
  for (auto op : {operation::create, operation::write, operation::sync, operation::rename}) {
    faults.fail_nth(op, 1, EIO);
    auto written = write_file_durably(path, "new");
    BOOST_TEST_REQUIRE(!written.ok());
    BOOST_TEST(written.error().find(path) != std::string::npos, written.error());
    BOOST_TEST(written.error().find("Input/output error") != std::string::npos, written.error());
    BOOST_TEST(read_file(path) == "old");
    BOOST_TEST(names_in(dir) == std::vector<std::string>{"data"}, boost::test_tools::per_element());
  }
  BOOST_TEST_REQUIRE(write_file_durably(path, "new").ok());
  BOOST_TEST(read_file(path) == "new");
}

BOOST_AUTO_TEST_CASE(a_full_disk_says_so_and_keeps_the_old_file) {
  faults.fill_disk_after(2);
  auto written = write_file_durably(path, "new content");
  BOOST_TEST_REQUIRE(!written.ok());
  BOOST_TEST(written.error().find("No space left on device") != std::string::npos, written.error());
  BOOST_TEST(read_file(path) == "old");
  BOOST_TEST(names_in(dir).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_crash_between_write_and_rename_leaves_the_old_file_and_a_temporary) {
  faults.crash_at(operation::rename, 1);
  BOOST_TEST(!write_file_durably(path, "new").ok());
  BOOST_TEST(faults.crashed());
  BOOST_TEST(read_file(path) == "old");
  auto names = names_in(dir);
  BOOST_TEST_REQUIRE(names.size() == 2u); // the crash left the temporary file
  BOOST_TEST(names[1].rfind("data.tmp-", 0) == 0u, names[1]);

  faults.restart(); // the process started again: writing works, the old temporary is inert
  BOOST_TEST_REQUIRE(write_file_durably(path, "newer").ok());
  BOOST_TEST(read_file(path) == "newer");
}

BOOST_AUTO_TEST_CASE(create_never_replaces_and_copy_reports_the_checksum) {
  auto created = create_file_durably(path, "other");
  BOOST_TEST_REQUIRE(!created.ok());
  BOOST_TEST(created.error().find("File exists") != std::string::npos, created.error());
  BOOST_TEST(read_file(path) == "old");
  BOOST_TEST(names_in(dir).size() == 1u);

  auto copy = dir.file("copy");
  auto checksum = copy_file_durably(path, copy);
  BOOST_TEST_REQUIRE(checksum.ok());
  BOOST_TEST(read_file(copy) == "old");
  BOOST_TEST(*checksum == *file_checksum(path));
  BOOST_TEST(*read_file_bytes(copy) == "old");
  auto missing = read_file_bytes(dir.file("missing"));
  BOOST_TEST_REQUIRE(!missing.ok());
  BOOST_TEST(missing.error().find(dir.file("missing")) != std::string::npos, missing.error());
}

BOOST_AUTO_TEST_SUITE_END()

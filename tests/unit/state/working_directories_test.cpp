// Working directories: each process's own, locked while it lives, and what
// dead processes left removed by the next one to claim a directory there.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "state/working_directories.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(working_directories_suite)

BOOST_AUTO_TEST_CASE(each_owner_claims_its_own_directory_once) {
  temp_dir dir;
  auto base = dir.file("local");
  std::string claimed_dir;
  {
    working_directories mine{"127.0.0.1:6122-ab"};
    auto first = mine.claim(base);
    BOOST_TEST_REQUIRE(first.ok(), (first.ok() ? "" : first.error()));
    BOOST_TEST(first->first);
    BOOST_TEST(first->directory == base + "/tm-127.0.0.1_6122-ab");
    BOOST_TEST(fs::is_directory(first->directory));
    auto again = mine.claim(base);
    BOOST_TEST(!again->first);
    BOOST_TEST(again->directory == first->directory);
    claimed_dir = first->directory;
  }
  BOOST_TEST(!fs::exists(claimed_dir)); // removed with its owner
  BOOST_TEST(!fs::exists(claimed_dir + ".lock"));
}

BOOST_AUTO_TEST_CASE(only_directories_of_dead_owners_are_removed) {
  temp_dir dir;
  auto base = dir.file("local");
  working_directories live{"live"};
  BOOST_REQUIRE(live.claim(base).ok());
  // What a killed process leaves: its directory, state in it, a free lock.
  fs::create_directories(base + "/tm-dead/job-1/op");
  std::ofstream{base + "/tm-dead/job-1/op/000005.ldb"} << "state";
  std::ofstream{base + "/tm-dead.lock"};
  fs::create_directories(base + "/tm-half-swept/job-2"); // its lock already gone
  fs::create_directories(base + "/unrelated");
  working_directories::remove_dead_owners(base);
  BOOST_TEST(!fs::exists(base + "/tm-dead"));
  BOOST_TEST(!fs::exists(base + "/tm-dead.lock"));
  BOOST_TEST(!fs::exists(base + "/tm-half-swept"));
  BOOST_TEST(fs::is_directory(base + "/tm-live"));
  BOOST_TEST(fs::exists(base + "/tm-live.lock"));
  BOOST_TEST(fs::is_directory(base + "/unrelated"));
}

BOOST_AUTO_TEST_CASE(a_name_in_use_is_not_claimed_twice) {
  temp_dir dir;
  working_directories first{"same"};
  working_directories second{"same"};
  BOOST_REQUIRE(first.claim(dir.file("local")).ok());
  auto again = second.claim(dir.file("local"));
  BOOST_REQUIRE(!again);
  BOOST_TEST(again.error() == "cannot lock the LevelDB state directory '" + dir.file("local") +
                                "/tm-same': cannot lock '" + dir.file("local") +
                                "/tm-same.lock': File exists");
  working_directories::remove_dead_owners(dir.file("local"));
  BOOST_TEST(std::filesystem::is_directory(dir.file("local") + "/tm-same")); // the first lives
}

BOOST_AUTO_TEST_CASE(an_unusable_directory_is_named) {
  temp_dir dir;
  std::ofstream{dir.file("file")} << "x";
  working_directories mine{"x"};
  auto claimed = mine.claim(dir.file("file") + "/below");
  BOOST_REQUIRE(!claimed);
  BOOST_TEST(claimed.error() ==
             "cannot create the LevelDB state directory (state.backend.leveldb.localdir): "
             "cannot create directory '" +
               dir.file("file") + "/below': Not a directory");
}

BOOST_AUTO_TEST_SUITE_END()

// Where job libraries are kept: uploads under their jar ids (named safely,
// listed, read, deleted) and submitted libraries once by content, both
// written whole or not at all.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "api/job_library_store.hpp"
#include "support/fault_injecting_file_system.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

struct store_fixture {
  temp_dir dir;
  job_library_store store{dir.file("uploads"), dir.file("blobs")};
};

/// The files directly in `path`.
std::size_t files_in(const std::string& path) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto i = fs::directory_iterator(path, ec); i != fs::directory_iterator(); ++i)
    ++n;
  return n;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(job_library_store_suite, store_fixture)

BOOST_AUTO_TEST_CASE(an_upload_is_kept_under_a_new_jar_id_until_deleted) {
  auto jar = store.upload("/home/me/word count.so", "ELF bytes");
  BOOST_REQUIRE_MESSAGE(jar.ok(), (jar.ok() ? "" : jar.error()));
  BOOST_TEST(jar->name == "word_count.so"); // the base name, made safe
  BOOST_TEST(jar->id.size() == 33 + jar->name.size());
  BOOST_TEST(job_library_store::is_jar_id(jar->id));
  BOOST_TEST(jar->path == dir.file("uploads") + "/" + jar->id);
  auto listed = store.list();
  BOOST_REQUIRE(listed.size() == 1u);
  BOOST_TEST(listed[0].id == jar->id);
  BOOST_TEST(listed[0].name == "word_count.so");
  BOOST_TEST(listed[0].uploaded_ms > 0);
  BOOST_TEST(store.read(jar->id).value_or("") == "ELF bytes");
  auto again = store.upload("word count.so", "other bytes");
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->id != jar->id); // the same name twice: two jars
  BOOST_TEST(store.remove(jar->id));
  BOOST_TEST(!store.remove(jar->id));
  BOOST_TEST(!store.read(jar->id).has_value());
  BOOST_TEST(store.list().size() == 1u);
}

BOOST_AUTO_TEST_CASE(only_shared_objects_are_taken) {
  for (const auto* bad : {"job.jar", ".so", "a.so.txt", "/tmp/.hidden.so"}) {
    auto r = store.upload(bad, "x");
    BOOST_TEST(!r.ok(), bad);
    BOOST_TEST((r.ok() || r.code() == errc::invalid_argument), bad);
    BOOST_TEST((r.ok() ? "" : r.error()) ==
               "'" + std::string{bad} + "' is not a job library: expected a .so file");
  }
  BOOST_TEST(files_in(dir.file("uploads")) == 0u);
}

BOOST_AUTO_TEST_CASE(jar_ids_cannot_reach_outside_the_upload_directory) {
  auto jar = store.upload("job.so", "x");
  BOOST_REQUIRE(jar.ok());
  for (const auto* bad : {"../job.so", "job.so", "0123456789abcdef0123456789abcdef_../x.so",
                          "0123456789abcdef0123456789abcdef_/etc/passwd.so", ""}) {
    BOOST_TEST(!job_library_store::is_jar_id(bad), bad);
    BOOST_TEST(!store.read(bad).has_value(), bad);
    BOOST_TEST(!store.remove(bad), bad);
  }
  BOOST_TEST(store.list().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_store_without_an_upload_directory_takes_no_uploads) {
  job_library_store none{"", dir.file("blobs")};
  auto r = none.upload("job.so", "x");
  BOOST_TEST((r.ok() ? "" : r.error()).find("takes no uploads") != std::string::npos);
  BOOST_TEST(none.list().empty());
}

BOOST_AUTO_TEST_CASE(a_submitted_library_is_kept_once_by_its_digest) {
  auto one = job_library_store::digest_of("library one");
  BOOST_TEST(one == "72428ab7b35f92617d2a834f15096086cde27b5305bfb5a7294fb60f029b8443");
  BOOST_TEST(job_library_store::is_digest(one));
  BOOST_TEST(!store.kept(one).has_value());
  auto first = store.keep(one, "library one");
  auto second = store.keep(one, "library one");
  auto other = store.keep(job_library_store::digest_of("library two"), "library two");
  BOOST_REQUIRE(first.ok() && second.ok() && other.ok());
  BOOST_TEST(*first == *second);
  BOOST_TEST(*first != *other);
  BOOST_TEST(store.kept(one).value_or("") == *first);
  BOOST_TEST(read_file(*first) == "library one");
  BOOST_TEST(files_in(dir.file("blobs")) == 2u);
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_their_digests_are_not_kept) {
  auto two = job_library_store::digest_of("library two");
  auto r = store.keep(two, "library one, changed on the way");
  BOOST_TEST(!r.ok());
  BOOST_TEST((r.ok() || r.code() == errc::invalid_argument));
  BOOST_TEST((r.ok() ? "" : r.error()) ==
             "the job library's bytes are not those of digest '" + two + "'");
  for (const std::string& bad : std::vector<std::string>{
         "../../etc/passwd", "", two.substr(1), two + "0",
         "72428AB7B35F92617D2A834F15096086CDE27B5305BFB5A7294FB60F029B8443"}) {
    BOOST_TEST(!job_library_store::is_digest(bad), bad);
    BOOST_TEST(!store.keep(bad, "x").ok(), bad);
    BOOST_TEST(!store.kept(bad).has_value(), bad);
  }
  BOOST_TEST(files_in(dir.file("blobs")) == 0u);
}

BOOST_AUTO_TEST_CASE(a_failed_write_leaves_no_library_behind) {
  injected_faults faults;
  faults.faults.fill_disk_after(3);
  auto jar = store.upload("job.so", "more than three bytes");
  BOOST_TEST(!jar.ok());
  BOOST_TEST((jar.ok() ? "" : jar.error()).find("cannot store the upload in") != std::string::npos);
  BOOST_TEST(store.list().empty());
  auto digest = job_library_store::digest_of("more than three bytes");
  auto kept = store.keep(digest, "more than three bytes");
  BOOST_TEST(!kept.ok());
  BOOST_TEST(files_in(dir.file("blobs")) == 0u); // no partial file to load later
  faults.faults.restart();
  BOOST_TEST(store.keep(digest, "more than three bytes").ok());
}

BOOST_AUTO_TEST_SUITE_END()

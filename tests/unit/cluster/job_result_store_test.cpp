// The HA job result store under injected faults: a result is recorded whole
// or not at all, so that a restarted jobmanager either knows the job ended
// or runs it again, never reads a torn record.

#include <boost/test/unit_test.hpp>

#include "cluster/job_result_store.hpp"
#include "support/fault_injecting_file_system.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::fault_injecting_file_system;
using flinkcpp::testing::injected_faults;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;
using operation = fault_injecting_file_system::operation;

namespace {

struct fixture : injected_faults {
  temp_dir dir;
  job_result_store store{dir.file("job-result-store")};
  job_id job = job_id::random();
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(job_result_store_suite, fixture)

BOOST_AUTO_TEST_CASE(records_and_finds_a_jobs_end) {
  auto none = store.find(job);
  BOOST_TEST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());
  BOOST_TEST_REQUIRE(store.record(job, "FINISHED").ok());
  auto found = store.find(job);
  BOOST_TEST_REQUIRE(found.ok());
  BOOST_TEST(found->value() == "FINISHED");
}

BOOST_AUTO_TEST_CASE(a_failed_record_leaves_no_record_and_says_why) {
  for (auto op : {operation::create, operation::write, operation::sync, operation::rename}) {
    faults.fail_nth(op, 1, EIO);
    auto recorded = store.record(job, "CANCELED");
    BOOST_TEST_REQUIRE(!recorded.ok());
    BOOST_TEST(recorded.error().find("Input/output error") != std::string::npos, recorded.error());
    auto found = store.find(job);
    BOOST_TEST_REQUIRE(found.ok());
    BOOST_TEST(!found->has_value());
  }
}

BOOST_AUTO_TEST_CASE(a_crash_while_recording_means_the_job_runs_again) {
  faults.crash_at(operation::rename, 1);
  BOOST_TEST(!store.record(job, "FINISHED").ok());
  faults.restart();
  auto found = store.find(job); // the temporary the crash left is not read
  BOOST_TEST_REQUIRE(found.ok());
  BOOST_TEST(!found->has_value());
  BOOST_TEST_REQUIRE(store.record(job, "FINISHED").ok());
  BOOST_TEST(store.find(job)->value() == "FINISHED");
}

BOOST_AUTO_TEST_CASE(a_damaged_record_is_an_error_naming_it) {
  BOOST_TEST_REQUIRE(store.record(job, "FAILED").ok());
  write_file(dir.file("job-result-store/" + job.to_string() + ".json"), "{\"sta");
  auto found = store.find(job);
  BOOST_TEST_REQUIRE(!found.ok());
  BOOST_TEST(found.error().find(job.to_string() + ".json") != std::string::npos, found.error());
}

BOOST_AUTO_TEST_SUITE_END()

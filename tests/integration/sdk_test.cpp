// The SDK job libraries are built against: installed on its own, it builds
// engine/examples/user_job as a separate CMake project whose library runs;
// a library stamped for another ABI is refused naming both versions; the
// binary exports the public API and nothing else of the engine.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>

#include "flinkcpp/version.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp::testing;

namespace {

/// Runs a command that must succeed; its output otherwise.
void require_success(const std::vector<std::string>& argv) {
  auto r = run_process(argv);
  BOOST_TEST_REQUIRE(r.exit_code == 0, argv[0] + " " + argv[1] + ":\n" + r.out + r.err);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sdk_suite)

BOOST_AUTO_TEST_CASE(a_job_library_builds_against_the_installed_sdk_and_runs) {
  temp_dir dir;
  auto sdk = dir.file("sdk");
  require_success(
    {FLINKCPP_CMAKE, "--install", FLINKCPP_BUILD_DIR, "--component", "sdk", "--prefix", sdk});
  BOOST_TEST(std::filesystem::exists(sdk + "/include/flinkcpp/flinkcpp.hpp"));
  BOOST_TEST(std::filesystem::exists(sdk + "/include/flinkcpp/version.hpp"));
  BOOST_TEST(!std::filesystem::exists(sdk + "/include/flinkcpp/version.hpp.in"));

  auto build = dir.file("build");
  require_success({FLINKCPP_CMAKE, "-S",
                   std::string{FLINKCPP_PROJECT_DIR} + "/engine/examples/user_job", "-B", build,
                   "-DCMAKE_PREFIX_PATH=" + sdk, "-DCMAKE_BUILD_TYPE=Release"});
  require_success({FLINKCPP_CMAKE, "--build", build});

  auto input = dir.file("words.txt");
  write_file(input, "a bb ccc bb a dddd\nee a\n");
  auto output = dir.file("lengths");
  auto r = run_flink_cpp({"run", "-t", "local", "-D", "execution.runtime-mode=BATCH",
                          build + "/libword_length_job.so", "--input", input, "--output", output});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto lines = lines_of(read_file(output));
  std::sort(lines.begin(), lines.end());
  BOOST_TEST((lines == std::vector<std::string>{"(1,3)", "(2,3)", "(3,1)", "(4,1)"}));
}

BOOST_AUTO_TEST_CASE(a_library_built_for_another_abi_is_refused_naming_both_versions) {
  auto r = run_flink_cpp({"run", "-t", "local", FLINKCPP_OLD_ABI_JOB});
  BOOST_TEST(r.exit_code == 1);
  auto expected = "was built against flink-cpp 0.0.1 (ABI " +
                  std::to_string(FLINKCPP_ABI_VERSION - 1) + "); this is flink-cpp " +
                  FLINKCPP_VERSION_STRING + " (ABI " + std::to_string(FLINKCPP_ABI_VERSION) + ")";
  BOOST_TEST(r.err.find(expected) != std::string::npos, r.err);
  BOOST_TEST(r.out.empty(), r.out); // the job did not run
}

BOOST_AUTO_TEST_CASE(the_binary_exports_the_public_api_and_hides_the_engine) {
  auto r = run_process({FLINKCPP_NM, "-D", "--defined-only", "-C", flink_cpp_binary()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  for (const char* api :
       {"flinkcpp::stream_environment::add_node", "flinkcpp::detail::job_registrar::job_registrar",
        "flinkcpp::job_args::required", "flinkcpp::detail::hash_bytes"})
    BOOST_TEST(r.out.find(api) != std::string::npos, api);
  for (const char* internal : {"flinkcpp::checkpoint_coordinator", "flinkcpp::job_registry::",
                               "flinkcpp::working_directories", "flinkcpp::rest::"})
    BOOST_TEST(r.out.find(internal) == std::string::npos, internal);
}

BOOST_AUTO_TEST_SUITE_END()

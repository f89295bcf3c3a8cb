// The engine image as ci/build-image.sh leaves it (an OCI archive), opened
// with buildah in a storage of the test's own: laid out as Flink's image
// (FLINK_HOME=/opt/flink, /docker-entrypoint.sh taking jobmanager,
// taskmanager, standalone-job and help, `flink` on the PATH), runs as the
// non-root user 9999, knows its built-in jobs, and the folders the chart and
// Flink's manifests rely on are there.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp::testing;

namespace {

struct image_fixture {
  temp_dir dir{temp_dir::disk_base()};
  std::vector<std::string> buildah{"/usr/bin/buildah", "--storage-driver",  "vfs",
                                   "--root",           dir.file("storage"), "--runroot",
                                   dir.file("run")};
  std::string container;

  image_fixture() {
    auto built = run_process({std::string{FLINKCPP_PROJECT_DIR} + "/ci/build-image.sh"});
    BOOST_REQUIRE_MESSAGE(built.exit_code == 0, "ci/build-image.sh failed: " << built.err);
    auto lines = lines_of(built.out);
    BOOST_REQUIRE(!lines.empty());
    auto from = call({"from", "--pull-never", "oci-archive:" + lines.back()});
    BOOST_REQUIRE_MESSAGE(from.exit_code == 0, from.err);
    container = lines_of(from.out).back();
  }

  ~image_fixture() {
    if (!container.empty())
      call({"rm", container});
  }

  process_result call(const std::vector<std::string>& args) const {
    auto argv = buildah;
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
  }

  /// Runs `command` in the image as its configured user.
  process_result run(const std::vector<std::string>& command) const {
    std::vector<std::string> args{"run", "--isolation", "chroot", container, "--"};
    args.insert(args.end(), command.begin(), command.end());
    return call(args);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(image, image_fixture)

BOOST_AUTO_TEST_CASE(flink_cpp_runs_as_a_non_root_user) {
  auto version = run({"flink-cpp", "--version"});
  BOOST_TEST(version.exit_code == 0, version.err);
  BOOST_TEST(version.out == "flink-cpp 0.1.0\n");
  auto user = run({"id", "-u"});
  BOOST_TEST(user.out == "9999\n");
  auto config =
    call({"inspect", "--format",
          "{{.OCIv1.Config.User}} {{.OCIv1.Config.Entrypoint}} {{.OCIv1.Config.Cmd}}", container});
  BOOST_TEST(lines_of(config.out) ==
             std::vector<std::string>{"9999:9999 [/docker-entrypoint.sh] [help]"});
}

BOOST_AUTO_TEST_CASE(its_entrypoint_takes_flink_images_commands) {
  auto help = run({"/docker-entrypoint.sh", "help"});
  BOOST_TEST(help.exit_code == 0, help.err);
  BOOST_TEST(help.out.find("(jobmanager|taskmanager|standalone-job)") != std::string::npos,
             help.out);
  // Anything else runs as given; `flink` is the same program as flink-cpp.
  auto version = run({"/docker-entrypoint.sh", "flink", "--version"});
  BOOST_TEST(version.out == "flink-cpp 0.1.0\n", version.err);
  // A verb that is not a command of the entrypoint nor a program fails saying so.
  auto unknown = run({"/docker-entrypoint.sh", "no-such-command"});
  BOOST_TEST(unknown.exit_code != 0);
  // JOB_MANAGER_RPC_ADDRESS and FLINK_PROPERTIES reach the configuration as
  // Flink's entrypoint adds them: a jobmanager given a bad value of either
  // refuses to start naming the key.
  auto bad_slots =
    run({"env", "TASK_MANAGER_NUMBER_OF_TASK_SLOTS=none", "/docker-entrypoint.sh", "taskmanager"});
  BOOST_TEST(bad_slots.exit_code != 0);
  BOOST_TEST(bad_slots.err.find("taskmanager.numberOfTaskSlots") != std::string::npos,
             bad_slots.err);
  auto bad_property =
    run({"env", "FLINK_PROPERTIES=rest.port: eighty", "/docker-entrypoint.sh", "jobmanager"});
  BOOST_TEST(bad_property.exit_code != 0);
  BOOST_TEST(bad_property.err.find("rest.port") != std::string::npos, bad_property.err);
}

BOOST_AUTO_TEST_CASE(it_holds_the_built_in_jobs_and_the_folders_the_chart_uses) {
  auto jobs = run({"flink-cpp", "list-jobs"});
  BOOST_TEST(jobs.out.find("wordcount") != std::string::npos, jobs.out);
  for (const char* folder : {"/opt/flink/usrlib", "/opt/flink/conf", "/opt/flink/log"})
    BOOST_TEST(run({"test", "-d", folder}).exit_code == 0, folder);
  // log/ is the user's to write (log.file), as in Flink's image.
  BOOST_TEST(run({"test", "-w", "/opt/flink/log"}).exit_code == 0);
  // The default configuration is valid: the client commands work without a chart.
  auto plan = run({"flink-cpp", "info", "wordcount"});
  BOOST_TEST(plan.exit_code == 0, plan.err);
  // A job runs in the image on the embedded mini-cluster, as the user.
  auto counted =
    run({"flink-cpp", "run", "-t", "local", "-D", "execution.runtime-mode=BATCH", "wordcount"});
  BOOST_TEST(counted.exit_code == 0, counted.err);
  BOOST_TEST(counted.out.find("(be,") != std::string::npos, counted.out);
}

BOOST_AUTO_TEST_SUITE_END()

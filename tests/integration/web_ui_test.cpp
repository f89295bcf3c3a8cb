// The web UI in a real headless Chromium (Debian's chromium, driven by npm
// playwright-core from /var/cache/flink-cpp/npm, which ci/install-deps.sh
// installs): the overview, a job's dataflow graph and subtasks, checkpoints,
// the taskmanager list and cancelling, against a cluster of real processes;
// and signing in with the REST token (rest.authentication.token-file).
// Screenshots go to the build's test-artifacts/web-ui/.

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/local_cluster.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

/// Runs tests/browser/`script` with `args` under node, with playwright-core
/// from where ci/install-deps.sh puts it.
process_result run_browser(const std::string& script, std::vector<std::string> args) {
  const std::string modules = "/var/cache/flink-cpp/npm/node_modules";
  BOOST_REQUIRE_MESSAGE(fs::exists(modules + "/playwright-core"), "playwright-core is missing from "
                                                                    << modules
                                                                    << ": run ci/install-deps.sh");
  ::setenv("NODE_PATH", modules.c_str(), 1);
  args.insert(args.begin(),
              {"/usr/bin/node", std::string{FLINKCPP_TESTS_DIR} + "/browser/" + script});
  return run_process(args);
}

/// Where the browser tests put their screenshots.
std::string screenshots() {
  auto shots = std::string{FLINKCPP_ARTIFACT_DIR} + "/web-ui";
  fs::create_directories(shots);
  return shots;
}

} // namespace

BOOST_AUTO_TEST_SUITE(web_ui)

BOOST_AUTO_TEST_CASE(the_dashboard_shows_and_cancels_a_running_job) {
  temp_dir dir;
  local_cluster cluster{
    {"execution.checkpointing.interval=200ms", "state.checkpoints.dir=" + dir.file("checkpoints")}};
  cluster.start_jobmanager();
  cluster.start_taskmanager(2);
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  auto r = run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "2",
                          FLINKCPP_METRICS_JOB, "--emit", "1000000", "--rate", "2000"});
  BOOST_REQUIRE(r.exit_code == 0);
  auto job = submitted_job_id(r);
  BOOST_REQUIRE(wait_until(
    [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}) == "RUNNING"; }));
  auto plan = cluster.get("/jobs/" + job + "/plan").second;
  std::string vertices;
  for (const auto& n : plan["plan"]["nodes"])
    vertices += (vertices.empty() ? "" : ",") + n["id"].get<std::string>() + ":" +
                std::to_string(n["parallelism"].get<int>());
  auto shots = screenshots();
  auto browser =
    run_browser("web_ui.cjs", {"http://" + cluster.rest_address(), job, vertices, shots});
  BOOST_TEST(browser.exit_code == 0, browser.out << browser.err);
  for (const char* shot : {"overview.png", "job.png", "subtasks.png", "checkpoints.png",
                           "taskmanagers.png", "canceled.png"})
    BOOST_TEST(fs::exists(shots + "/" + shot), shot);
  BOOST_TEST(cluster.get("/jobs/" + job).second["state"] == "CANCELED");
}

BOOST_AUTO_TEST_CASE(the_dashboard_asks_for_the_rest_token_once_per_browser_session) {
  temp_dir dir;
  write_file(dir.file("token"), "dashboard-5e2a\n");
  local_cluster cluster{{"rest.authentication.token-file=" + dir.file("token")}};
  cluster.start_jobmanager();
  cluster.start_taskmanager(1);
  cluster.use_token("dashboard-5e2a");
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto shots = screenshots();
  auto browser = run_browser("web_ui_sign_in.cjs",
                             {"http://" + cluster.rest_address(), "dashboard-5e2a", shots});
  BOOST_TEST(browser.exit_code == 0, browser.out << browser.err);
  for (const char* shot : {"sign-in.png", "signed-in.png"})
    BOOST_TEST(fs::exists(shots + "/" + shot), shot);
}

BOOST_AUTO_TEST_CASE(the_page_and_its_assets_are_served_without_files_or_network) {
  local_cluster cluster;
  cluster.start_jobmanager();
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(0));
  for (const char* path : {"/web/app.js", "/web/style.css"})
    BOOST_TEST(cluster.request("GET", path).first == 200, path);
  BOOST_TEST(cluster.request("GET", "/web/missing.js").first == 404);
}

BOOST_AUTO_TEST_SUITE_END()

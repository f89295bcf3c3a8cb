// The chart on a real Kubernetes: ci/build-image.sh builds the engine image
// (cached), ci/k8s/cluster-up.sh starts a single-node Kubernetes 1.20 in a
// network namespace of its own and imports the image; then real `helm
// install`, `helm upgrade` (rescales), `helm test`, `helm uninstall` and pod
// deletions, and checks of what the jobs wrote. ci/k8s/cluster-down.sh tears everything down by PID
// at the end. Slow (the first run builds Kubernetes and the image): ctest
// -L k8s runs this tier alone.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/sequence_output.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"
#include "support/word_reference.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string project = FLINKCPP_PROJECT_DIR;
const std::string tools = "/var/cache/flink-cpp/tools";

/// The last line of `text`.
std::string last_line(const std::string& text) {
  auto lines = lines_of(text);
  return lines.empty() ? std::string{} : lines.back();
}

/// One cluster for the whole module: up before the first test, down after
/// the last.
struct kubernetes_cluster {
  temp_dir dir{temp_dir::disk_base()};
  std::string state = dir.file("cluster");
  std::string netns;

  kubernetes_cluster() {
    for (const char* v : {"HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"})
      ::setenv(v, dir.file(v).c_str(), 1);
    ::setenv("KUBECONFIG", (state + "/kubeconfig").c_str(), 1);
    auto image = run_process({project + "/ci/build-image.sh"});
    BOOST_REQUIRE_MESSAGE(image.exit_code == 0, "ci/build-image.sh failed: " << image.err);
    auto up = run_process({project + "/ci/k8s/cluster-up.sh", state, last_line(image.out)});
    if (up.exit_code != 0)
      run_process({project + "/ci/k8s/cluster-down.sh", state}); // what did start
    BOOST_REQUIRE_MESSAGE(up.exit_code == 0, "ci/k8s/cluster-up.sh failed: " << up.out << up.err);
    netns = last_line(read_file(state + "/netns"));
  }

  ~kubernetes_cluster() { run_process({project + "/ci/k8s/cluster-down.sh", state}); }

  /// A tool run inside the cluster's network namespace.
  process_result in_cluster(const std::string& tool, std::vector<std::string> args) const {
    args.insert(args.begin(), {"/usr/bin/nsenter", "--net=/run/netns/" + netns, tools + "/" + tool});
    return run_process(args);
  }
  process_result kubectl(std::vector<std::string> args) const {
    return in_cluster("kubectl", std::move(args));
  }
  process_result helm(std::vector<std::string> args) const {
    return in_cluster("helm", std::move(args));
  }

  /// A namespace and a hostPath volume for a release's claim; returns the
  /// volume's folder (on this machine).
  std::string prepare_release(const std::string& ns) const {
    auto folder = state + "/volumes/" + ns;
    fs::create_directories(folder);
    fs::permissions(folder, fs::perms::all); // the pods run as uid 9999
    auto pv = dir.file(ns + "-pv.yaml");
    write_file(pv, "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: " + ns +
                     "-data}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n"
                     "  persistentVolumeReclaimPolicy: Retain\n  hostPath: {path: " +
                     folder + "}\n");
    BOOST_REQUIRE(kubectl({"apply", "-f", pv}).exit_code == 0);
    BOOST_REQUIRE(kubectl({"create", "namespace", ns}).exit_code == 0);
    return folder;
  }

  std::string logs(const std::string& ns, const std::string& what) const {
    return kubectl({"-n", ns, "logs", what}).out;
  }

  /// Builds an image of job libraries on the engine image (as a user
  /// would) and imports it into the cluster's containerd.
  void import_job_image(const std::string& name, const std::vector<std::string>& libraries) const {
    std::vector<std::string> args{project + "/ci/build-job-image.sh", name,
                                  dir.file("jobs.oci.tar")};
    args.insert(args.end(), libraries.begin(), libraries.end());
    auto built = run_process(args);
    BOOST_REQUIRE_MESSAGE(built.exit_code == 0, built.err);
    auto imported = run_process({"/usr/bin/ctr", "--address", state + "/containerd.sock", "-n",
                                 "k8s.io", "images", "import", last_line(built.out)});
    BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  }
};

kubernetes_cluster* cluster = nullptr;

struct cluster_holder {
  cluster_holder() { cluster = new kubernetes_cluster; }
  ~cluster_holder() { delete cluster; }
};

} // namespace

BOOST_TEST_GLOBAL_FIXTURE(cluster_holder);

BOOST_AUTO_TEST_SUITE(kubernetes)

BOOST_AUTO_TEST_CASE(wordcount_runs_as_an_application_and_writes_the_exact_counts) {
  auto volume = cluster->prepare_release("wc");
  auto installed = cluster->helm({"install", "wc", project + "/charts/flink-cpp", "-n", "wc", "-f",
                                  project + "/values-examples/wordcount.yaml", "--wait",
                                  "--timeout", "180s"});
  BOOST_REQUIRE_MESSAGE(installed.exit_code == 0, installed.out << installed.err);
  auto output = volume + "/wordcount-out";
  BOOST_REQUIRE_MESSAGE(wait_until([&] { return fs::exists(output); }, 120s, 500ms),
                        cluster->logs("wc", "deploy/wc-flink-cpp-jobmanager")
                          << cluster->logs("wc", "deploy/wc-flink-cpp-taskmanager")
                          << cluster->kubectl({"get", "pods", "-A", "-o", "wide"}).out);
  // The same job on the embedded mini-cluster is the reference.
  temp_dir local;
  auto reference = run_flink_cpp({"run", "-t", "local", "-p", "2", "-D",
                                  "execution.runtime-mode=BATCH", "wordcount", "--output",
                                  local.file("counts")});
  BOOST_REQUIRE(reference.exit_code == 0);
  auto counts = final_counts(output);
  BOOST_TEST(counts.size() > 50u);
  BOOST_TEST(counts == final_counts(local.file("counts")));
  BOOST_TEST(counts["to"] > 0);

  auto tested = cluster->helm({"test", "wc", "-n", "wc", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);
  BOOST_TEST(tested.out.find("OK: 1 taskmanagers with 2 slots, job ") != std::string::npos,
             tested.out);

  // helm uninstall leaves nothing of the release but the checkpoint claim.
  auto removed = cluster->helm({"uninstall", "wc", "-n", "wc", "--wait"});
  BOOST_TEST(removed.exit_code == 0, removed.err);
  // (Pods go once the garbage collector has followed their owners.)
  auto left = [&] {
    return lines_of(cluster
                      ->kubectl({"-n", "wc", "get",
                                 "deployments,statefulsets,services,configmaps,serviceaccounts,"
                                 "pods,jobs,poddisruptionbudgets,persistentvolumeclaims",
                                 "-l", "app.kubernetes.io/instance=wc", "-o", "name"})
                      .out);
  };
  const std::vector<std::string> claim_only{"persistentvolumeclaim/wc-flink-cpp-data"};
  BOOST_TEST(wait_until([&] { return left() == claim_only; }, 120s, 1s));
  BOOST_TEST(left() == claim_only);
}

BOOST_AUTO_TEST_CASE(a_deleted_jobmanager_pod_is_replaced_and_the_job_resumes_from_its_checkpoint) {
  cluster->prepare_release("ha");
  auto installed = cluster->helm(
    {"install", "ha", project + "/charts/flink-cpp", "-n", "ha", "-f",
     project + "/values-examples/rescale.yaml", "--set", "taskManager.replicas=1", "--set",
     "flinkConfiguration.execution\\.checkpointing\\.interval=1s", "--wait", "--timeout", "180s"});
  BOOST_REQUIRE_MESSAGE(installed.exit_code == 0, installed.out << installed.err);
  auto jobmanager_logs = [&] { return cluster->logs("ha", "deploy/ha-flink-cpp-jobmanager"); };
  BOOST_REQUIRE_MESSAGE(wait_until([&] { return jobmanager_logs().find("Completed checkpoint") !=
                                                  std::string::npos; },
                                   120s, 1s),
                        jobmanager_logs());
  auto deleted = cluster->kubectl(
    {"-n", "ha", "delete", "pod", "-l", "app.kubernetes.io/component=jobmanager", "--wait=true"});
  BOOST_REQUIRE(deleted.exit_code == 0);
  // The replacement finds the job's newest checkpoint on the claim.
  BOOST_TEST(wait_until([&] { return jobmanager_logs().find("resumes from checkpoint") !=
                                     std::string::npos; },
                        120s, 1s),
             jobmanager_logs());
  auto tested = cluster->helm({"test", "ha", "-n", "ha", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err << jobmanager_logs()
                                               << cluster->logs("ha", "deploy/ha-flink-cpp-taskmanager"));
  BOOST_TEST(cluster->helm({"uninstall", "ha", "-n", "ha", "--wait"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(helm_upgrades_rescale_a_stateful_job_without_loss_or_duplicates) {
  // The exactly-once test job: per-key sequences checked in keyed state,
  // written by an exactly-once file sink.
  constexpr int keys = 20;
  constexpr int per_key = 1500; // 30000 events at 400 per second: about 75 s
  cluster->import_job_image("localhost/flink-cpp-test-jobs:0.1.0", {FLINKCPP_EXACTLY_ONCE_JOB});
  auto volume = cluster->prepare_release("scale");
  auto values = cluster->dir.file("scale.yaml");
  write_file(values, "image: {repository: localhost/flink-cpp-test-jobs, pullPolicy: Never}\n"
                     "taskManager: {replicas: 2, slots: 1}\n"
                     "flinkConfiguration:\n"
                     "  execution.checkpointing.interval: 1s\n"
                     "  jobmanager.adaptive-scheduler.resource-stabilization-timeout: 2s\n"
                     "job:\n"
                     "  jarURI: local:///opt/flink-cpp/usrlib/" +
                       fs::path{FLINKCPP_EXACTLY_ONCE_JOB}.filename().string() + "\n" +
                     "  args: [--output, /flink-data/out, --keys, \"" + std::to_string(keys) +
                     "\", --per-key, \"" + std::to_string(per_key) + "\", --rate, \"400\"]\n");
  auto chart = project + "/charts/flink-cpp";
  auto installed = cluster->helm({"install", "scale", chart, "-n", "scale", "-f", values, "--wait",
                                  "--timeout", "180s"});
  BOOST_REQUIRE_MESSAGE(installed.exit_code == 0, installed.out << installed.err);
  auto jobmanager_logs = [&] { return cluster->logs("scale", "deploy/scale-flink-cpp-jobmanager"); };
  auto logged = [&](const std::string& text, std::size_t after = 0) {
    return wait_until([&] { return jobmanager_logs().find(text, after) != std::string::npos; },
                      180s, 1s);
  };
  BOOST_REQUIRE_MESSAGE(logged("runs with parallelism 2"), jobmanager_logs());
  BOOST_REQUIRE_MESSAGE(logged("Completed checkpoint"), jobmanager_logs());
  // 2 -> 3 -> 2 taskmanagers with helm alone; the job follows in place.
  for (int replicas : {3, 2}) {
    auto before = jobmanager_logs().size();
    auto upgraded = cluster->helm({"upgrade", "scale", chart, "-n", "scale", "--reuse-values",
                                   "--set", "taskManager.replicas=" + std::to_string(replicas),
                                   "--wait", "--timeout", "180s"});
    BOOST_REQUIRE_MESSAGE(upgraded.exit_code == 0, upgraded.out << upgraded.err);
    BOOST_REQUIRE_MESSAGE(logged("runs with parallelism " + std::to_string(replicas), before),
                          jobmanager_logs());
  }
  auto tested = cluster->helm({"test", "scale", "-n", "scale", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);
  BOOST_REQUIRE_MESSAGE(logged("switched to FINISHED"), jobmanager_logs());
  // Every (key, sequence) exactly once, each key's state complete.
  BOOST_TEST(check_sequence_output(volume + "/out", keys, per_key) == "");
  BOOST_TEST(cluster->helm({"uninstall", "scale", "-n", "scale", "--wait"}).exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()

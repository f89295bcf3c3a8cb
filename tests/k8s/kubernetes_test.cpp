// The chart on a real Kubernetes: ci/build-image.sh builds the engine image
// (cached), ci/k8s/cluster-up.sh starts a single-node Kubernetes 1.20 in a
// network namespace of its own and imports the image; then real `helm
// install`, `helm upgrade` (rescales, changed jobs under each upgradeMode,
// suspend and resume), `helm test`, `helm uninstall` and pod deletions, with
// Helm 4 and (for the examples) Helm 3, and checks of what the jobs wrote.
// ci/k8s/cluster-down.sh tears everything down by PID at the end. Slow (the
// first run builds Kubernetes and the image): ctest -L k8s runs this tier
// alone.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
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
const std::string chart = project + "/charts/flink-cpp";
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
    args.insert(args.begin(),
                {"/usr/bin/nsenter", "--net=/run/netns/" + netns, tools + "/" + tool});
    return run_process(args);
  }
  process_result kubectl(std::vector<std::string> args) const {
    return in_cluster("kubectl", std::move(args));
  }
  process_result helm(std::vector<std::string> args) const {
    return in_cluster("helm", std::move(args));
  }

  /// `helm install NAME <chart> -n NAME -f VALUES --wait` with `tool` (helm
  /// or helm3); requires success.
  void install(const std::string& name, const std::string& values,
               const std::string& tool = "helm") const {
    auto installed = in_cluster(
      tool, {"install", name, chart, "-n", name, "-f", values, "--wait", "--timeout", "180s"});
    BOOST_REQUIRE_MESSAGE(installed.exit_code == 0, installed.out << installed.err);
  }

  /// `helm upgrade NAME <chart> -n NAME --reuse-values CHANGES... --wait`;
  /// requires success.
  void upgrade(const std::string& name, const std::vector<std::string>& changes) const {
    std::vector<std::string> args{"upgrade", name, chart, "-n", name, "--reuse-values"};
    args.insert(args.end(), changes.begin(), changes.end());
    args.insert(args.end(), {"--wait", "--timeout", "180s"});
    auto upgraded = helm(args);
    BOOST_REQUIRE_MESSAGE(upgraded.exit_code == 0, upgraded.out << upgraded.err);
  }

  /// A hostPath PersistentVolume `name` (1Gi) for a claim to bind; returns
  /// its folder (on this machine).
  std::string add_volume(const std::string& name) const {
    auto folder = state + "/volumes/" + name;
    fs::create_directories(folder);
    fs::permissions(folder, fs::perms::all); // the pods run as uid 9999
    auto pv = dir.file(name + "-pv.yaml");
    write_file(pv, "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: " + name +
                     "}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n"
                     "  persistentVolumeReclaimPolicy: Retain\n  hostPath: {path: " +
                     folder + "}\n");
    BOOST_REQUIRE(kubectl({"apply", "-f", pv}).exit_code == 0);
    return folder;
  }

  /// A namespace and a volume for a release's claim; returns the volume's
  /// folder.
  std::string prepare_release(const std::string& ns) const {
    auto folder = add_volume(ns + "-data");
    BOOST_REQUIRE(kubectl({"create", "namespace", ns}).exit_code == 0);
    return folder;
  }

  /// The log of the jobmanager of release `name` (in namespace `name`).
  std::string jobmanager_logs(const std::string& name) const {
    return logs(name, "deploy/" + name + "-flink-cpp-jobmanager");
  }

  /// Waits until that log shows `text` (at or after `after`).
  bool jobmanager_logged(const std::string& name, const std::string& text, std::size_t after = 0,
                         std::chrono::seconds limit = std::chrono::seconds{180}) const {
    return wait_until([&] { return jobmanager_logs(name).find(text, after) != std::string::npos; },
                      limit, 1s);
  }

  /// The names (kind/name) of objects of `kinds` in namespace `ns` matching
  /// label selector `selector`.
  std::vector<std::string> objects(const std::string& ns, const std::string& kinds,
                                   const std::string& selector) const {
    auto r = kubectl({"-n", ns, "get", kinds, "-l", selector, "-o", "name"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return lines_of(r.out);
  }

  /// Waits until all that is left of release `name` (in namespace `name`,
  /// of the kinds the chart creates and `more`) is `expected`; returns
  /// whether it came to that. (Pods go once the garbage collector has
  /// followed their owners.)
  bool left_of_release(const std::string& name, const std::vector<std::string>& expected,
                       const std::string& more = "") const {
    auto left = [&] {
      return objects(name,
                     "deployments,statefulsets,services,configmaps,serviceaccounts,pods,jobs,"
                     "poddisruptionbudgets,networkpolicies,persistentvolumeclaims" +
                       more,
                     "app.kubernetes.io/instance=" + name);
    };
    auto done = wait_until([&] { return left() == expected; }, 120s, 1s);
    BOOST_TEST(left() == expected);
    return done;
  }

  std::string logs(const std::string& ns, const std::string& what) const {
    return kubectl({"-n", ns, "logs", what}).out;
  }

  /// Values of a release running the exactly-once test job with `args`
  /// (from an image of the test jobs built on the engine image, as a user
  /// would build one, imported into the cluster on first use) and `more`
  /// (other top-level keys than image and job).
  std::string exactly_once_values(const std::string& name, const std::string& args,
                                  const std::string& more = "") {
    import_test_jobs_image();
    auto values = dir.file(name + ".yaml");
    write_file(values, "image: {repository: localhost/flink-cpp-test-jobs, pullPolicy: Never}\n"
                       "job:\n  jarURI: local:///opt/flink/usrlib/" +
                         fs::path{FLINKCPP_EXACTLY_ONCE_JOB}.filename().string() +
                         "\n  args: " + args + "\n" + more);
    return values;
  }

  /// The image of the test jobs and tools (the exactly-once test job's
  /// library and kafka_mock_server in /opt/flink/usrlib), built on the
  /// engine image and imported into the cluster on first use.
  const std::string test_jobs_image = "localhost/flink-cpp-test-jobs:0.1.0";

  void import_test_jobs_image() {
    if (test_jobs_imported)
      return;
    auto built =
      run_process({project + "/ci/build-job-image.sh", test_jobs_image, dir.file("jobs.oci.tar"),
                   FLINKCPP_EXACTLY_ONCE_JOB, FLINKCPP_KAFKA_MOCK_SERVER});
    BOOST_REQUIRE_MESSAGE(built.exit_code == 0, built.err);
    auto imported = run_process({"/usr/bin/ctr", "--address", state + "/containerd.sock", "-n",
                                 "k8s.io", "images", "import", last_line(built.out)});
    BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    test_jobs_imported = true;
  }

private:
  bool test_jobs_imported = false;
};

/// The exactly-once test job's arguments (a YAML list): `keys` x `per_key`
/// events at `rate` per second into `output` on the release's volume.
std::string sequence_args(const std::string& output, int keys, int per_key, int rate) {
  return "[--output, /flink-data/" + output + ", --keys, \"" + std::to_string(keys) +
         "\", --per-key, \"" + std::to_string(per_key) + "\", --rate, \"" + std::to_string(rate) +
         "\"]";
}

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
  cluster->install("wc", project + "/values-examples/wordcount.yaml");
  auto output = volume + "/wordcount-out";
  BOOST_REQUIRE_MESSAGE(wait_until([&] { return fs::exists(output); }, 120s, 500ms),
                        cluster->jobmanager_logs("wc")
                          << cluster->logs("wc", "deploy/wc-flink-cpp-taskmanager")
                          << cluster->kubectl({"get", "pods", "-A", "-o", "wide"}).out);
  // The same job on the embedded mini-cluster is the reference.
  temp_dir local;
  auto reference =
    run_flink_cpp({"run", "-t", "local", "-p", "2", "-D", "execution.runtime-mode=BATCH",
                   "wordcount", "--output", local.file("counts")});
  BOOST_REQUIRE(reference.exit_code == 0);
  auto counts = final_counts(output);
  BOOST_TEST(counts.size() > 50u);
  BOOST_TEST(counts == final_counts(local.file("counts")));
  BOOST_TEST(counts["to"] > 0);

  auto tested = cluster->helm({"test", "wc", "-n", "wc", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);
  BOOST_TEST(tested.out.find("OK: 1 taskmanagers with 2 slots, job ") != std::string::npos,
             tested.out);
  // Secure by default: HTTPS with the release's CA and the token of its
  // Secret; plain HTTP and a request without the token are refused. (The
  // engine's CLI in the cluster's network namespace, at the jobmanager pod's
  // IP, which the certificate does not name.)
  auto secret = [&](const std::string& name, const std::string& key) {
    auto r =
      cluster->kubectl({"-n", "wc", "get", "secret", name, "-o", "jsonpath={.data." + key + "}"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto file = cluster->dir.file(name + ".secret");
    write_file(file + ".b64", r.out);
    auto decoded = run_process({"/usr/bin/base64", "-d", file + ".b64"});
    BOOST_REQUIRE_MESSAGE(decoded.exit_code == 0, decoded.err);
    write_file(file, decoded.out);
    return file;
  };
  auto ca = secret("wc-flink-cpp-tls", "ca\\.crt");
  auto token = secret("wc-flink-cpp-rest-token", "token");
  auto ip = cluster
              ->kubectl({"-n", "wc", "get", "pods", "-l", "app.kubernetes.io/component=jobmanager",
                         "-o", "jsonpath={.items[0].status.podIP}"})
              .out;
  auto cli = [&](const std::string& scheme, std::vector<std::string> properties) {
    std::vector<std::string> args{"/usr/bin/nsenter",
                                  "--net=/run/netns/" + cluster->netns,
                                  FLINKCPP_BINARY,
                                  "list",
                                  "-a",
                                  "-m",
                                  scheme + "://" + ip + ":8081"};
    for (auto& p : properties) {
      args.push_back("-D");
      args.push_back(std::move(p));
    }
    return run_process(args);
  };
  auto https = std::vector<std::string>{"security.ssl.rest.truststore=" + ca,
                                        "security.ssl.verify-hostname=false"};
  auto with_token = https;
  with_token.push_back("rest.authentication.token-file=" + token);
  auto listed = cli("https", with_token);
  BOOST_TEST(listed.exit_code == 0, listed.out << listed.err);
  BOOST_TEST(listed.out.find("(FINISHED)") != std::string::npos, listed.out);
  auto no_token = cli("https", https);
  BOOST_TEST(no_token.exit_code == 1);
  BOOST_TEST(no_token.err.find("Authorization: Bearer <token>") != std::string::npos, no_token.err);
  auto plain = cli("http", {});
  BOOST_TEST(plain.exit_code == 1);
  BOOST_TEST(cluster->jobmanager_logged("wc", "it sent plain HTTP (this port speaks HTTPS)"),
             cluster->jobmanager_logs("wc"));
  // Least privilege: the pods' ServiceAccount may do nothing with the API.
  for (const std::string what : {"pods", "configmaps", "secrets", "deployments"}) {
    auto allowed = cluster->kubectl(
      {"-n", "wc", "auth", "can-i", "get", what, "--as=system:serviceaccount:wc:wc-flink-cpp"});
    BOOST_TEST(allowed.out == "no\n", what << ": " << allowed.out << allowed.err);
  }

  // helm uninstall leaves nothing of the release but the checkpoint claim.
  auto removed = cluster->helm({"uninstall", "wc", "-n", "wc", "--wait"});
  BOOST_TEST(removed.exit_code == 0, removed.err);
  BOOST_TEST(cluster->left_of_release("wc", {"persistentvolumeclaim/wc-flink-cpp-data"}));
}

BOOST_AUTO_TEST_CASE(flinks_own_session_manifests_run_the_image_with_only_the_image_changed) {
  // tests/k8s/flink-session: Flink's documented ConfigMap (flink-conf.yaml
  // with JVM, BLOB and queryable-state keys), jobmanager Service and
  // Deployment, two taskmanager replicas whose host names resolve nowhere.
  const std::string ns = "flink";
  BOOST_REQUIRE(cluster->kubectl({"create", "namespace", ns}).exit_code == 0);
  auto applied = cluster->kubectl({"-n", ns, "apply", "-f", project + "/tests/k8s/flink-session"});
  BOOST_REQUIRE_MESSAGE(applied.exit_code == 0, applied.out << applied.err);
  auto rolled = cluster->kubectl({"-n", ns, "rollout", "status", "deploy/flink-jobmanager",
                                  "deploy/flink-taskmanager", "--timeout", "180s"});
  BOOST_REQUIRE_MESSAGE(rolled.exit_code == 0, rolled.out << rolled.err);
  auto jobmanager_log = [&] { return cluster->logs(ns, "deploy/flink-jobmanager"); };
  auto registered = [&] {
    std::vector<std::string> lines;
    for (const auto& line : lines_of(jobmanager_log()))
      if (line.find("Registered TaskManager") != std::string::npos)
        lines.push_back(line);
    return lines;
  };
  BOOST_REQUIRE_MESSAGE(wait_until([&] { return registered().size() == 2u; }, 120s, 1s),
                        jobmanager_log()
                          << cluster->logs(ns, "deploy/flink-taskmanager")
                          << cluster->kubectl({"-n", ns, "get", "pods", "-o", "wide"}).out);
  // Each taskmanager announces its pod's IP (the address that routes to the
  // jobmanager), as Flink's does without taskmanager.host.
  auto pod_ips = cluster->kubectl({"-n", ns, "get", "pods", "-l", "component=taskmanager", "-o",
                                   "jsonpath={range .items[*]}{.status.podIP}{\"\\n\"}{end}"});
  auto ips = lines_of(pod_ips.out);
  BOOST_REQUIRE_EQUAL(ips.size(), 2u);
  for (const auto& ip : ips) {
    auto lines = registered();
    BOOST_TEST(std::count_if(lines.begin(), lines.end(),
                             [&](const std::string& line) {
                               return line.find(" at " + ip + ":") != std::string::npos;
                             }) == 1,
               ip << " in " << jobmanager_log());
  }
  // WordCount submitted as Flink's docs submit a job, from a client pod
  // through the jobmanager Service, on all four slots: words cross between
  // the taskmanagers.
  auto started = cluster->kubectl({"-n", ns, "run", "flink-client",
                                   "--image=localhost/flink-cpp:0.1.0", "--restart=Never",
                                   "--command", "--", "flink", "run", "-m", "flink-jobmanager:8081",
                                   "-p", "4", "-D", "execution.runtime-mode=BATCH", "wordcount"});
  BOOST_REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  auto phase = [&] {
    return cluster
      ->kubectl({"-n", ns, "get", "pod", "flink-client", "-o", "jsonpath={.status.phase}"})
      .out;
  };
  BOOST_REQUIRE_MESSAGE(
    wait_until([&] { return phase() == "Succeeded" || phase() == "Failed"; }, 180s, 1s),
    phase() << jobmanager_log());
  auto run = cluster->kubectl({"-n", ns, "logs", "flink-client"});
  BOOST_REQUIRE_MESSAGE(phase() == "Succeeded", run.out << run.err << jobmanager_log());
  BOOST_TEST(run.out.find("Job has been submitted with JobID ") != std::string::npos, run.out);
  BOOST_TEST(run.out.find("has finished.") != std::string::npos, run.out);
  auto reference = run_flink_cpp(
    {"run", "-t", "local", "-p", "4", "-D", "execution.runtime-mode=BATCH", "wordcount"});
  BOOST_REQUIRE(reference.exit_code == 0);
  auto expected = printed_counts(reference.out);
  BOOST_REQUIRE(expected.size() > 50u);
  std::map<std::string, std::int64_t> printed;
  for (const auto& pod : cluster->objects(ns, "pods", "component=taskmanager")) {
    auto counts = printed_counts(cluster->logs(ns, pod));
    BOOST_TEST(!counts.empty(), pod << " printed nothing");
    for (const auto& [word, count] : counts)
      BOOST_TEST(printed.emplace(word, count).second, word << " printed by both taskmanagers");
  }
  BOOST_TEST(printed == expected);
  BOOST_TEST(jobmanager_log().find("queryable-state.proxy.ports (queryable state") !=
               std::string::npos,
             jobmanager_log());
  auto removed = cluster->kubectl({"delete", "namespace", ns, "--wait=true"});
  BOOST_TEST(removed.exit_code == 0, removed.err);
}

BOOST_AUTO_TEST_CASE(a_deleted_jobmanager_pod_is_replaced_and_the_job_resumes_from_its_checkpoint) {
  cluster->prepare_release("ha");
  cluster->install("ha", project + "/values-examples/rescale.yaml");
  auto jobmanager_logs = [&] { return cluster->jobmanager_logs("ha"); };
  BOOST_REQUIRE_MESSAGE(cluster->jobmanager_logged("ha", "Completed checkpoint", 0, 120s),
                        jobmanager_logs());
  auto deleted = cluster->kubectl(
    {"-n", "ha", "delete", "pod", "-l", "app.kubernetes.io/component=jobmanager", "--wait=true"});
  BOOST_REQUIRE(deleted.exit_code == 0);
  // The replacement finds the job's newest checkpoint on the claim.
  BOOST_TEST(cluster->jobmanager_logged("ha", "resumes from checkpoint", 0, 120s),
             jobmanager_logs());
  auto tested = cluster->helm({"test", "ha", "-n", "ha", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out
                                      << tested.err << jobmanager_logs()
                                      << cluster->logs("ha", "deploy/ha-flink-cpp-taskmanager"));
  BOOST_TEST(cluster->helm({"uninstall", "ha", "-n", "ha", "--wait"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(helm_upgrades_rescale_a_stateful_job_without_loss_or_duplicates) {
  // The exactly-once test job: per-key sequences checked in keyed state,
  // written by an exactly-once file sink.
  constexpr int keys = 20;
  constexpr int per_key = 1500; // 30000 events at 400 per second: about 75 s
  auto volume = cluster->prepare_release("scale");
  auto values = cluster->exactly_once_values(
    "scale", sequence_args("out", keys, per_key, 400),
    "taskManager: {replicas: 2, slots: 1}\n"
    "flinkConfiguration:\n"
    "  execution.checkpointing.interval: 1s\n"
    "  jobmanager.adaptive-scheduler.resource-stabilization-timeout: 2s\n");
  cluster->install("scale", values);
  auto jobmanager_logs = [&] { return cluster->jobmanager_logs("scale"); };
  BOOST_REQUIRE_MESSAGE(cluster->jobmanager_logged("scale", "runs with parallelism 2"),
                        jobmanager_logs());
  BOOST_REQUIRE_MESSAGE(cluster->jobmanager_logged("scale", "Completed checkpoint"),
                        jobmanager_logs());
  // 2 -> 3 -> 2 taskmanagers with helm alone; the job follows in place.
  for (int replicas : {3, 2}) {
    auto before = jobmanager_logs().size();
    cluster->upgrade("scale", {"--set", "taskManager.replicas=" + std::to_string(replicas)});
    BOOST_REQUIRE_MESSAGE(cluster->jobmanager_logged(
                            "scale", "runs with parallelism " + std::to_string(replicas), before),
                          jobmanager_logs());
  }
  auto tested = cluster->helm({"test", "scale", "-n", "scale", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);
  BOOST_REQUIRE_MESSAGE(cluster->jobmanager_logged("scale", "switched to FINISHED"),
                        jobmanager_logs());
  // Every (key, sequence) exactly once, each key's state complete.
  BOOST_TEST(check_sequence_output(volume + "/out", keys, per_key) == "");
  BOOST_TEST(cluster->helm({"uninstall", "scale", "-n", "scale", "--wait"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(upgrades_that_change_the_job_restore_it_as_its_upgrade_mode_says) {
  constexpr int keys = 20;
  constexpr int per_key = 1500; // 30000 events at 250-300 per second: about 110 s running
  auto volume = cluster->prepare_release("life");
  auto values = cluster->exactly_once_values("life", sequence_args("out", keys, per_key, 300),
                                             "taskManager: {replicas: 1, slots: 2}\n"
                                             "flinkConfiguration:\n"
                                             "  execution.checkpointing.interval: 1s\n");
  cluster->install("life", values); // upgradeMode savepoint: the default
  auto jobmanager_logs = [&] { return cluster->jobmanager_logs("life"); };
  auto logged = [&](const std::string& text) {
    return cluster->jobmanager_logged("life", text, 0, 300s);
  };
  auto savepoints = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator{volume + "/savepoints"})
      names.push_back(e.path().filename().string());
    return names;
  };
  BOOST_REQUIRE_MESSAGE(logged("Completed checkpoint"), jobmanager_logs());

  // savepoint: a changed argument (the rate). The pre-upgrade hook stops the
  // job with a savepoint; the new jobmanager resumes from it.
  auto slower = cluster->dir.file("life-slower.yaml");
  write_file(slower, "job:\n  args: " + sequence_args("out", keys, per_key, 250) + "\n");
  cluster->upgrade("life", {"-f", slower});
  auto first = savepoints();
  BOOST_REQUIRE(first.size() == 1u);
  BOOST_REQUIRE_MESSAGE(logged("resumes from savepoint"), jobmanager_logs());
  BOOST_TEST(jobmanager_logs().find(first[0]) != std::string::npos, jobmanager_logs());
  auto running_args = cluster->kubectl({"-n", "life", "get", "deploy/life-flink-cpp-jobmanager",
                                        "-o", "jsonpath={.spec.template.spec.containers[0].args}"});
  BOOST_TEST(running_args.out.find("\"250\"") != std::string::npos, running_args.out);
  BOOST_REQUIRE_MESSAGE(logged("Completed checkpoint"), jobmanager_logs());

  // suspended: stopped with a savepoint, no pods; running: resumed from it.
  cluster->upgrade("life", {"--set", "job.state=suspended"});
  auto pods = [&] {
    return cluster->objects("life", "pods",
                            "app.kubernetes.io/component in (jobmanager,taskmanager)");
  };
  BOOST_TEST(wait_until([&] { return pods().empty(); }, 120s, 1s));
  auto both = savepoints();
  BOOST_REQUIRE(both.size() == 2u);
  auto second = both[0] == first[0] ? both[1] : both[0];
  cluster->upgrade("life", {"--set", "job.state=running"});
  BOOST_REQUIRE_MESSAGE(logged("resumes from savepoint"), jobmanager_logs());
  BOOST_TEST(jobmanager_logs().find(second) != std::string::npos, jobmanager_logs());
  BOOST_REQUIRE_MESSAGE(logged("Completed checkpoint"), jobmanager_logs());

  // last-state: a changed configuration. The old jobmanager suspends the
  // job; the new one resumes from its latest checkpoint.
  cluster->upgrade("life", {"--set", "job.upgradeMode=last-state", "--set",
                            "flinkConfiguration.execution\\.checkpointing\\.interval=2s"});
  BOOST_REQUIRE_MESSAGE(logged("resumes from checkpoint"), jobmanager_logs());
  BOOST_REQUIRE_MESSAGE(logged("switched to FINISHED"), jobmanager_logs());
  // Through four jobmanagers: every (key, sequence) once, the state complete.
  BOOST_TEST(check_sequence_output(volume + "/out", keys, per_key) == "");

  // stateless: a changed argument (the output) makes a new job that starts
  // afresh, restoring nothing.
  auto fresh = cluster->dir.file("life-fresh.yaml");
  write_file(fresh, "job:\n  upgradeMode: stateless\n  args: " +
                      sequence_args("fresh", keys, per_key, 0) + "\n");
  cluster->upgrade("life", {"-f", fresh});
  BOOST_REQUIRE_MESSAGE(logged("switched to FINISHED"), jobmanager_logs());
  BOOST_TEST(jobmanager_logs().find("resumes from") == std::string::npos, jobmanager_logs());
  BOOST_TEST(check_sequence_output(volume + "/fresh", keys, per_key) == "");
  auto tested = cluster->helm({"test", "life", "-n", "life", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);
  BOOST_TEST(cluster->helm({"uninstall", "life", "-n", "life", "--wait"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_job_the_jobmanager_cannot_run_is_logged_and_fails_helm_test) {
  // What the schema cannot see: a job that does not exist.
  cluster->prepare_release("bad");
  auto installed =
    cluster->helm({"install", "bad", chart, "-n", "bad", "-f",
                   project + "/values-examples/wordcount.yaml", "--set", "job.jarURI=wordcunt"});
  BOOST_REQUIRE_MESSAGE(installed.exit_code == 0, installed.out << installed.err);
  // The list of built-in jobs grows; the message names them after this.
  const std::string why = "unknown job 'wordcunt'; built-in jobs: ";
  auto jobmanager = "deploy/bad-flink-cpp-jobmanager";
  BOOST_TEST(wait_until(
               [&] {
                 return (cluster->logs("bad", jobmanager) +
                         cluster->kubectl({"-n", "bad", "logs", "--previous", jobmanager}).out)
                          .find(why) != std::string::npos;
               },
               120s, 1s),
             cluster->logs("bad", jobmanager));
  auto tested = cluster->helm({"test", "bad", "-n", "bad", "--logs"});
  BOOST_TEST(tested.exit_code != 0);
  BOOST_TEST(tested.out.find("cannot reach the jobmanager") != std::string::npos,
             tested.out << tested.err);
  BOOST_TEST(cluster->helm({"uninstall", "bad", "-n", "bad", "--wait"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(the_other_examples_install_as_they_are_with_helm_3) {
  auto helm3 = [&](std::vector<std::string> args) {
    return cluster->in_cluster("helm3", std::move(args));
  };
  // The prometheus-operator's kinds (its CRDs, without the operator), so
  // that the monitoring example's monitors and rules are created too.
  auto crds = cluster->dir.file("monitoring-crds.yaml");
  std::string text;
  for (const std::string kind : {"ServiceMonitor", "PodMonitor", "PrometheusRule"}) {
    auto plural = kind + "s";
    std::transform(plural.begin(), plural.end(), plural.begin(), ::tolower);
    text += "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            "metadata: {name: " +
            plural +
            ".monitoring.coreos.com}\n"
            "spec:\n  group: monitoring.coreos.com\n  scope: Namespaced\n"
            "  names: {kind: " +
            kind + ", plural: " + plural +
            "}\n"
            "  versions:\n  - name: v1\n    served: true\n    storage: true\n"
            "    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: "
            "true}}\n";
  }
  write_file(crds, text);
  BOOST_REQUIRE(cluster->kubectl({"apply", "-f", crds}).exit_code == 0);
  BOOST_REQUIRE(
    cluster->kubectl({"wait", "--for", "condition=established", "--timeout", "60s", "-f", crds})
      .exit_code == 0);

  for (const std::string example : {"session", "leveldb-state", "monitoring", "hardened", "sql"}) {
    BOOST_TEST_CONTEXT(example) {
      cluster->prepare_release(example);
      if (example == "leveldb-state")
        for (const auto* tm : {"-local-0", "-local-1"})
          cluster->add_volume(example + tm); // the taskmanagers' own claims
      cluster->install(example, project + "/values-examples/" + example + ".yaml", "helm3");
      // (Helm 3 deletes a test pod that succeeded before `--logs` can read
      // it; its success says that 2 taskmanagers with 4 slots registered.)
      auto tested = helm3({"test", example, "-n", example});
      BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);
      auto release = "app.kubernetes.io/instance=" + example;
      if (example == "session") {
        // The chart's submitting Job ran WordCount on the session cluster.
        BOOST_TEST(cluster->jobmanager_logged(example, "switched to FINISHED"),
                   cluster->jobmanager_logs(example));
      } else {
        BOOST_TEST(cluster->jobmanager_logged(example, "Completed checkpoint"),
                   cluster->jobmanager_logs(example));
      }
      if (example == "leveldb-state")
        BOOST_TEST(
          cluster->objects(example, "statefulsets", release) ==
          std::vector<std::string>{"statefulset.apps/leveldb-state-flink-cpp-taskmanager"});
      if (example == "monitoring")
        BOOST_TEST(cluster->objects(example, "servicemonitors,podmonitors,prometheusrules", release)
                     .size() == 3u);
      if (example == "hardened")
        BOOST_TEST(
          cluster->objects(example, "networkpolicies,poddisruptionbudgets", release).size() == 3u);
      auto removed = helm3({"uninstall", example, "-n", example, "--wait"});
      BOOST_TEST(removed.exit_code == 0, removed.err);
      // The checkpoint claim stays, and so do a StatefulSet's claims.
      std::vector<std::string> claims{"persistentvolumeclaim/" + example + "-flink-cpp-data"};
      if (example == "leveldb-state")
        for (const auto* tm : {"-0", "-1"})
          claims.push_back("persistentvolumeclaim/local-state-leveldb-state-flink-cpp-taskmanager" +
                           std::string{tm});
      BOOST_TEST(
        cluster->left_of_release(example, claims, ",servicemonitors,podmonitors,prometheusrules"));
    }
  }
}

BOOST_AUTO_TEST_CASE(the_kafka_example_counts_a_topics_words_exactly_once_into_another) {
  // A Kafka cluster in a pod of its own namespace: librdkafka's mock
  // cluster behind the tests' proxy, reached through the Service
  // kafka.kafka.svc.cluster.local:9092, the example's default servers.
  const std::string text = "To be, or not to be, that is the question:\n"
                           "Whether 'tis nobler in the mind to suffer\n"
                           "The slings and arrows of outrageous fortune,\n"
                           "Or to take arms against a sea of troubles\n"
                           "And by opposing end them. To die, to sleep;\n"
                           "No more; and by a sleep to say we end\n";
  auto input = cluster->dir.file("lines.txt");
  write_file(input, text);
  BOOST_REQUIRE(cluster->kubectl({"create", "namespace", "kafka"}).exit_code == 0);
  BOOST_REQUIRE(cluster
                  ->kubectl({"-n", "kafka", "create", "configmap", "kafka-input",
                             "--from-file=lines.txt=" + input})
                  .exit_code == 0);
  cluster->import_test_jobs_image();
  auto manifest = cluster->dir.file("kafka.yaml");
  write_file(manifest,
             "apiVersion: v1\nkind: Pod\nmetadata: {name: kafka, namespace: kafka, labels: {app: "
             "kafka}}\nspec:\n  containers:\n  - name: kafka\n    image: " +
               cluster->test_jobs_image +
               "\n    imagePullPolicy: Never\n"
               "    command: [/opt/flink/usrlib/kafka_mock_server, --host, "
               "kafka.kafka.svc.cluster.local, --port, \"9092\", --topic, \"lines:2\", --topic, "
               "\"word-counts:2\", --input, lines, /input/lines.txt, --report, word-counts]\n"
               "    ports: [{containerPort: 9092, protocol: TCP}]\n"
               "    volumeMounts: [{name: input, mountPath: /input}]\n"
               "  volumes: [{name: input, configMap: {name: kafka-input}}]\n"
               "---\napiVersion: v1\nkind: Service\nmetadata: {name: kafka, namespace: kafka}\n"
               "spec:\n  selector: {app: kafka}\n"
               "  ports: [{port: 9092, targetPort: 9092, protocol: TCP}]\n");
  BOOST_REQUIRE(cluster->kubectl({"apply", "-f", manifest}).exit_code == 0);
  auto kafka_log = [&] { return cluster->logs("kafka", "pod/kafka"); };
  BOOST_REQUIRE_MESSAGE(
    wait_until([&] { return kafka_log().find("serving") != std::string::npos; }, 120s, 1s),
    kafka_log() << cluster->kubectl({"-n", "kafka", "describe", "pod", "kafka"}).out);

  // The example as it is: kafka-wordcount, exactly once, on 2 taskmanagers.
  cluster->prepare_release("kafka-example");
  cluster->install("kafka-example", project + "/values-examples/kafka.yaml");
  auto tested = cluster->helm({"test", "kafka-example", "-n", "kafka-example", "--logs"});
  BOOST_TEST(tested.exit_code == 0, tested.out << tested.err);

  // Every update once, committed: as many records as words, the last of
  // each word its count.
  auto counts = reference_word_counts(text);
  std::int64_t words = 0;
  std::string expected;
  for (const auto& [word, count] : counts) {
    words += count;
    expected += " (" + word + "," + std::to_string(count) + ")";
  }
  expected = "committed word-counts: " + std::to_string(words) + " records:" + expected + "\n";
  BOOST_TEST(wait_until([&] { return kafka_log().find(expected) != std::string::npos; }, 180s, 1s),
             "expected " << expected << "kafka's log:\n"
                         << kafka_log() << "jobmanager's log:\n"
                         << cluster->jobmanager_logs("kafka-example"));
  BOOST_TEST(cluster->jobmanager_logged("kafka-example", "Completed checkpoint"));
  BOOST_TEST(kafka_log().find("proxy problem") == std::string::npos, kafka_log());

  auto removed = cluster->helm({"uninstall", "kafka-example", "-n", "kafka-example", "--wait"});
  BOOST_TEST(removed.exit_code == 0, removed.err);
  BOOST_TEST(cluster->kubectl({"delete", "namespace", "kafka", "--wait=false"}).exit_code == 0);
}

BOOST_AUTO_TEST_SUITE_END()

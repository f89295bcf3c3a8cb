// The Helm chart, offline: `helm lint --strict`, every values-example
// rendered and validated against the Kubernetes API schemas (npm's
// kubernetes-models), the schema refusing bad values with a message naming
// the key, and what the templates promise: config.yaml the engine accepts,
// the restricted securityContext everywhere, ports with their protocol, API
// versions chosen by capability, pods rolled on a config change but not on a
// rescale; Helm 3 and Helm 4 lint, refuse and render alike. helm (Helm 4),
// helm3 and the npm packages come from ci/install-deps.sh under
// /var/cache/flink-cpp.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

const std::string tools = "/var/cache/flink-cpp";
const std::string helm_binary = tools + "/tools/helm";
const std::string helm3_binary = tools + "/tools/helm3";
const std::string chart_dir = FLINKCPP_CHART_DIR;
const std::string examples = std::string{FLINKCPP_PROJECT_DIR} + "/values-examples";

/// Helm with its caches in a folder of the test's.
struct helm_fixture {
  temp_dir dir;

  helm_fixture() {
    for (const auto& binary : {helm_binary, helm3_binary})
      BOOST_REQUIRE_MESSAGE(fs::exists(binary), binary << " is missing: run ci/install-deps.sh");
    for (const char* v : {"HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"})
      ::setenv(v, dir.file(v).c_str(), 1);
  }

  /// Helm 4 (or the `binary` given) with `args`.
  process_result helm(std::vector<std::string> args,
                      const std::string& binary = helm_binary) const {
    args.insert(args.begin(), binary);
    return run_process(args);
  }

  /// `helm template` with `args`; requires success and returns the documents.
  std::vector<YAML::Node> render(std::vector<std::string> args) const {
    args.insert(args.begin(), {"template", "t", chart_dir, "--kube-version", "1.20.2"});
    auto r = helm(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::vector<YAML::Node> docs;
    for (auto& d : YAML::LoadAll(r.out))
      if (d.IsMap())
        docs.push_back(d);
    return docs;
  }
};

const YAML::Node* find(const std::vector<YAML::Node>& docs, const std::string& kind,
                       const std::string& name_suffix) {
  for (const auto& d : docs) {
    auto name = d["metadata"]["name"].as<std::string>();
    if (d["kind"].as<std::string>() == kind && name.size() >= name_suffix.size() &&
        name.compare(name.size() - name_suffix.size(), name_suffix.size(), name_suffix) == 0)
      return &d;
  }
  return nullptr;
}

/// The pod specs of every workload and hook among `docs`.
std::vector<YAML::Node> pod_specs(const std::vector<YAML::Node>& docs) {
  std::vector<YAML::Node> out;
  for (const auto& d : docs) {
    auto kind = d["kind"].as<std::string>();
    if (kind == "Pod")
      out.push_back(d["spec"]);
    else if (kind == "Deployment" || kind == "StatefulSet" || kind == "Job")
      out.push_back(d["spec"]["template"]["spec"]);
  }
  return out;
}

/// `rendered` manifests with the values of each Secret's data hidden: the
/// chart makes key material and tokens at random on every render.
std::string without_generated_data(const std::string& rendered) {
  static const std::regex data_line{R"(^(  [A-Za-z0-9._-]+): \S+$)"};
  std::istringstream in{rendered};
  std::string out;
  std::string line;
  bool secret = false;
  bool data = false;
  while (std::getline(in, line)) {
    if (line == "---")
      secret = data = false;
    else if (line == "kind: Secret")
      secret = true;
    else if (line.rfind("data:", 0) == 0)
      data = secret;
    else if (data && !line.empty() && line[0] != ' ')
      data = false;
    out += (data ? std::regex_replace(line, data_line, "$1: <generated>") : line) + "\n";
  }
  return out;
}

std::vector<std::string> example_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator{examples})
    if (e.path().extension() == ".yaml")
      out.push_back(e.path().string());
  return out;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(chart, helm_fixture)

BOOST_AUTO_TEST_CASE(lints_strictly_with_helm_3_and_helm_4) {
  for (const auto& binary : {helm_binary, helm3_binary}) {
    auto r = helm({"lint", "--strict", chart_dir}, binary);
    BOOST_TEST(r.exit_code == 0, binary << ": " << r.out << r.err);
    for (const auto& file : example_files()) {
      r = helm({"lint", "--strict", chart_dir, "-f", file}, binary);
      BOOST_TEST(r.exit_code == 0, binary << " " << file << ": " << r.out << r.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(helm_3_renders_what_helm_4_renders) {
  // Helm 3 hands defaults to templates as another number type than Helm 4:
  // templates compare numbers as integers, never by truthiness.
  std::vector<std::vector<std::string>> value_sets{
    {"--set", "job.jarURI=wordcount"},
    {"--set", "job.jarURI=wordcount", "--set", "job.parallelism=3"}};
  for (const auto& file : example_files())
    value_sets.push_back({"-f", file});
  for (const auto& values : value_sets) {
    std::vector<std::string> args{"template", "t", chart_dir, "--kube-version", "1.20.2"};
    args.insert(args.end(), values.begin(), values.end());
    auto helm4 = helm(args);
    auto helm3 = helm(args, helm3_binary);
    BOOST_REQUIRE(helm4.exit_code == 0);
    BOOST_TEST(helm3.exit_code == 0, helm3.err);
    BOOST_TEST(without_generated_data(helm3.out) == without_generated_data(helm4.out),
               values.back());
  }
}

BOOST_AUTO_TEST_CASE(every_example_renders_manifests_the_api_schemas_accept) {
  auto files = example_files();
  BOOST_TEST(files.size() ==
             8u); // wordcount, session, leveldb-state, rescale, monitoring, hardened, kafka, sql
  std::vector<std::string> validate{
    "/usr/bin/env", "node", std::string{FLINKCPP_TESTS_DIR} + "/chart/validate_manifests.mjs",
    tools + "/npm/node_modules"};
  for (const auto& file : files) {
    // With the prometheus-operator's kinds served, so that monitors render too.
    auto r = helm({"template", "t", chart_dir, "-f", file, "--kube-version", "1.20.2",
                   "--api-versions", "monitoring.coreos.com/v1/ServiceMonitor", "--api-versions",
                   "monitoring.coreos.com/v1/PodMonitor", "--api-versions",
                   "monitoring.coreos.com/v1/PrometheusRule"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, file << ": " << r.err);
    auto rendered = dir.file(fs::path{file}.filename().string());
    write_file(rendered, r.out);
    validate.push_back(rendered);
  }
  auto checked = run_process(validate);
  BOOST_TEST(checked.exit_code == 0, checked.out << checked.err);
  BOOST_TEST(checked.out.find("ok ") != std::string::npos);
  BOOST_TEST(checked.out.find("INVALID") == std::string::npos, checked.out);
}

BOOST_AUTO_TEST_CASE(the_schema_refuses_bad_values_naming_the_key) {
  auto typo = dir.file("typo.yaml");
  write_file(typo, "taskManager:\n  replicsa: 3\n");
  auto top_level_typo = dir.file("top-level-typo.yaml");
  write_file(top_level_typo, "jobManger: {}\n");
  struct bad_values {
    std::vector<std::string> args;
    std::vector<std::string> said; // each in the message (keys as Helm spells paths vary)
  };
  const std::vector<bad_values> cases{
    {{"-f", typo}, {"taskManager", "replicsa", "not allowed"}},
    {{"-f", top_level_typo}, {"jobManger", "not allowed"}},
    {{"--set", "taskManager.replicas=-1"}, {"taskManager", "replicas"}},
    {{"--set", "taskManager.slots=0"}, {"taskManager", "slots"}},
    {{"--set", "taskManager.replicas=two"}, {"taskManager", "replicas", "integer"}},
    {{"--set", "job.upgradeMode=latest"}, {"job", "upgradeMode", "savepoint"}}, // what is allowed
    {{"--set", "job.state=paused"}, {"job", "state", "suspended"}},
    {{"--set", "storage.accessModes[0]=ReadWriteSometimes"}, {"storage", "accessModes"}},
    {{"--set", "job.env.BAD-NAME=x"}, {"BAD-NAME", "match"}},
    {{"--set", "job.sqlConfigMap.nmae=x"}, {"sqlConfigMap", "nmae", "not allowed"}},
    // A SQL script is the job: no other job, no job arguments, one script.
    {{"--set", "job.sql=SELECT 1", "--set", "job.jarURI=wordcount"},
     {"job.sql / job.sqlConfigMap run a SQL script, but job.jarURI names the job \"wordcount\""}},
    {{"--set", "job.sql=SELECT 1", "--set", "job.sqlConfigMap.name=s"},
     {"job.sql and job.sqlConfigMap both give the SQL script"}},
    {{"--set", "job.sql=SELECT 1", "--set", "job.args={--x}"},
     {"a SQL script (job.sql, job.sqlConfigMap) takes none"}},
    // What a schema cannot see: the job's parallelism against the slots.
    {{"--set", "job.jarURI=wordcount", "--set", "job.parallelism=5"},
     {"job.parallelism (5) is above the cluster's slots: taskManager.replicas (2) x "
      "taskManager.slots (2) = 4"}},
  };
  for (const auto& binary : {helm_binary, helm3_binary})
    for (const auto& c : cases) {
      std::vector<std::string> args{"template", "t", chart_dir};
      args.insert(args.end(), c.args.begin(), c.args.end());
      auto r = helm(args, binary);
      BOOST_TEST(r.exit_code != 0, binary << " " << c.args.back());
      for (const auto& text : c.said)
        BOOST_TEST(r.err.find(text) != std::string::npos, binary << ": " << r.err);
    }
}

BOOST_AUTO_TEST_CASE(config_yaml_is_what_the_engine_accepts) {
  for (const auto& file : example_files()) {
    auto docs = render({"-f", file});
    const auto* config = find(docs, "ConfigMap", "-config");
    BOOST_REQUIRE(config != nullptr);
    temp_dir conf;
    write_file(conf.file("config.yaml"), (*config)["data"]["config.yaml"].as<std::string>());
    // The engine loads and checks every key and value (an unknown key warns,
    // a bad value fails): flink-cpp info does so without starting anything.
    auto r = run_flink_cpp({"info", "--config-dir", conf.path().string(), "wordcount"});
    BOOST_TEST(r.exit_code == 0, file << ": " << r.err);
    BOOST_TEST(r.err.find("not used by flink-cpp") == std::string::npos, file << ": " << r.err);
  }
  auto app = render({"--set", "job.jarURI=wordcount"});
  auto config =
    YAML::Load((*find(app, "ConfigMap", "-config"))["data"]["config.yaml"].as<std::string>());
  BOOST_TEST(config["taskmanager.numberOfTaskSlots"].as<int>() == 2);
  BOOST_TEST(config["high-availability.type"].as<std::string>() == "filesystem");
  BOOST_TEST(config["scheduler-mode"].as<std::string>() == "reactive");
  BOOST_TEST(config["jobmanager.rpc.address"].as<std::string>() == "t-flink-cpp-jobmanager");
  // flinkConfiguration wins over what the chart derives.
  app =
    render({"--set", "job.jarURI=wordcount", "--set", "flinkConfiguration.scheduler-mode=default"});
  config =
    YAML::Load((*find(app, "ConfigMap", "-config"))["data"]["config.yaml"].as<std::string>());
  BOOST_TEST(config["scheduler-mode"].as<std::string>() == "default");
}

BOOST_AUTO_TEST_CASE(tls_and_a_rest_token_are_on_by_default_and_each_can_be_turned_off) {
  auto docs = render({"--set", "job.jarURI=wordcount"});
  auto config =
    YAML::Load((*find(docs, "ConfigMap", "-config"))["data"]["config.yaml"].as<std::string>());
  BOOST_TEST(config["security.ssl.internal.enabled"].as<bool>());
  BOOST_TEST(config["security.ssl.rest.enabled"].as<bool>());
  BOOST_TEST(config["security.ssl.internal.keystore"].as<std::string>() ==
             "/opt/flink/tls/tls-combined.pem");
  BOOST_TEST(config["security.ssl.rest.truststore"].as<std::string>() == "/opt/flink/tls/ca.crt");
  BOOST_TEST(config["rest.authentication.token-file"].as<std::string>() == "/opt/flink/auth/token");
  BOOST_TEST(!config["web.submit.enable"].as<bool>()); // application mode runs its own job only
  const auto* tls = find(docs, "Secret", "-tls");
  BOOST_REQUIRE(tls != nullptr);
  for (const char* key : {"ca.crt", "tls.crt", "tls.key", "tls-combined.pem"})
    BOOST_TEST((*tls)["data"][key].IsDefined(), key);
  const auto* token = find(docs, "Secret", "-rest-token");
  BOOST_REQUIRE(token != nullptr);
  BOOST_TEST((*token)["data"]["token"].as<std::string>().size() >= 40u);
  // Every pod (hooks and the helm test too) mounts both, so its CLI speaks
  // HTTPS with the token; the jobmanager's readiness probe asks for the web
  // UI's page over HTTPS (no token needed).
  for (const auto& pod : pod_specs(docs)) {
    std::vector<std::string> secrets;
    for (const auto& v : pod["volumes"])
      if (v["secret"])
        secrets.push_back(v["secret"]["secretName"].as<std::string>());
    BOOST_TEST((secrets == std::vector<std::string>{"t-flink-cpp-tls", "t-flink-cpp-rest-token"}));
  }
  const auto& probe =
    (*find(docs, "Deployment",
           "-jobmanager"))["spec"]["template"]["spec"]["containers"][0]["readinessProbe"];
  BOOST_TEST(probe["httpGet"]["scheme"].as<std::string>() == "HTTPS");
  BOOST_TEST(probe["httpGet"]["path"].as<std::string>() == "/");

  auto existing = render({"--set", "security.tls.existingSecret=cert-manager-made", "--set",
                          "security.restAuthentication.existingSecret=my-token"});
  BOOST_TEST(find(existing, "Secret", "-tls") == nullptr);
  BOOST_TEST(find(existing, "Secret", "-rest-token") == nullptr);
  const auto& volumes =
    (*find(existing, "Deployment", "-jobmanager"))["spec"]["template"]["spec"]["volumes"];
  std::string mounted;
  for (const auto& v : volumes)
    if (v["secret"])
      mounted += v["secret"]["secretName"].as<std::string>() + " ";
  BOOST_TEST(mounted == "cert-manager-made my-token ");

  auto open = render({"--set", "security.tls.internal=false", "--set", "security.tls.rest=false",
                      "--set", "security.restAuthentication.enabled=false"});
  BOOST_TEST(find(open, "Secret", "-tls") == nullptr);
  BOOST_TEST(find(open, "Secret", "-rest-token") == nullptr);
  auto plain =
    YAML::Load((*find(open, "ConfigMap", "-config"))["data"]["config.yaml"].as<std::string>());
  BOOST_TEST(!plain["security.ssl.internal.enabled"]);
  BOOST_TEST(!plain["rest.authentication.token-file"]);
  BOOST_TEST(!plain["web.submit.enable"]); // a session cluster takes uploads
  BOOST_TEST((*find(open, "Deployment", "-jobmanager"))["spec"]["template"]["spec"]["containers"][0]
                                                       ["readinessProbe"]["httpGet"]["scheme"]
                                                         .as<std::string>() == "HTTP");
}

BOOST_AUTO_TEST_CASE(every_pod_runs_restricted_and_every_port_names_its_protocol) {
  for (const auto& file : example_files()) {
    auto docs = render({"-f", file});
    auto pods = pod_specs(docs);
    BOOST_TEST(pods.size() >= 3u, file); // jobmanager, taskmanagers, helm test
    for (const auto& pod : pods) {
      BOOST_TEST(pod["securityContext"]["runAsNonRoot"].as<bool>());
      BOOST_TEST(pod["securityContext"]["seccompProfile"]["type"].as<std::string>() ==
                 "RuntimeDefault");
      BOOST_TEST(!pod["automountServiceAccountToken"].as<bool>());
      for (const auto& c : pod["containers"]) {
        const auto& sc = c["securityContext"];
        BOOST_TEST(!sc["allowPrivilegeEscalation"].as<bool>());
        BOOST_TEST(sc["readOnlyRootFilesystem"].as<bool>());
        BOOST_TEST(sc["capabilities"]["drop"][0].as<std::string>() == "ALL");
        for (const auto& p : c["ports"])
          BOOST_TEST(p["protocol"].as<std::string>() == "TCP");
      }
    }
    for (const auto& d : docs)
      if (d["kind"].as<std::string>() == "Service")
        for (const auto& p : d["spec"]["ports"])
          BOOST_TEST(p["protocol"].as<std::string>() == "TCP");
  }
}

BOOST_AUTO_TEST_CASE(api_versions_and_optional_kinds_follow_the_capabilities) {
  auto old = render({"--set", "podDisruptionBudget.enabled=true"});
  BOOST_TEST((*find(old, "PodDisruptionBudget", "-taskmanager"))["apiVersion"].as<std::string>() ==
             "policy/v1beta1");
  auto current = render({"--set", "podDisruptionBudget.enabled=true", "--kube-version", "1.33.0"});
  BOOST_TEST(
    (*find(current, "PodDisruptionBudget", "-taskmanager"))["apiVersion"].as<std::string>() ==
    "policy/v1");
  // Monitors and rules only where the prometheus-operator's CRDs exist.
  auto monitoring = examples + "/monitoring.yaml";
  auto without = render({"-f", monitoring});
  BOOST_TEST(find(without, "PodMonitor", "") == nullptr);
  BOOST_TEST(find(without, "PrometheusRule", "") == nullptr);
  auto with = render({"-f", monitoring, "--api-versions", "monitoring.coreos.com/v1/PodMonitor",
                      "--api-versions", "monitoring.coreos.com/v1/PrometheusRule"});
  BOOST_REQUIRE(find(with, "PrometheusRule", "") != nullptr);
  BOOST_TEST((*find(with, "PrometheusRule", ""))["spec"]["groups"][0]["rules"].size() >= 4u);
  BOOST_TEST(find(with, "PodMonitor", "") != nullptr);
  // Dashboards: ConfigMaps carrying Grafana's sidecar label.
  int dashboards = 0;
  for (const auto& d : without)
    if (d["metadata"]["labels"]["grafana_dashboard"])
      ++dashboards;
  BOOST_TEST(dashboards == 2);
}

BOOST_AUTO_TEST_CASE(a_config_change_rolls_the_pods_a_rescale_does_not) {
  auto annotation = [](const std::vector<YAML::Node>& docs, const std::string& suffix) {
    return (*find(docs, "Deployment",
                  suffix))["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
      .as<std::string>();
  };
  auto jm_template = [](const std::vector<YAML::Node>& docs) {
    return YAML::Dump((*find(docs, "Deployment", "-jobmanager"))["spec"]["template"]);
  };
  auto base = render({"--set", "job.jarURI=wordcount"});
  auto rescaled = render({"--set", "job.jarURI=wordcount", "--set", "taskManager.replicas=3"});
  auto changed = render({"--set", "job.jarURI=wordcount", "--set",
                         "flinkConfiguration.execution\\.checkpointing\\.interval=5s"});
  BOOST_TEST(jm_template(base) == jm_template(rescaled)); // the job rescales in place
  BOOST_TEST((*find(rescaled, "Deployment", "-taskmanager"))["spec"]["replicas"].as<int>() == 3);
  BOOST_TEST(annotation(base, "-jobmanager") != annotation(changed, "-jobmanager"));
  BOOST_TEST(annotation(base, "-taskmanager") != annotation(changed, "-taskmanager"));
  // Suspended: no pods, the state kept on the claim.
  auto suspended = render({"--set", "job.jarURI=wordcount", "--set", "job.state=suspended"});
  BOOST_TEST((*find(suspended, "Deployment", "-jobmanager"))["spec"]["replicas"].as<int>() == 0);
  BOOST_TEST((*find(suspended, "Deployment", "-taskmanager"))["spec"]["replicas"].as<int>() == 0);
  // A job id that stays across upgrades, except stateless ones that change the job.
  auto id = [](const std::vector<YAML::Node>& docs) {
    auto args = (*find(docs, "Deployment",
                       "-jobmanager"))["spec"]["template"]["spec"]["containers"][0]["args"]
                  .as<std::vector<std::string>>();
    auto flag = std::find(args.begin(), args.end(), "--job-id");
    return flag == args.end() || flag + 1 == args.end() ? std::string{} : *(flag + 1);
  };
  auto other_args =
    render({"--set", "job.jarURI=wordcount", "--set-string", "job.args={--rate,5}"});
  BOOST_TEST(id(base).size() == 32u);
  BOOST_TEST(id(base) == id(other_args)); // savepoint mode: same job, resumed
  auto stateless = render({"--set", "job.jarURI=wordcount", "--set", "job.upgradeMode=stateless"});
  auto stateless_other =
    render({"--set", "job.jarURI=wordcount", "--set", "job.upgradeMode=stateless", "--set-string",
            "job.args={--rate,5}"});
  BOOST_TEST(id(stateless) != id(stateless_other)); // a fresh job
}

BOOST_AUTO_TEST_CASE(local_state_makes_the_taskmanagers_a_statefulset) {
  auto docs = render({"-f", examples + "/leveldb-state.yaml"});
  const auto* tm = find(docs, "StatefulSet", "-taskmanager");
  BOOST_REQUIRE(tm != nullptr);
  BOOST_TEST((*tm)["spec"]["volumeClaimTemplates"][0]["metadata"]["name"].as<std::string>() ==
             "local-state");
  BOOST_TEST(find(docs, "Deployment", "-taskmanager") == nullptr);
  BOOST_TEST(find(docs, "Service", "-taskmanager") != nullptr); // its governing Service
  // The checkpoint claim outlives helm uninstall.
  const auto* claim = find(docs, "PersistentVolumeClaim", "-data");
  BOOST_REQUIRE(claim != nullptr);
  BOOST_TEST((*claim)["metadata"]["annotations"]["helm.sh/resource-policy"].as<std::string>() ==
             "keep");
}

BOOST_AUTO_TEST_CASE(the_kafka_example_takes_its_bootstrap_servers_from_a_value) {
  auto docs = render({"-f", examples + "/kafka.yaml", "--set",
                      "job.env.KAFKA_BOOTSTRAP_SERVERS=broker-0.kafka:9092"});
  const auto* jm = find(docs, "Deployment", "-jobmanager");
  BOOST_REQUIRE(jm != nullptr);
  const auto& container = (*jm)["spec"]["template"]["spec"]["containers"][0];
  std::vector<std::string> args;
  for (const auto& a : container["args"])
    args.push_back(a.as<std::string>());
  auto job = std::find(args.begin(), args.end(), "kafka-wordcount");
  BOOST_REQUIRE(job != args.end());
  BOOST_TEST((std::vector<std::string>(job + 1, args.end()) ==
              std::vector<std::string>{"--bootstrap-servers", "$(KAFKA_BOOTSTRAP_SERVERS)",
                                       "--input-topic", "lines", "--output-topic", "word-counts",
                                       "--delivery", "exactly-once"}));
  std::map<std::string, std::string> env;
  for (const auto& e : container["env"])
    env[e["name"].as<std::string>()] = e["value"].as<std::string>();
  BOOST_TEST(env["KAFKA_BOOTSTRAP_SERVERS"] == "broker-0.kafka:9092");
  auto config = find(docs, "ConfigMap", "-config");
  BOOST_REQUIRE(config != nullptr);
  BOOST_TEST((*config)["data"]["config.yaml"].as<std::string>().find(
               "execution.checkpointing.interval: 10s") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_sql_script_is_the_application_job) {
  auto args_of = [](const std::vector<YAML::Node>& docs) {
    const auto* jm = find(docs, "Deployment", "-jobmanager");
    BOOST_REQUIRE(jm != nullptr);
    std::vector<std::string> args;
    for (const auto& a : (*jm)["spec"]["template"]["spec"]["containers"][0]["args"])
      args.push_back(a.as<std::string>());
    return args;
  };
  // Inline: the script is the job's --script argument.
  auto docs = render({"-f", examples + "/sql.yaml"});
  auto args = args_of(docs);
  auto job = std::find(args.begin(), args.end(), "sql");
  BOOST_REQUIRE(job != args.end());
  BOOST_REQUIRE(args.end() - job == 3);
  BOOST_TEST(job[1] == "--script");
  BOOST_TEST(job[2].find("INSERT INTO totals") != std::string::npos);
  // From a ConfigMap: mounted on every pod, read with --file.
  docs =
    render({"--set", "job.sqlConfigMap.name=my-script", "--set", "job.sqlConfigMap.key=job.sql"});
  args = args_of(docs);
  BOOST_TEST((std::vector<std::string>(args.end() - 3, args.end()) ==
              std::vector<std::string>{"sql", "--file", "/opt/flink/sql/job.sql"}));
  for (const char* kind : {"Deployment", "StatefulSet"}) {
    for (const auto& doc : docs) {
      if (doc["kind"].as<std::string>() != kind)
        continue;
      bool mounted = false;
      for (const auto& v : doc["spec"]["template"]["spec"]["volumes"])
        mounted =
          mounted || (v["configMap"] && v["configMap"]["name"].as<std::string>() == "my-script");
      BOOST_TEST(mounted, doc["metadata"]["name"].as<std::string>());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

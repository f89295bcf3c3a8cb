#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "config/config_loader.hpp"
#include "config/core_options.hpp"
#include "config/security_options.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;

namespace {

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(text) != std::string::npos)
      return true;
  return false;
}

/// Sets an environment variable for the lifetime of the object.
struct scoped_env {
  scoped_env(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~scoped_env() { ::unsetenv(name_); }
  const char* name_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(config_loader)

BOOST_AUTO_TEST_CASE(nested_and_flat_yaml_keys_flatten_to_dotted_keys) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism:\n  default: 4\n"
                                      "taskmanager.numberOfTaskSlots: 2\n"
                                      "execution:\n  runtime-mode: BATCH\n"
                                      "some.list: [a, b]\n");
  config_report report;
  auto config = read_config_dir(dir.path().string(), report);
  BOOST_REQUIRE(config);
  BOOST_TEST(*config->get("parallelism.default") == "4");
  BOOST_TEST(*config->get("taskmanager.numberOfTaskSlots") == "2");
  BOOST_TEST(*config->get("execution.runtime-mode") == "BATCH");
  BOOST_TEST(*config->get("some.list") == "a;b");
}

BOOST_AUTO_TEST_CASE(a_key_that_is_a_list_or_map_is_refused_naming_file_and_line) {
  temp_dir dir;
  auto file = dir.file("config.yaml");
  write_file(file, "restart-strategy:\n  type: fixed-delay\n  ? delay: 1 s\n  : x\n");
  config_report report;
  auto config = read_config_dir(dir.path().string(), report);
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error() == "'" + file +
                                 "', line 3: a key under 'restart-strategy' is not a plain name (a "
                                 "list or map is no configuration key)");
  write_file(file, "? [a, b]\n: 1\n");
  auto top = read_config_dir(dir.path().string(), report);
  BOOST_REQUIRE(!top);
  BOOST_TEST(top.error().find("line 1: a key is not a plain name") != std::string::npos,
             top.error());
}

BOOST_AUTO_TEST_CASE(dynamic_properties_override_the_file) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism.default: 4\n");
  config_report report;
  auto config = load_configuration(dir.path().string(), {"parallelism.default=8"}, report);
  BOOST_REQUIRE(config);
  BOOST_TEST(options::parallelism_default.get(*config) == 8);
  BOOST_TEST(report.warnings.empty());
  BOOST_TEST(report.ignored.empty());
}

BOOST_AUTO_TEST_CASE(defaults_apply_without_a_file) {
  config_report report;
  auto config = load_configuration(std::string{}, {}, report);
  BOOST_TEST(!config); // an empty directory name does not exist
  auto none = load_configuration(std::nullopt, {}, report);
  BOOST_REQUIRE(none);
  BOOST_TEST(options::parallelism_default.get(*none) == 1);
  BOOST_TEST(options::max_parallelism.get(*none) == 128);
  BOOST_TEST(options::buffer_timeout.get(*none).count() == 100);
  BOOST_TEST(options::segment_size.get(*none) == 32u * 1024);
}

BOOST_AUTO_TEST_CASE(flink_conf_dir_is_the_default_directory) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism.default: 6\n");
  config_report report;
  temp_dir other;
  write_file(other.file("config.yaml"), "parallelism.default: 3\n");
  scoped_env env{"FLINK_CONF_DIR", dir.path().string()};
  auto from_env = load_configuration(std::nullopt, {}, report);
  auto explicit_dir = load_configuration(other.path().string(), {}, report);
  BOOST_REQUIRE(from_env);
  BOOST_TEST(options::parallelism_default.get(*from_env) == 6);
  BOOST_REQUIRE(explicit_dir);
  BOOST_TEST(options::parallelism_default.get(*explicit_dir) == 3); // --config-dir wins
}

BOOST_AUTO_TEST_CASE(invalid_values_name_key_value_and_expectation) {
  config_report report;
  auto config = load_configuration(std::nullopt, {"parallelism.default=0"}, report);
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error() ==
             "invalid value '0' for configuration key 'parallelism.default': expected a "
             "positive integer");
  auto mode = load_configuration(std::nullopt, {"execution.runtime-mode=FAST"}, report);
  BOOST_TEST(mode.error() == "invalid value 'FAST' for configuration key "
                             "'execution.runtime-mode': expected one of STREAMING | BATCH | "
                             "AUTOMATIC");
  auto groups = load_configuration(std::nullopt, {"pipeline.max-parallelism=40000"}, report);
  BOOST_TEST(!groups);
  auto reporter = load_configuration(std::nullopt, {"metrics.reporters=prom,graphite"}, report);
  BOOST_TEST(reporter.error() == "invalid value 'prom,graphite' for configuration key "
                                 "'metrics.reporters': expected a list of metric reporters; "
                                 "flink-cpp has 'prom' (Prometheus)");
  auto ports = load_configuration(std::nullopt, {"metrics.reporter.prom.port=9260-9250"}, report);
  BOOST_TEST(ports.error() == "invalid value '9260-9250' for configuration key "
                              "'metrics.reporter.prom.port': expected a port (9249) or a range "
                              "of ports (9250-9260)");
  auto range = load_configuration(std::nullopt, {"metrics.reporter.prom.port=9250-9260"}, report);
  BOOST_TEST(range.ok());
}

BOOST_AUTO_TEST_CASE(tls_keys_refuse_unsafe_or_foreign_values_saying_why) {
  config_report report;
  auto old = load_configuration(std::nullopt, {"security.ssl.protocol=TLSv1.1"}, report);
  BOOST_TEST(old.error() == "invalid value 'TLSv1.1' for configuration key "
                            "'security.ssl.protocol': expected TLSv1.2, TLSv1.3 or both "
                            "(comma-separated): TLSv1.1 is too old to be safe (RFC 8996)");
  auto jks = load_configuration(std::nullopt, {"security.ssl.keystore-type=JKS"}, report);
  BOOST_TEST(jks.error().find("JKS is a Java keystore format that only a JVM reads; convert it "
                              "with 'keytool -importkeystore") != std::string::npos,
             jks.error());
  auto suite = load_configuration(std::nullopt, {"security.ssl.algorithms=AES128-SHA"}, report);
  BOOST_TEST(suite.error().find("cipher suites by their IANA names") != std::string::npos,
             suite.error());
  auto both = load_configuration(
    std::nullopt, {"security.ssl.protocol=tlsv1.3, TLSv1.2", "security.ssl.enabled=true"}, report);
  BOOST_REQUIRE(both);
  BOOST_TEST(options::ssl_protocol.get(*both) == "TLSv1.2,TLSv1.3");
  BOOST_TEST(options::ssl_internal_enabled.get(*both)); // Flink 1.x's name for it
}

BOOST_AUTO_TEST_CASE(malformed_dynamic_properties_are_rejected) {
  config_report report;
  auto config = load_configuration(std::nullopt, {"novalue"}, report);
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error() == "malformed -D 'novalue': expected -D key=value");
  BOOST_TEST(!load_configuration(std::nullopt, {"=x"}, report));
}

BOOST_AUTO_TEST_CASE(broken_files_are_reported_with_their_path) {
  temp_dir dir;
  config_report report;
  write_file(dir.file("config.yaml"), "parallelism: [unclosed\n");
  auto config = read_config_dir(dir.path().string(), report);
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error().find(dir.file("config.yaml")) != std::string::npos);

  temp_dir empty;
  auto missing = read_config_dir(empty.path().string(), report);
  BOOST_TEST(missing.error().find("has no config.yaml or flink-conf.yaml") != std::string::npos);

  write_file(dir.file("config.yaml"), "- a\n- b\n");
  BOOST_TEST(!read_config_dir(dir.path().string(), report));

  temp_dir legacy;
  write_file(legacy.file("flink-conf.yaml"), "parallelism.default: 2\ntaskmanager.host:nospace\n");
  auto line = read_config_dir(legacy.path().string(), report);
  BOOST_REQUIRE(!line);
  BOOST_TEST(line.error() == "'" + legacy.file("flink-conf.yaml") +
                               "':2: 'taskmanager.host:nospace' is not a 'key: value' pair "
                               "(a space must follow the ':')");
}

// Flink 1.x's flink-conf.yaml as Flink's distribution ships it (the keys its
// default file sets, comments as its documentation writes them).
const char* flink_1_conf =
  R"(#==============================================================================
# Common
#==============================================================================
jobmanager.rpc.address: localhost
jobmanager.rpc.port: 6123
jobmanager.bind-host: localhost
jobmanager.memory.process.size: 1600m
taskmanager.bind-host: localhost
taskmanager.host: localhost
taskmanager.memory.process.size: 1728m
taskmanager.numberOfTaskSlots: 2
parallelism.default: 2
jobmanager.execution.failover-strategy: region

#==============================================================================
# Fault tolerance and checkpointing
#==============================================================================
state.backend.type: rocksdb
state.checkpoints.dir: file:///var/flink/checkpoints
state.savepoints.dir: file:/var/flink/savepoints
state.backend.incremental: true
execution.checkpointing.interval: 10 s
restart-strategy: fixed-delay
restart-strategy.fixed-delay.attempts: 3

rest.address: localhost
rest.bind-address: localhost
env.java.opts.all: -XX:+UseG1GC   # JVM options
)";

BOOST_AUTO_TEST_CASE(a_flink_1_flink_conf_yaml_is_read_when_there_is_no_config_yaml) {
  temp_dir dir;
  write_file(dir.file("flink-conf.yaml"), flink_1_conf);
  config_report report;
  auto config = load_configuration(dir.path().string(), {}, report);
  BOOST_REQUIRE(config);
  BOOST_TEST(options::task_slots.get(*config) == 2);
  BOOST_TEST(options::parallelism_default.get(*config) == 2);
  BOOST_TEST(options::state_backend.get(*config) == "rocksdb");
  BOOST_TEST(options::checkpoints_dir.get(*config) == "/var/flink/checkpoints");
  BOOST_TEST(options::savepoints_dir.get(*config) == "/var/flink/savepoints");
  BOOST_TEST(options::incremental_checkpoints.get(*config));
  BOOST_TEST(options::checkpointing_interval.get(*config).count() == 10000);
  BOOST_TEST(options::restart_strategy.get(*config) == "fixed-delay");
  BOOST_TEST(options::fixed_delay_attempts.get(*config) == 3);
  // Flink 1.x names are read as Flink 2.x's, each with a warning.
  BOOST_TEST(mentions(report.warnings, "'state.checkpoints.dir' is deprecated; read as "
                                       "'execution.checkpointing.dir'"));
  BOOST_TEST(mentions(report.warnings, "'restart-strategy' is deprecated; read as "
                                       "'restart-strategy.type'"));
  // JVM keys are listed once, at INFO, as ignored; the '#' comment is not in the value.
  BOOST_TEST(mentions(report.ignored, "jobmanager.memory.process.size (JVM memory sizing)"));
  BOOST_TEST(mentions(report.ignored, "env.java.opts.all"));
  BOOST_TEST(*config->get("env.java.opts.all") == "-XX:+UseG1GC");
  BOOST_TEST(report.ignored_line().find("configuration keys ignored (they mean nothing to "
                                        "flink-cpp): ") == 0u);
}

// Flink 2.x's config.yaml as Flink's distribution ships it: nested YAML,
// Flink 2.x key names.
const char* flink_2_config = R"(jobmanager:
  bind-host: localhost
  rpc:
    address: localhost
    port: 6123
  memory:
    process:
      size: 1600m
  execution:
    failover-strategy: region
taskmanager:
  bind-host: localhost
  host: localhost
  numberOfTaskSlots: 3
  memory:
    process:
      size: 1728m
parallelism:
  default: 3
execution:
  checkpointing:
    interval: 1 min
    dir: file:///var/flink/checkpoints
    savepoint-dir: file:///var/flink/savepoints
    incremental: true
    num-retained: 2
state:
  backend:
    type: hashmap
rest:
  address: localhost
  bind-address: localhost
env:
  java:
    opts:
      all: --add-exports=java.base/sun.net.util=ALL-UNNAMED
)";

BOOST_AUTO_TEST_CASE(a_flink_2_config_yaml_is_read_with_its_key_names) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), flink_2_config);
  config_report report;
  auto config = load_configuration(dir.path().string(), {}, report);
  BOOST_REQUIRE(config);
  BOOST_TEST(options::task_slots.get(*config) == 3);
  BOOST_TEST(options::checkpoints_dir.get(*config) == "/var/flink/checkpoints");
  BOOST_TEST(options::savepoints_dir.get(*config) == "/var/flink/savepoints");
  BOOST_TEST(options::incremental_checkpoints.get(*config));
  BOOST_TEST(options::checkpoints_retained.get(*config) == 2);
  BOOST_TEST(options::checkpointing_interval.get(*config).count() == 60000);
  BOOST_TEST(report.warnings.empty()); // no deprecated or unknown key
  BOOST_TEST(mentions(report.ignored, "taskmanager.memory.process.size"));
}

BOOST_AUTO_TEST_CASE(config_yaml_wins_over_flink_conf_yaml_with_a_warning) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism.default: 5\n");
  write_file(dir.file("flink-conf.yaml"), "parallelism.default: 7\n");
  config_report report;
  auto config = load_configuration(dir.path().string(), {}, report);
  BOOST_REQUIRE(config);
  BOOST_TEST(options::parallelism_default.get(*config) == 5);
  BOOST_TEST(mentions(report.warnings, "reading config.yaml, ignoring flink-conf.yaml"));
}

BOOST_AUTO_TEST_CASE(both_names_of_a_key_with_different_values_are_refused_naming_both) {
  config_report report;
  auto both = load_configuration(
    std::nullopt, {"state.checkpoints.dir=/a", "execution.checkpointing.dir=/b"}, report);
  BOOST_REQUIRE(!both);
  BOOST_TEST(both.error() == "-D sets 'execution.checkpointing.dir' to '/b' and "
                             "'state.checkpoints.dir' to '/a': they are one key "
                             "('execution.checkpointing.dir'); set it once");
  temp_dir dir;
  write_file(dir.file("config.yaml"),
             "state.savepoints.dir: /s1\nexecution.checkpointing.savepoint-dir: /s2\n");
  auto in_file = load_configuration(dir.path().string(), {}, report);
  BOOST_REQUIRE(!in_file);
  BOOST_TEST(in_file.error().find("'state.savepoints.dir' to '/s1'") != std::string::npos);
  BOOST_TEST(in_file.error().find("'execution.checkpointing.savepoint-dir'") != std::string::npos);
  // The same value under both names is one setting.
  auto same = load_configuration(
    std::nullopt, {"state.checkpoints.dir=/a", "execution.checkpointing.dir=file:///a"}, report);
  BOOST_TEST(!same); // different text: refused, as the values are compared as written
  auto equal = load_configuration(
    std::nullopt, {"state.checkpoints.dir=/a", "execution.checkpointing.dir=/a"}, report);
  BOOST_TEST(equal.ok());
}

BOOST_AUTO_TEST_CASE(a_later_source_overrides_either_name_of_a_key) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "execution.checkpointing.dir: /from-file\n"
                                      "parallelism.default: 2\n");
  config_report report;
  scoped_env properties{"FLINK_PROPERTIES", "parallelism.default: 3\n"
                                            "state.checkpoints.dir: /from-properties\n"};
  auto config = load_configuration(dir.path().string(), {}, report);
  BOOST_REQUIRE(config);
  BOOST_TEST(options::checkpoints_dir.get(*config) == "/from-properties");
  BOOST_TEST(options::parallelism_default.get(*config) == 3);
  auto overridden = load_configuration(
    dir.path().string(), {"state.checkpoints.dir=/from-d", "parallelism.default=4"}, report);
  BOOST_REQUIRE(overridden);
  BOOST_TEST(options::checkpoints_dir.get(*overridden) == "/from-d");
  BOOST_TEST(options::parallelism_default.get(*overridden) == 4);
}

BOOST_AUTO_TEST_CASE(every_implemented_option_reads_its_deprecated_names) {
  for (const auto& option : options::known_options())
    for (const auto& old : option.deprecated_keys) {
      std::string value; // one the option takes
      for (std::string candidate :
           {"1", "true", "/abs", "none", "fixed-delay", "filesystem", "CLAIM"})
        if (option.validate(candidate)) {
          value = candidate;
          break;
        }
      BOOST_REQUIRE_MESSAGE(!value.empty(), "no sample value for " + option.key);
      config_report report;
      configuration layer;
      layer.set(old, value);
      auto normalized = normalize_keys(layer, "test", report);
      BOOST_REQUIRE(normalized);
      BOOST_TEST(normalized->contains(option.key), old + " -> " + option.key);
      BOOST_TEST(!normalized->contains(old));
    }
}

BOOST_AUTO_TEST_CASE(unknown_keys_warn_with_the_closest_known_key) {
  config_report report;
  auto config =
    load_configuration(std::nullopt, {"paralelism.default=2", "some.plugin.setting=x"}, report);
  BOOST_REQUIRE(config);
  BOOST_REQUIRE(report.warnings.size() == 2u);
  BOOST_TEST(mentions(report.warnings, "configuration key 'paralelism.default' is not used by "
                                       "flink-cpp; ignored (did you mean 'parallelism.default'?)"));
  BOOST_TEST(mentions(report.warnings, "configuration key 'some.plugin.setting' is not used by "
                                       "flink-cpp; ignored"));
  BOOST_TEST(report.ignored.empty());
}

BOOST_AUTO_TEST_CASE(keys_meaningless_to_a_cpp_runtime_are_listed_as_ignored) {
  config_report report;
  auto config =
    load_configuration(std::nullopt,
                       {"taskmanager.memory.process.size=1728m", "env.java.opts.all=-Xss1m",
                        "classloader.resolve-order=parent-first", "kubernetes.cluster-id=my-flink",
                        "security.ssl.provider=JDK", "taskmanager.memory.segment-size=64kb",
                        "queryable-state.proxy.ports=6125", "query.server.port=6125"},
                       report);
  BOOST_REQUIRE(config);
  BOOST_TEST(report.warnings.empty());
  BOOST_TEST(report.ignored.size() == 7u); // segment-size is a key flink-cpp uses
  BOOST_TEST(mentions(report.ignored, "queryable-state.proxy.ports (queryable state"));
  BOOST_TEST(mentions(report.ignored, "kubernetes.cluster-id (Flink's native Kubernetes"));
  BOOST_TEST(mentions(report.ignored, "classloader.resolve-order (JVM class loading)"));
  BOOST_TEST(options::segment_size.get(*config) == 64u * 1024);
}

BOOST_AUTO_TEST_CASE(features_whose_ignoring_weakens_safety_refuse_to_start) {
  struct refused_case {
    std::string property;
    std::string says;
  };
  const refused_case cases[] = {
    {"security.ssl.keystore=/etc/flink/keystore.p12", "Flink 2.0 removed"},
    {"security.ssl.rest.cert.fingerprint=AB:CD", "certificate pinning is not implemented"},
    {"execution.checkpointing.unaligned.enabled=true", "unaligned checkpoints are not implemented"},
    {"execution.checkpointing.unaligned=true", "unaligned checkpoints are not implemented"},
    {"fs.default-scheme=hdfs://namenode:8020/", "local (or mounted) file systems only"},
    {"high-availability.type=zookeeper", "ZooKeeper and Kubernetes"},
    {"queryable-state.enable=true", "queryable state is not implemented"},
    {"high-availability=kubernetes", "ZooKeeper and Kubernetes"},
  };
  for (const auto& c : cases) {
    config_report report;
    auto config = load_configuration(std::nullopt, {c.property}, report);
    BOOST_REQUIRE_MESSAGE(!config, c.property + " was accepted");
    auto key = c.property.substr(0, c.property.find('='));
    BOOST_TEST(config.error().find(c.says) != std::string::npos, config.error());
    BOOST_TEST(config.error().find("'" + key + "'") != std::string::npos, config.error());
  }
  config_report report;
  BOOST_TEST(
    load_configuration(std::nullopt, {"execution.checkpointing.unaligned.enabled=false"}, report)
      .ok());
}

BOOST_AUTO_TEST_CASE(path_keys_take_every_local_form_as_the_same_absolute_path) {
  const std::vector<const config_option<std::string>*> path_options = {
    &options::checkpoints_dir, &options::savepoints_dir,
    &options::savepoint_path,  &options::high_availability_storage_dir,
    &options::web_upload_dir,  &options::leveldb_local_dir};
  for (const auto* option : path_options) {
    for (std::string form : {"/data/ckpt", "file:/data/ckpt", "file:///data/ckpt",
                             "file://localhost/data/ckpt/", "file:///data/./ckpt"}) {
      config_report report;
      auto config = load_configuration(std::nullopt, {option->key() + "=" + form}, report);
      if (!config)
        BOOST_FAIL(option->key() + "=" + form + ": " + config.error());
      BOOST_TEST(option->get(*config) == "/data/ckpt", option->key() + "=" + form);
    }
    for (std::string bad : {"data/ckpt", "file:data/ckpt", "file://namenode/data/ckpt",
                            "s3://bucket/ckpt", "hdfs:///ckpt", "gs://bucket/x"}) {
      config_report report;
      auto config = load_configuration(std::nullopt, {option->key() + "=" + bad}, report);
      BOOST_REQUIRE_MESSAGE(!config, option->key() + "=" + bad + " was accepted");
      BOOST_TEST(config.error().find("invalid value '" + bad + "' for configuration key '" +
                                     option->key() +
                                     "': expected an absolute local path "
                                     "(/path, file:/path or file:///path)") == 0u,
                 config.error());
    }
  }
  config_report report;
  auto escaped = load_configuration(std::nullopt,
                                    {"execution.checkpointing.dir=file:///data/my%20ckpt"}, report);
  BOOST_REQUIRE(escaped);
  BOOST_TEST(options::checkpoints_dir.get(*escaped) == "/data/my ckpt");
  auto s3 = load_configuration(std::nullopt, {"state.checkpoints.dir=s3://bucket/ckpt"}, report);
  BOOST_TEST(s3.error() == "invalid value 's3://bucket/ckpt' for configuration key "
                           "'state.checkpoints.dir' (Flink 2.x: 'execution.checkpointing.dir'): "
                           "expected an absolute local path "
                           "(/path, file:/path or file:///path), not a URI of scheme 's3': "
                           "flink-cpp writes local or mounted file systems only");
  auto relative = load_configuration(std::nullopt, {"state.checkpoints.dir=ckpt"}, report);
  BOOST_TEST(relative.error().find("not the relative path 'ckpt', which would depend on the "
                                   "working directory") != std::string::npos);
  auto host = load_configuration(std::nullopt, {"state.checkpoints.dir=file://nn/ckpt"}, report);
  BOOST_TEST(host.error().find("not a file URI of host 'nn'") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

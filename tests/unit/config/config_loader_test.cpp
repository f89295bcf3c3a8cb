#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "config/config_loader.hpp"
#include "config/core_options.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;

BOOST_AUTO_TEST_SUITE(config_loader)

BOOST_AUTO_TEST_CASE(nested_and_flat_yaml_keys_flatten_to_dotted_keys) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism:\n  default: 4\n"
                                      "taskmanager.numberOfTaskSlots: 2\n"
                                      "execution:\n  runtime-mode: BATCH\n"
                                      "some.list: [a, b]\n");
  auto config = read_config_dir(dir.path().string());
  BOOST_REQUIRE(config);
  BOOST_TEST(*config->get("parallelism.default") == "4");
  BOOST_TEST(*config->get("taskmanager.numberOfTaskSlots") == "2");
  BOOST_TEST(*config->get("execution.runtime-mode") == "BATCH");
  BOOST_TEST(*config->get("some.list") == "a;b");
}

BOOST_AUTO_TEST_CASE(dynamic_properties_override_the_file) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism.default: 4\n");
  std::vector<std::string> warnings;
  auto config = load_configuration(dir.path().string(), {"parallelism.default=8"}, warnings);
  BOOST_REQUIRE(config);
  BOOST_TEST(options::parallelism_default.get(*config) == 8);
  BOOST_TEST(warnings.empty());
}

BOOST_AUTO_TEST_CASE(defaults_apply_without_a_file) {
  std::vector<std::string> warnings;
  auto config = load_configuration(std::string{}, {}, warnings);
  BOOST_TEST(!config); // an empty directory name does not exist
  auto none = load_configuration(std::nullopt, {}, warnings);
  BOOST_REQUIRE(none);
  BOOST_TEST(options::parallelism_default.get(*none) == 1);
  BOOST_TEST(options::max_parallelism.get(*none) == 128);
  BOOST_TEST(options::buffer_timeout.get(*none).count() == 100);
  BOOST_TEST(options::segment_size.get(*none) == 32u * 1024);
}

BOOST_AUTO_TEST_CASE(flink_conf_dir_is_the_default_directory) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism.default: 6\n");
  ::setenv("FLINK_CONF_DIR", dir.path().c_str(), 1);
  std::vector<std::string> warnings;
  auto from_env = load_configuration(std::nullopt, {}, warnings);
  temp_dir other;
  write_file(other.file("config.yaml"), "parallelism.default: 3\n");
  auto explicit_dir = load_configuration(other.path().string(), {}, warnings);
  ::unsetenv("FLINK_CONF_DIR");
  BOOST_REQUIRE(from_env);
  BOOST_TEST(options::parallelism_default.get(*from_env) == 6);
  BOOST_REQUIRE(explicit_dir);
  BOOST_TEST(options::parallelism_default.get(*explicit_dir) == 3); // --config-dir wins
}

BOOST_AUTO_TEST_CASE(invalid_values_name_key_value_and_expectation) {
  std::vector<std::string> warnings;
  auto config = load_configuration(std::nullopt, {"parallelism.default=0"}, warnings);
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error() ==
             "invalid value '0' for configuration key 'parallelism.default': expected a "
             "positive integer");
  auto mode = load_configuration(std::nullopt, {"execution.runtime-mode=FAST"}, warnings);
  BOOST_TEST(mode.error() == "invalid value 'FAST' for configuration key "
                             "'execution.runtime-mode': expected one of STREAMING | BATCH | "
                             "AUTOMATIC");
  auto groups = load_configuration(std::nullopt, {"pipeline.max-parallelism=40000"}, warnings);
  BOOST_TEST(!groups);
  auto reporter = load_configuration(std::nullopt, {"metrics.reporters=prom,graphite"}, warnings);
  BOOST_TEST(reporter.error() == "invalid value 'prom,graphite' for configuration key "
                                 "'metrics.reporters': expected a list of metric reporters; "
                                 "flink-cpp has 'prom' (Prometheus)");
  auto ports = load_configuration(std::nullopt, {"metrics.reporter.prom.port=9260-9250"}, warnings);
  BOOST_TEST(ports.error() == "invalid value '9260-9250' for configuration key "
                              "'metrics.reporter.prom.port': expected a port (9249) or a range "
                              "of ports (9250-9260)");
  auto range = load_configuration(std::nullopt, {"metrics.reporter.prom.port=9250-9260"}, warnings);
  BOOST_TEST(range.ok());
}

BOOST_AUTO_TEST_CASE(unknown_keys_only_warn) {
  std::vector<std::string> warnings;
  auto config = load_configuration(std::nullopt, {"jobmanager.memory.process.size=1600m"},
                                   warnings);
  BOOST_REQUIRE(config);
  BOOST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0].find("jobmanager.memory.process.size") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_dynamic_properties_are_rejected) {
  std::vector<std::string> warnings;
  auto config = load_configuration(std::nullopt, {"novalue"}, warnings);
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error() == "malformed -D 'novalue': expected -D key=value");
  BOOST_TEST(!load_configuration(std::nullopt, {"=x"}, warnings));
}

BOOST_AUTO_TEST_CASE(broken_files_are_reported_with_their_path) {
  temp_dir dir;
  write_file(dir.file("config.yaml"), "parallelism: [unclosed\n");
  auto config = read_config_dir(dir.path().string());
  BOOST_REQUIRE(!config);
  BOOST_TEST(config.error().find(dir.file("config.yaml")) != std::string::npos);

  temp_dir empty;
  auto missing = read_config_dir(empty.path().string());
  BOOST_TEST(missing.error().find("has no config.yaml") != std::string::npos);

  write_file(dir.file("config.yaml"), "- a\n- b\n");
  BOOST_TEST(!read_config_dir(dir.path().string()));
}

BOOST_AUTO_TEST_SUITE_END()

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// What loading a configuration noticed without failing: keys set under
/// their deprecated name, unknown keys (with a hint), keys flink-cpp ignores.
struct config_report {
  /// One line each, for WARN.
  std::vector<std::string> warnings;
  /// Keys that mean nothing to flink-cpp (README's class (b)), with why; for
  /// one INFO line (see ignored_line).
  std::vector<std::string> ignored;

  /// "ignored (they mean nothing to flink-cpp): key (why), ...", or empty.
  std::string ignored_line() const;

  /// Logs the warnings at WARN and the ignored keys in one line at INFO
  /// (component "config").
  void log() const;
};

/// Reads the configuration file of directory `dir`, as Flink 1.19+ does:
/// config.yaml (YAML; nested maps flatten into dotted keys, lists join with
/// ';'), else flink-conf.yaml (Flink's legacy flat `key: value` lines). With
/// both, config.yaml is read and a warning says flink-conf.yaml is not.
/// Deprecated key names become their Flink 2.x names (see normalize_keys).
result<configuration> read_config_dir(const std::string& dir, config_report& report);

/// Turns the deprecated keys of one source of configuration (a file,
/// FLINK_PROPERTIES, the -D overrides, a REST request's flinkConfiguration)
/// into the Flink 2.x keys they stand for, with a warning each. Two names of
/// one key set to different values fail naming both; `source` names where
/// they came from.
result<configuration> normalize_keys(const configuration& layer, const std::string& source,
                                     config_report& report);

/// Parses `-D key=value` overrides (each "key=value") into one normalized
/// layer.
result<configuration> dynamic_properties(const std::vector<std::string>& properties,
                                         config_report& report);

/// Sets every key of `layer` (normalized) in `config`, replacing what was
/// there: later sources win.
void apply_layer(configuration& config, const configuration& layer);

/// Checks the value of every known key, and classifies every other key:
/// refused (fails naming the key and why), ignored, or unknown (a warning
/// with a hint). `config` must be normalized.
result<void> validate_configuration(const configuration& config, config_report& report);

/// The configuration of a process, lowest precedence first: the file of
/// `config_dir` (else of $FLINK_CONF_DIR, else none), then $FLINK_PROPERTIES
/// (flat `key: value` lines, as Flink's docker image appends them), then the
/// `-D` overrides; each normalized, then all validated.
result<configuration> load_configuration(const std::optional<std::string>& config_dir,
                                         const std::vector<std::string>& dynamic_properties,
                                         config_report& report);

} // namespace flinkcpp

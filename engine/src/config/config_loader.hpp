#pragma once

#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Reads `dir`/config.yaml, Flink's configuration file: nested YAML maps
/// flatten into dotted keys (`parallelism: {default: 4}` is
/// `parallelism.default: 4`), flat dotted keys work as well.
result<configuration> read_config_dir(const std::string& dir);

/// Applies `-D key=value` overrides, each "key=value".
result<void> apply_dynamic_properties(configuration& config,
                                      const std::vector<std::string>& properties);

/// Checks the value of every known key; unknown keys only add a warning (they
/// may be Flink keys flink-cpp does not use).
result<void> validate_configuration(const configuration& config,
                                    std::vector<std::string>& warnings);

/// The configuration of a process: config.yaml from `config_dir` (else from
/// $FLINK_CONF_DIR, else none), then `-D` overrides, then validation.
result<configuration> load_configuration(const std::optional<std::string>& config_dir,
                                         const std::vector<std::string>& dynamic_properties,
                                         std::vector<std::string>& warnings);

} // namespace flinkcpp

#pragma once

#include <string>
#include <string_view>

#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Parses Flink's legacy flat configuration format: the lines of
/// flink-conf.yaml, and the FLINK_PROPERTIES variable of Flink's docker image.
/// Each line is `key: value` (split at the first ": "); '#' starts a comment
/// that runs to the end of the line; blank lines are skipped; a later line
/// sets a key again. As Flink's parser, values are taken as written (no YAML
/// quoting or lists). A line that is not a key-value pair fails naming
/// `source` and the line number (Flink only warns; a skipped line could drop
/// a checkpoint directory unnoticed).
result<configuration> parse_flat_config(std::string_view text, const std::string& source);

} // namespace flinkcpp

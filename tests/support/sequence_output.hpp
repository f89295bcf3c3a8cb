#pragma once

#include <string>

namespace flinkcpp::testing {

/// Checks what the exactly_once test job (tests/jobs/exactly_once_job.cpp)
/// committed into `dir` for `keys` keys of `per_key` sequences: every
/// (key, sequence) exactly once, no alert, each key's last distinct count
/// equal to `per_key`, no hidden (uncommitted) file left. Returns the first
/// problem found, or an empty string when the output is exact.
std::string check_sequence_output(const std::string& dir, int keys, int per_key);

} // namespace flinkcpp::testing

#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"

namespace flinkcpp {

/// Flink's CLI spells some options as several letters after one dash (-sae,
/// -rm, -full, -type), which a parser of POSIX options reads as a one-letter
/// option with a value ("-sae" as "-s ae"). Rewrites them into the long forms
/// flink-cpp's parser knows (--shutdownOnAttachedExit, --restoreMode, ...),
/// in a verb's own options only: for run, info and standalone-job, up to JOB,
/// never in the job's arguments after it. Fails, naming the option, for
/// Flink features flink-cpp lacks (PyFlink: -py, -pym, -pyfs, ...; YARN).
/// `args` is the whole command line, args[0] the program and args[1] the verb.
result<std::vector<std::string>> translate_flink_arguments(std::vector<std::string> args);

} // namespace flinkcpp

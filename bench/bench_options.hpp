#pragma once

#include <cstdint>
#include <string>

namespace flinkcpp::bench {

/// The options every benchmark takes: [--megabytes N] [--repeat N] [--dir DIR].
struct bench_options {
  std::uint64_t megabytes = 200; ///< size of the text corpus, in MB (10^6 bytes)
  int repeat = 3;                ///< runs of each measurement; the best counts
  std::string dir;               ///< where data is cached (bench_data_dir)
  std::string corpus;            ///< the corpus of `megabytes` MB in `dir`
};

/// Parses the command line and prepares the data directory and corpus. Prints
/// the usage and exits (0 for --help, 2 for bad options) instead of returning
/// when the command line is not valid.
bench_options parse_bench_options(const char* description, int argc, char** argv);

} // namespace flinkcpp::bench

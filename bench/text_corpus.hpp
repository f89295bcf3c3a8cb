#pragma once

#include <cstdint>
#include <string>

namespace flinkcpp::bench {

/// Writes about `bytes` bytes of English-like text to `path`: words drawn
/// from a fixed vocabulary with a Zipf-like distribution, 4 to 16 words per
/// line, some capitalised, some punctuation. Deterministic for a given seed.
/// Returns false (and leaves no file) if the file cannot be written.
bool write_text_corpus(const std::string& path, std::uint64_t bytes, std::uint64_t seed = 42);

/// The directory for benchmark data: `given` if not null, else
/// /var/cache/flink-cpp/bench, else one under the temp directory; the first
/// that can be created and written. Exits with status 2 if none can.
std::string bench_data_dir(const char* given);

/// The path of a corpus of `megabytes` MB (10^6 bytes) in `dir`, written on
/// first use and reused afterwards. Exits with status 2 if it cannot be written.
std::string cached_corpus(const std::string& dir, std::uint64_t megabytes);

/// The path of `megabytes` MB of real English text in `dir`: the system's
/// licence texts (/usr/share/common-licenses) and package copyright files
/// (/usr/share/doc/*/copyright), in path order, repeated until the size is
/// reached; written on first use and reused afterwards. Exits with status 2 if
/// there are no such files or the corpus cannot be written.
std::string cached_real_text(const std::string& dir, std::uint64_t megabytes);

} // namespace flinkcpp::bench

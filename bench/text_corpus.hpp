#pragma once

#include <cstdint>
#include <string>

namespace flinkcpp::bench {

/// Writes about `bytes` bytes of English-like text to `path`: words drawn
/// from a fixed vocabulary with a Zipf-like distribution, 4 to 16 words per
/// line, some capitalised, some punctuation. Deterministic for a given seed.
/// Returns false (and leaves no file) if the file cannot be written.
bool write_text_corpus(const std::string& path, std::uint64_t bytes, std::uint64_t seed = 42);

} // namespace flinkcpp::bench

#include "text_corpus.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <unistd.h>

namespace flinkcpp::bench {

namespace {

/// xorshift64*: fast, deterministic, good enough for test data.
struct random_source {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
};

} // namespace

bool write_text_corpus(const std::string& path, std::uint64_t bytes, std::uint64_t seed) {
  random_source rng{seed * 0x9E3779B97F4A7C15ULL + 1};
  constexpr std::size_t vocabulary_size = 50000;
  std::vector<std::string> vocabulary;
  vocabulary.reserve(vocabulary_size);
  for (std::size_t i = 0; i < vocabulary_size; ++i) {
    std::string w;
    auto len = 2 + rng.below(9);
    for (std::uint64_t j = 0; j < len; ++j)
      w.push_back(static_cast<char>('a' + rng.below(26)));
    vocabulary.push_back(std::move(w));
  }
  // Zipf-like: rank r drawn as floor(exp(u * ln(N))), frequent words first.
  auto draw = [&] {
    double u = static_cast<double>(rng.next() >> 11) / 9007199254740992.0;
    auto r = static_cast<std::size_t>(std::exp(u * std::log(double(vocabulary_size)))) - 1;
    return r < vocabulary_size ? r : vocabulary_size - 1;
  };
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return false;
  std::string line;
  std::uint64_t written = 0;
  static const char* punctuation[] = {",", ".", ";", "!", "?", "--"};
  while (written < bytes) {
    line.clear();
    auto words = 4 + rng.below(13);
    for (std::uint64_t i = 0; i < words; ++i) {
      if (i > 0)
        line.push_back(' ');
      std::string w = vocabulary[draw()];
      if (rng.below(10) == 0)
        w[0] = static_cast<char>(w[0] - 'a' + 'A');
      line += w;
      if (rng.below(8) == 0)
        line += punctuation[rng.below(6)];
    }
    line.push_back('\n');
    if (std::fwrite(line.data(), 1, line.size(), f) != line.size()) {
      std::fclose(f);
      std::remove(path.c_str());
      return false;
    }
    written += line.size();
  }
  if (std::fclose(f) != 0) {
    std::remove(path.c_str());
    return false;
  }
  return true;
}

std::string bench_data_dir(const char* given) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (given != nullptr)
    candidates.emplace_back(given);
  candidates.emplace_back("/var/cache/flink-cpp/bench");
  candidates.push_back(fs::temp_directory_path() / "flink-cpp-bench");
  for (const auto& c : candidates) {
    std::error_code ec;
    fs::create_directories(c, ec);
    if (!ec && ::access(c.c_str(), W_OK) == 0)
      return c.string();
  }
  std::fprintf(stderr, "no writable directory for the benchmark's data\n");
  std::exit(2);
}

std::string cached_corpus(const std::string& dir, std::uint64_t megabytes) {
  auto path =
    (std::filesystem::path{dir} / ("corpus-" + std::to_string(megabytes) + "mb.txt")).string();
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "generating %s\n", path.c_str());
    if (!write_text_corpus(path, megabytes * 1000 * 1000)) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      std::exit(2);
    }
  }
  return path;
}

} // namespace flinkcpp::bench

#include "text_corpus.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

/// The real-text files of this system, in path order: licence texts (not
/// their symlinked aliases) and every package's copyright file.
std::vector<std::filesystem::path> real_text_files() {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/share/common-licenses", ec))
    if (e.is_regular_file() && !e.is_symlink())
      files.push_back(e.path());
  for (const auto& e : fs::directory_iterator("/usr/share/doc", ec)) {
    auto copyright = e.path() / "copyright";
    if (fs::is_regular_file(copyright, ec))
      files.push_back(copyright);
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Writes the contents of `files` to `path` over and over until `bytes` bytes
/// are written (the last copy cut at a line end).
bool write_repeated(const std::vector<std::filesystem::path>& files, const std::string& path,
                    std::uint64_t bytes) {
  std::string text;
  for (const auto& f : files) {
    std::error_code ec;
    auto size = std::filesystem::file_size(f, ec);
    std::ifstream in(f, std::ios::binary);
    if (ec || !in)
      continue;
    auto at = text.size();
    text.resize(at + size);
    in.read(text.data() + at, static_cast<std::streamsize>(size));
    text.resize(at + static_cast<std::size_t>(in.gcount()));
    if (!text.empty() && text.back() != '\n')
      text.push_back('\n');
  }
  if (text.empty())
    return false;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::uint64_t written = 0;
  while (out && written < bytes) {
    auto n = std::min<std::uint64_t>(text.size(), bytes - written);
    auto line_end = text.find('\n', n == 0 ? 0 : n - 1);
    n = line_end == std::string::npos ? text.size() : line_end + 1;
    out.write(text.data(), static_cast<std::streamsize>(n));
    written += n;
  }
  out.close();
  if (!out) {
    std::remove(path.c_str());
    return false;
  }
  return true;
}

/// `dir`/`name`, made by `write` on first use.
template <class Write>
std::string cached_file(const std::string& dir, const std::string& name, Write write) {
  auto path = (std::filesystem::path{dir} / name).string();
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "generating %s\n", path.c_str());
    if (!write(path)) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      std::exit(2);
    }
  }
  return path;
}

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
  return cached_file(
    dir, "corpus-" + std::to_string(megabytes) + "mb.txt",
    [&](const std::string& path) { return write_text_corpus(path, megabytes * 1000 * 1000); });
}

std::string cached_real_text(const std::string& dir, std::uint64_t megabytes) {
  auto files = real_text_files();
  if (files.empty()) {
    std::fprintf(stderr, "no text under /usr/share/common-licenses or /usr/share/doc\n");
    std::exit(2);
  }
  return cached_file(
    dir, "real-text-" + std::to_string(megabytes) + "mb.txt",
    [&](const std::string& path) { return write_repeated(files, path, megabytes * 1000 * 1000); });
}

} // namespace flinkcpp::bench

#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace flinkcpp::testing {

/// The word counts of `text` as `tr -cs 'A-Za-z0-9' '\n' | tr A-Z a-z | sort |
/// uniq -c` computes them: maximal runs of ASCII letters and digits,
/// lowercased. Written independently of the engine's tokenizer.
inline std::map<std::string, std::int64_t> reference_word_counts(const std::string& text) {
  std::map<std::string, std::int64_t> counts;
  std::string word;
  auto flush = [&] {
    if (!word.empty())
      ++counts[word];
    word.clear();
  };
  for (unsigned char c : text) {
    bool digit = c >= '0' && c <= '9';
    bool lower = c >= 'a' && c <= 'z';
    bool upper = c >= 'A' && c <= 'Z';
    if (digit || lower)
      word.push_back(static_cast<char>(c));
    else if (upper)
      word.push_back(static_cast<char>(c - 'A' + 'a'));
    else
      flush();
  }
  flush();
  return counts;
}

/// The counts WordCount wrote to `path`, one "(word,count)" line each (the
/// last line of a word wins: BATCH writes one, STREAMING every update).
inline std::map<std::string, std::int64_t> final_counts(const std::string& path) {
  std::map<std::string, std::int64_t> counts;
  for (const auto& line : lines_of(read_file(path))) {
    auto comma = line.rfind(',');
    counts[line.substr(1, comma - 1)] = std::stoll(line.substr(comma + 1, line.size() - comma - 2));
  }
  return counts;
}

/// The counts WordCount printed (no --output) among other lines of `text`
/// (a taskmanager's log, the output of a local run): its "N> (word,count)"
/// lines, the last line of a word winning.
inline std::map<std::string, std::int64_t> printed_counts(const std::string& text) {
  std::map<std::string, std::int64_t> counts;
  for (const auto& line : lines_of(text)) {
    auto open = line.find("> (");
    auto comma = line.rfind(',');
    if (open == std::string::npos || comma == std::string::npos || comma < open ||
        line.back() != ')' || line.find_first_not_of("0123456789") != open || open == 0)
      continue;
    counts[line.substr(open + 3, comma - open - 3)] =
      std::stoll(line.substr(comma + 1, line.size() - comma - 2));
  }
  return counts;
}

} // namespace flinkcpp::testing

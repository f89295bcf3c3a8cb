#pragma once

// WordCount's tokenization, shared by the built-in wordcount and
// kafka-wordcount jobs: words are maximal runs of ASCII letters and digits,
// lowercased; every other byte separates words.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "flinkcpp/collector.hpp"

namespace flinkcpp::examples {

struct word_count {
  std::string word;
  std::int64_t count = 0;
};

template <class Inspector>
auto inspect(Inspector& f, word_count& x) {
  return f(x.word, x.count);
}

/// Maps every byte to its lowercase form if it belongs to a word, else to 0.
constexpr std::array<char, 256> word_bytes = [] {
  std::array<char, 256> table{};
  for (int c = '0'; c <= '9'; ++c)
    table[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) {
    table[static_cast<std::size_t>(c)] = static_cast<char>(c);
    table[static_cast<std::size_t>(c - 'a' + 'A')] = static_cast<char>(c);
  }
  return table;
}();

inline void tokenize(std::string_view line, flinkcpp::collector<word_count>& out) {
  auto in_word = [](char c) { return word_bytes[static_cast<unsigned char>(c)] != 0; };
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && !in_word(line[i]))
      ++i;
    auto start = i;
    while (i < n && in_word(line[i]))
      ++i;
    if (i == start)
      break;
    word_count w{std::string(line.data() + start, i - start), 1};
    for (char& c : w.word)
      c = word_bytes[static_cast<unsigned char>(c)];
    out.collect(std::move(w));
  }
}

} // namespace flinkcpp::examples

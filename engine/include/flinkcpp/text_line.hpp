#pragma once

#include <cstdint>
#include <string>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A line of a text file with where it came from (read_text_lines): the
/// file's path and the line's number in it, from 1. A plain value type.
struct text_line {
  std::string file;
  std::int64_t number = 0;
  std::string text;

  friend bool operator==(const text_line&, const text_line&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, text_line& x) {
  return f(x.file, x.number, x.text);
}

} // namespace flinkcpp
FLINKCPP_API_END

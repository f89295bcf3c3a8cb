#pragma once

// What the generated scanner (lexer.l) and parser (grammar.yy) share while
// one script is parsed: where the scanner is, and the last token it read
// (for syntax errors). Internal to the parser.

#include <string>

#include "sql/parser/ast.hpp"

namespace flinkcpp::sql::detail {

struct scan_state {
  position next;            ///< where the next character is
  position token;           ///< where the last token starts
  std::string token_text;   ///< the last token as written
  bool at_end = false;      ///< the last token was the end of the script
  bool unsupported = false; ///< the last token is a feature flink-cpp lacks (MATCH_RECOGNIZE)

  /// Moves past `text` (the token just read): token = next, then next
  /// advances over its lines and columns.
  void advance(const char* text, std::size_t length) {
    token = next;
    token_text.assign(text, length);
    unsupported = false;
    for (std::size_t i = 0; i < length; ++i) {
      if (text[i] == '\n') {
        ++next.line;
        next.column = 1;
      } else {
        ++next.column;
      }
    }
    next.offset += length;
  }
};

} // namespace flinkcpp::sql::detail

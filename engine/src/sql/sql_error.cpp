#include "sql/sql_error.hpp"

#include <algorithm>

namespace flinkcpp::sql {

std::string describe(const sql_error& error, std::string_view script, std::string_view source) {
  auto at = error.where();
  std::string out{source};
  out += ':' + std::to_string(at.line) + ':' + std::to_string(at.column) + ": " + error.what();
  auto begin = std::min(at.offset, script.size());
  while (begin > 0 && script[begin - 1] != '\n')
    --begin;
  auto end = script.find('\n', begin);
  auto line =
    script.substr(begin, end == std::string_view::npos ? script.size() - begin : end - begin);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  out += "\n  ";
  out += line;
  out += "\n  ";
  // Tabs stay tabs, so that the caret lines up under the token.
  for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(at.column) && i < line.size(); ++i)
    out += line[i] == '\t' ? '\t' : ' ';
  out += '^';
  return out;
}

} // namespace flinkcpp::sql

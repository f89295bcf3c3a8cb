#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/detail/csv_codec.hpp"

namespace flinkcpp::detail {

std::vector<csv_field> split_csv_line(std::string_view line, const csv_options& options) {
  std::vector<csv_field> fields;
  std::size_t pos = 0;
  for (;;) {
    csv_field& field = fields.emplace_back();
    if (pos < line.size() && line[pos] == options.quote_character) {
      field.quoted = true;
      ++pos;
      for (;;) {
        if (pos == line.size())
          throw format_error("column " + std::to_string(fields.size()) +
                             ": the quoted field has no closing " +
                             std::string(1, options.quote_character));
        char c = line[pos++];
        if (c != options.quote_character) {
          field.text.push_back(c);
        } else if (pos < line.size() && line[pos] == options.quote_character) {
          field.text.push_back(c);
          ++pos;
        } else {
          break;
        }
      }
      if (pos < line.size() && line[pos] != options.field_delimiter)
        throw format_error("column " + std::to_string(fields.size()) +
                           ": text after the closing quote; expected the delimiter '" +
                           std::string(1, options.field_delimiter) + "'");
    } else {
      auto end = line.find(options.field_delimiter, pos);
      field.text.assign(line.substr(pos, end == std::string_view::npos ? end : end - pos));
      pos = end == std::string_view::npos ? line.size() : end;
    }
    if (pos == line.size())
      return fields;
    ++pos; // the delimiter
  }
}

} // namespace flinkcpp::detail

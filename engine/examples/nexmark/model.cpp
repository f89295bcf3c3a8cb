#include "nexmark/model.hpp"

namespace flinkcpp::nexmark {

namespace {

/// Appends fields to a CSV line, each after a comma; quoted (RFC 4180)
/// when it holds a comma, a quote or a line break.
struct csv_fields {
  std::string& line;

  template <class... Ts>
  auto operator()(const Ts&... fields) {
    (append(fields), ...);
    return true;
  }

  void append(std::int64_t v) {
    line += ',';
    line += std::to_string(v);
  }

  void append(const std::string& s) {
    line += ',';
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
      line += s;
      return;
    }
    line += '"';
    for (char c : s) {
      if (c == '"')
        line += '"';
      line += c;
    }
    line += '"';
  }
};

template <class T>
std::string line_of(const char* kind, const T& record) {
  std::string line = kind;
  csv_fields fields{line};
  inspect(fields, record);
  return line;
}

} // namespace

std::string csv_line(const event& e) {
  if (e.person)
    return line_of("person", *e.person);
  if (e.auction)
    return line_of("auction", *e.auction);
  return line_of("bid", *e.bid);
}

} // namespace flinkcpp::nexmark

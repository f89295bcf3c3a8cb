#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "connectors/line_splitter.hpp"

using flinkcpp::line_splitter;

namespace {

/// The lines of a whole file, as one reader sees them.
std::vector<std::string> whole_file_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    auto end = nl == std::string::npos ? text.size() : nl;
    auto line = text.substr(start, end - start);
    if (nl != std::string::npos && !line.empty() && line.back() == '\r')
      line.pop_back();
    out.push_back(line);
    if (nl == std::string::npos)
      break;
    start = nl + 1;
  }
  return out;
}

/// The lines split [start, end) owns, feeding bytes in chunks of `chunk`.
std::vector<std::string> split_lines(const std::string& text, std::size_t start, std::size_t end,
                                     std::size_t chunk) {
  line_splitter s{start, end};
  auto offset = s.first_read_offset();
  std::vector<std::string> out;
  std::string line;
  for (;;) {
    auto st = s.next(line);
    if (st == line_splitter::status::line) {
      out.push_back(line);
    } else if (st == line_splitter::status::done) {
      return out;
    } else if (offset >= text.size()) {
      s.end_of_file();
    } else {
      auto n = std::min(chunk, text.size() - offset);
      s.append(std::string_view{text}.substr(offset, n));
      offset += n;
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(line_splitting)

BOOST_AUTO_TEST_CASE(every_split_point_gives_every_line_exactly_once) {
  const std::vector<std::string> texts = {
    "",
    "\n",
    "a",
    "a\n",
    "one\ntwo\nthree",
    "one\ntwo\nthree\n",
    "\n\n\nx\n\n",
    "crlf\r\nline\r\n\r\nlast\r",
    "long " + std::string(300, 'x') + "\nshort\n" + std::string(77, 'y'),
  };
  for (const auto& text : texts) {
    auto expected = whole_file_lines(text);
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u, 1000u}) {
      // Two splits at every cut point, and three at a sample of them.
      for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        auto got = split_lines(text, 0, cut, chunk);
        auto rest = split_lines(text, cut, text.size(), chunk);
        got.insert(got.end(), rest.begin(), rest.end());
        BOOST_TEST(got == expected,
                   "text of " << text.size() << " bytes cut at " << cut << ", chunks of " << chunk);
        auto second = (cut + text.size()) / 2;
        auto a = split_lines(text, 0, cut, chunk);
        auto b = split_lines(text, cut, second, chunk);
        auto c = split_lines(text, second, text.size(), chunk);
        a.insert(a.end(), b.begin(), b.end());
        a.insert(a.end(), c.begin(), c.end());
        BOOST_TEST(a == expected);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(binary_bytes_pass_through) {
  std::string text;
  for (int i = 0; i < 256; ++i)
    text.push_back(static_cast<char>(i));
  auto lines = split_lines(text, 0, text.size(), 16);
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[0].size() == 10u); // bytes 0..9, then '\n'
  BOOST_TEST(lines[1].size() == 245u);
}

BOOST_AUTO_TEST_SUITE_END()

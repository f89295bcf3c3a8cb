#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "flinkcpp/detail/record_size.hpp"
#include "flinkcpp/detail/record_text.hpp"

namespace sample {

struct word_count {
  std::string word;
  long count = 0;
};

template <class Inspector>
auto inspect(Inspector& f, word_count& x) {
  return f(x.word, x.count);
}

struct nested {
  word_count inner;
  std::vector<int> values;
  std::optional<double> maybe;
};

template <class Inspector>
auto inspect(Inspector& f, nested& x) {
  return f(x.inner, x.values, x.maybe);
}

} // namespace sample

using flinkcpp::detail::record_size;
using flinkcpp::detail::to_text;

BOOST_AUTO_TEST_SUITE(record_text)

BOOST_AUTO_TEST_CASE(scalars_print_as_flink_prints_them) {
  BOOST_TEST(to_text(std::string{"to be"}) == "to be");
  BOOST_TEST(to_text(42) == "42");
  BOOST_TEST(to_text(-7L) == "-7");
  BOOST_TEST(to_text(true) == "true");
  BOOST_TEST(to_text(1.5) == "1.5");
  BOOST_TEST(to_text(2.0) == "2.0");
}

BOOST_AUTO_TEST_CASE(structs_and_tuples_print_as_tuples) {
  BOOST_TEST(to_text(sample::word_count{"be", 2}) == "(be,2)");
  BOOST_TEST(to_text(std::make_pair(std::string{"a"}, 1)) == "(a,1)");
  BOOST_TEST(to_text(std::make_tuple(1, 2.5, std::string{"x"})) == "(1,2.5,x)");
  sample::nested n;
  n.inner.word = "w";
  n.inner.count = 1;
  n.values = {1, 2, 3};
  BOOST_TEST(to_text(n) == "((w,1),[1, 2, 3],null)");
}

BOOST_AUTO_TEST_CASE(sizes_count_owned_heap_bytes) {
  BOOST_TEST(record_size(std::int64_t{1}) == sizeof(std::int64_t));
  sample::word_count small{"short", 1};
  BOOST_TEST(record_size(small) == sizeof(sample::word_count));
  sample::word_count big{std::string(1000, 'x'), 1};
  BOOST_TEST(record_size(big) >= sizeof(sample::word_count) + 1000);
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/spi/key_groups.hpp"

using namespace flinkcpp::detail;
using namespace flinkcpp::spi;

namespace sample {
struct point {
  int x = 0;
  std::string label;
  friend bool operator==(const point&, const point&) = default;
};
template <class Inspector>
auto inspect(Inspector& f, point& p) {
  return f(p.x, p.label);
}
} // namespace sample

BOOST_AUTO_TEST_SUITE(key_groups)

BOOST_AUTO_TEST_CASE(ranges_match_flinks_assignment) {
  // KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(128, 3, i)
  BOOST_TEST((key_groups_of_subtask(128, 3, 0) == key_group_range{0, 43}));
  BOOST_TEST((key_groups_of_subtask(128, 3, 1) == key_group_range{43, 86}));
  BOOST_TEST((key_groups_of_subtask(128, 3, 2) == key_group_range{86, 128}));
  // computeOperatorIndexForKeyGroup(128, 3, g)
  BOOST_TEST(subtask_for_key_group(128, 3, 42) == 0);
  BOOST_TEST(subtask_for_key_group(128, 3, 43) == 1);
  BOOST_TEST(subtask_for_key_group(128, 3, 127) == 2);
}

BOOST_AUTO_TEST_CASE(ranges_partition_all_groups_consistently) {
  for (int max_p : {1, 7, 128, 1000}) {
    for (int p = 1; p <= std::min(max_p, 17); ++p) {
      int next = 0;
      for (int i = 0; i < p; ++i) {
        auto r = key_groups_of_subtask(max_p, p, i);
        BOOST_TEST(r.begin == next);
        for (int g = r.begin; g < r.end; ++g)
          BOOST_TEST(subtask_for_key_group(max_p, p, g) == i);
        next = r.end;
      }
      BOOST_TEST(next == max_p);
    }
  }
}

BOOST_AUTO_TEST_CASE(key_hashes_are_stable_and_spread) {
  // XXH3-64 of the key's bytes: the same in every process and release.
  BOOST_TEST(key_hash(std::string{"hello"}) == 0x9555e8555c62dcfdULL);
  BOOST_TEST(key_hash(std::string{"hello"}) == key_hash(std::string_view{"hello"}));
  BOOST_TEST(key_hash(0.0) == key_hash(-0.0));
  BOOST_TEST(key_hash(sample::point{1, "a"}) == key_hash(sample::point{1, "a"}));
  BOOST_TEST(key_hash(sample::point{1, "a"}) != key_hash(sample::point{1, "b"}));
  // Length prefixes keep ("ab","c") and ("a","bc") apart.
  BOOST_TEST(key_hash(std::make_pair(std::string{"ab"}, std::string{"c"})) !=
             key_hash(std::make_pair(std::string{"a"}, std::string{"bc"})));
  std::set<int> groups;
  for (int i = 0; i < 10000; ++i)
    groups.insert(key_group_of(key_hash(std::to_string(i)), 128));
  BOOST_TEST(groups.size() == 128u);
}

BOOST_AUTO_TEST_SUITE_END()

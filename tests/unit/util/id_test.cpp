#include <boost/test/unit_test.hpp>

#include <set>

#include "util/id.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(ids)

BOOST_AUTO_TEST_CASE(ids_print_as_32_hex_digits_and_parse_back) {
  job_id id{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  BOOST_TEST(id.to_string() == "0123456789abcdeffedcba9876543210");
  BOOST_TEST((job_id::parse(id.to_string()) == id));
  BOOST_TEST((job_id::parse("0123456789ABCDEFFEDCBA9876543210") == id));
  BOOST_TEST(!job_id::parse("0123"));
  BOOST_TEST(!job_id::parse("0123456789abcdeffedcba987654321g"));
  BOOST_TEST(!job_id::parse("../../../../etc/passwd0123456789"));
}

BOOST_AUTO_TEST_CASE(random_ids_differ_and_derived_ids_are_stable) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i)
    seen.insert(job_id::random().to_string());
  BOOST_TEST(seen.size() == 1000u);
  BOOST_TEST((operator_id::derived_from("uid:source") == operator_id::derived_from("uid:source")));
  BOOST_TEST((operator_id::derived_from("uid:a") != operator_id::derived_from("uid:b")));
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include "util/local_address.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(local_address)

BOOST_AUTO_TEST_CASE(a_loopback_destination_is_reached_from_a_loopback_address) {
  auto by_address = local_address_towards("127.0.0.1", 6123);
  BOOST_TEST_REQUIRE(by_address.ok(), (by_address.ok() ? "" : by_address.error()));
  BOOST_TEST(*by_address == "127.0.0.1");
  // A name with IPv4 and IPv6 addresses gives the IPv4 one.
  auto by_name = local_address_towards("localhost", 6123);
  BOOST_TEST_REQUIRE(by_name.ok(), (by_name.ok() ? "" : by_name.error()));
  BOOST_TEST(*by_name == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(an_unknown_host_is_an_error_naming_it) {
  auto unknown = local_address_towards("no-such-host.invalid", 6123);
  BOOST_TEST_REQUIRE(!unknown.ok());
  BOOST_TEST(unknown.error().find("'no-such-host.invalid'") != std::string::npos, unknown.error());
}

BOOST_AUTO_TEST_CASE(the_host_name_is_never_empty) {
  BOOST_TEST(!local_host_name().empty());
}

BOOST_AUTO_TEST_SUITE_END()

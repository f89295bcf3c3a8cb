#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

BOOST_AUTO_TEST_CASE(a_listening_port_accepts_and_a_closed_one_is_refused_by_name) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BOOST_TEST_REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  BOOST_TEST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0);
  BOOST_TEST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  auto port = ntohs(address.sin_port);
  // Bound but not listening: refused.
  auto refused = accepts_connections("127.0.0.1", port, std::chrono::seconds{5});
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().find("127.0.0.1:" + std::to_string(port)) != std::string::npos,
             refused.error());
  BOOST_TEST_REQUIRE(::listen(fd, 1) == 0);
  auto accepted = accepts_connections("localhost", port, std::chrono::seconds{5});
  BOOST_TEST(accepted.ok(), (accepted.ok() ? "" : accepted.error()));
  ::close(fd);
  BOOST_TEST(!accepts_connections("no-such-host.invalid", port, std::chrono::seconds{5}).ok());
}

BOOST_AUTO_TEST_CASE(the_host_name_is_never_empty) {
  BOOST_TEST(!local_host_name().empty());
}

BOOST_AUTO_TEST_SUITE_END()

// The control plane's errors: an errc and one line for users travel in a CAF
// error, come back as the same failure, and render readably; CAF's own
// errors map to what a caller can act on.

#include <boost/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>
#include <caf/sec.hpp>

#include "cluster/actor_system_setup.hpp"
#include "cluster/errors.hpp"

using namespace flinkcpp;

namespace {

struct system_fixture {
  caf::actor_system_config config;
  caf::actor_system system{[this]() -> caf::actor_system_config& {
    configure_scheduler(config);
    return config;
  }()};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(control_errors, system_fixture)

BOOST_AUTO_TEST_CASE(a_control_error_comes_back_as_the_failure_it_was) {
  for (auto code : {errc::not_found, errc::conflict, errc::invalid_argument, errc::unavailable,
                    errc::unspecified}) {
    auto error = make_control_error(code, "job 42 is not running");
    BOOST_TEST(static_cast<bool>(error));
    auto f = failure_of(system, error);
    BOOST_TEST((f.code() == code), to_string(code));
    BOOST_TEST(f.message() == "job 42 is not running");
    BOOST_TEST(error_text(system, error) == "job 42 is not running");
  }
  BOOST_TEST(system.render(make_control_error(errc::not_found, "job 42 not found")) ==
             "not_found: job 42 not found");
}

BOOST_AUTO_TEST_CASE(cafs_own_errors_say_whether_the_peer_was_there) {
  auto timeout = failure_of(system, caf::make_error(caf::sec::request_timeout));
  BOOST_TEST((timeout.code() == errc::unavailable));
  auto gone = failure_of(system, caf::make_error(caf::sec::request_receiver_down));
  BOOST_TEST((gone.code() == errc::unavailable));
  auto other = failure_of(system, caf::make_error(caf::sec::unexpected_message));
  BOOST_TEST((other.code() == errc::unspecified));
  BOOST_TEST(!other.message().empty()); // CAF's rendering
}

BOOST_AUTO_TEST_CASE(results_keep_the_kind_of_their_failure) {
  result<int> r = failure{errc::conflict, "busy"};
  BOOST_TEST((r.code() == errc::conflict));
  result<void> v = failure{errc::not_found, "gone"};
  BOOST_TEST((v.code() == errc::not_found));
  result<void> plain = failure{"plain"};
  BOOST_TEST((plain.code() == errc::unspecified));
}

BOOST_AUTO_TEST_SUITE_END()

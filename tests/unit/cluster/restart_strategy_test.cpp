#include <boost/test/unit_test.hpp>

#include "cluster/restart_strategy.hpp"
#include "config/config_loader.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;
using clock_type = restart_strategy::clock;

namespace {

std::unique_ptr<restart_strategy> strategy(std::vector<std::string> properties) {
  config_report warnings;
  auto config = load_configuration(std::nullopt, properties, warnings);
  BOOST_REQUIRE(config);
  BOOST_REQUIRE(warnings.warnings.empty());
  return restart_strategy::from(*config);
}

} // namespace

BOOST_AUTO_TEST_SUITE(restart_strategies)

BOOST_AUTO_TEST_CASE(none_never_restarts) {
  auto s = strategy({});
  BOOST_TEST(!s->on_failure(clock_type::now()));
  BOOST_TEST(s->description() == "Restart deactivated.");
}

BOOST_AUTO_TEST_CASE(fixed_delay_counts_its_attempts) {
  auto s = strategy({"restart-strategy.type=fixed-delay", "restart-strategy.fixed-delay.attempts=2",
                     "restart-strategy.fixed-delay.delay=250 ms"});
  auto now = clock_type::now();
  BOOST_TEST(s->on_failure(now)->count() == 250);
  BOOST_TEST(s->on_failure(now)->count() == 250);
  BOOST_TEST(!s->on_failure(now));
}

BOOST_AUTO_TEST_CASE(failure_rate_forgets_old_failures) {
  auto s = strategy({"restart-strategy.type=failure-rate",
                     "restart-strategy.failure-rate.max-failures-per-interval=2",
                     "restart-strategy.failure-rate.failure-rate-interval=10 s",
                     "restart-strategy.failure-rate.delay=0"});
  auto t0 = clock_type::now();
  BOOST_TEST(s->on_failure(t0).has_value());
  BOOST_TEST(s->on_failure(t0 + 1s).has_value());
  BOOST_TEST(s->on_failure(t0 + 20s).has_value()); // the first two fell out of the interval
  BOOST_TEST(s->on_failure(t0 + 21s).has_value());
  BOOST_TEST(!s->on_failure(t0 + 22s)); // three within 10 s
}

BOOST_AUTO_TEST_CASE(exponential_delay_grows_caps_and_resets) {
  auto s = strategy({"restart-strategy.type=exponential-delay",
                     "restart-strategy.exponential-delay.initial-backoff=100 ms",
                     "restart-strategy.exponential-delay.max-backoff=300 ms",
                     "restart-strategy.exponential-delay.backoff-multiplier=2",
                     "restart-strategy.exponential-delay.jitter-factor=0",
                     "restart-strategy.exponential-delay.reset-backoff-threshold=1 min"});
  auto t0 = clock_type::now();
  BOOST_TEST(s->on_failure(t0)->count() == 100);
  BOOST_TEST(s->on_failure(t0 + 1s)->count() == 200);
  BOOST_TEST(s->on_failure(t0 + 2s)->count() == 300);
  BOOST_TEST(s->on_failure(t0 + 3s)->count() == 300);
  BOOST_TEST(s->on_failure(t0 + 2min)->count() == 100); // quiet for longer than the threshold
}

BOOST_AUTO_TEST_CASE(bad_values_are_rejected) {
  config_report warnings;
  BOOST_TEST(!load_configuration(std::nullopt, {"restart-strategy.type=sometimes"}, warnings));
  BOOST_TEST(
    !load_configuration(std::nullopt, {"restart-strategy.fixed-delay.attempts=-1"}, warnings));
  BOOST_TEST(!load_configuration(std::nullopt,
                                 {"restart-strategy.exponential-delay.jitter-factor=2"}, warnings));
}

BOOST_AUTO_TEST_SUITE_END()

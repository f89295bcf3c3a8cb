#include <boost/test/unit_test.hpp>

#include <optional>

#include "flinkcpp/watermark_strategy.hpp"
#include "runtime/input_watermarks.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(input_watermark)

BOOST_AUTO_TEST_CASE(the_input_watermark_is_the_minimum_over_all_channels_of_all_gates) {
  input_watermarks w{{2, 1}};
  BOOST_TEST(w.current() == min_watermark);
  BOOST_TEST(!w.on_watermark(0, 0, 100)); // the other channels have none yet
  BOOST_TEST(!w.on_watermark(1, 0, 50));
  BOOST_TEST((w.on_watermark(0, 1, 70) == std::optional<std::int64_t>{50}));
  BOOST_TEST((w.on_watermark(1, 0, 90) == std::optional<std::int64_t>{70}));
  BOOST_TEST(w.current() == 70);
}

BOOST_AUTO_TEST_CASE(it_only_rises) {
  input_watermarks w{{2}};
  w.on_watermark(0, 0, 10);
  BOOST_TEST((w.on_watermark(0, 1, 20) == std::optional<std::int64_t>{10}));
  BOOST_TEST(!w.on_watermark(0, 1, 5)); // a channel falling back is ignored
  BOOST_TEST((w.on_watermark(0, 0, 15) == std::optional<std::int64_t>{15}));
  BOOST_TEST(!w.on_watermark(0, 0, 15));
}

BOOST_AUTO_TEST_CASE(an_ended_channel_no_longer_holds_the_input_back) {
  input_watermarks w{{3}};
  w.on_watermark(0, 0, 30);
  w.on_watermark(0, 1, 40);
  BOOST_TEST(w.current() == min_watermark); // channel 2 has none yet
  BOOST_TEST((w.on_channel_ended(0, 2) == std::optional<std::int64_t>{30}));
  BOOST_TEST((w.on_channel_ended(0, 0) == std::optional<std::int64_t>{40}));
  BOOST_TEST(!w.on_watermark(0, 0, 99)); // ended: what it says no longer counts
  BOOST_TEST(!w.on_channel_ended(0, 1)); // all ended: it stays
  BOOST_TEST(w.current() == 40);
}

BOOST_AUTO_TEST_CASE(the_end_of_every_input_is_max_watermark) {
  input_watermarks w{{1, 1}};
  w.on_watermark(0, 0, max_watermark);
  BOOST_TEST((w.on_watermark(1, 0, max_watermark) == std::optional<std::int64_t>{max_watermark}));
}

BOOST_AUTO_TEST_SUITE_END()

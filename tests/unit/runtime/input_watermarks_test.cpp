#include <boost/test/unit_test.hpp>

#include <optional>

#include "flinkcpp/watermark_strategy.hpp"
#include "runtime/input_watermarks.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(input_watermark)

BOOST_AUTO_TEST_CASE(the_input_watermark_is_the_minimum_over_all_channels_of_all_gates) {
  input_watermarks w{{2, 1}};
  BOOST_TEST(w.current() == min_watermark);
  BOOST_TEST(!w.on_watermark(0, 0, 100).watermark); // the other channels have none yet
  BOOST_TEST(!w.on_watermark(1, 0, 50).watermark);
  BOOST_TEST((w.on_watermark(0, 1, 70).watermark == std::optional<std::int64_t>{50}));
  BOOST_TEST((w.on_watermark(1, 0, 90).watermark == std::optional<std::int64_t>{70}));
  BOOST_TEST(w.current() == 70);
}

BOOST_AUTO_TEST_CASE(it_only_rises) {
  input_watermarks w{{2}};
  w.on_watermark(0, 0, 10);
  BOOST_TEST((w.on_watermark(0, 1, 20).watermark == std::optional<std::int64_t>{10}));
  BOOST_TEST(!w.on_watermark(0, 1, 5).watermark); // a channel falling back is ignored
  BOOST_TEST((w.on_watermark(0, 0, 15).watermark == std::optional<std::int64_t>{15}));
  BOOST_TEST(!w.on_watermark(0, 0, 15).watermark);
}

BOOST_AUTO_TEST_CASE(an_ended_channel_no_longer_holds_the_input_back) {
  input_watermarks w{{3}};
  w.on_watermark(0, 0, 30);
  w.on_watermark(0, 1, 40);
  BOOST_TEST(w.current() == min_watermark); // channel 2 has none yet
  BOOST_TEST((w.on_channel_ended(0, 2).watermark == std::optional<std::int64_t>{30}));
  BOOST_TEST((w.on_channel_ended(0, 0).watermark == std::optional<std::int64_t>{40}));
  BOOST_TEST(!w.on_watermark(0, 0, 99).watermark); // ended: what it says no longer counts
  BOOST_TEST(!w.on_channel_ended(0, 1).watermark); // all ended: it stays
  BOOST_TEST(w.current() == 40);
}

BOOST_AUTO_TEST_CASE(the_end_of_every_input_is_max_watermark) {
  input_watermarks w{{1, 1}};
  w.on_watermark(0, 0, max_watermark);
  BOOST_TEST(
    (w.on_watermark(1, 0, max_watermark).watermark == std::optional<std::int64_t>{max_watermark}));
}

BOOST_AUTO_TEST_CASE(an_idle_channel_no_longer_holds_the_input_back_until_it_has_records_again) {
  input_watermarks w{{2}};
  w.on_watermark(0, 0, 100);
  w.on_watermark(0, 1, 50);
  auto u = w.on_status(0, 1, true);
  BOOST_TEST((u.watermark == std::optional<std::int64_t>{100}));
  BOOST_TEST(!u.idle); // channel 0 is active: the input is not idle
  BOOST_TEST((w.on_watermark(0, 0, 150).watermark == std::optional<std::int64_t>{150}));
  u = w.on_batch(0, 1); // active again, but behind: it does not count until it caught up
  BOOST_TEST(!u.watermark);
  BOOST_TEST(!u.idle);
  BOOST_TEST(!w.on_watermark(0, 1, 120).watermark);
  BOOST_TEST((w.on_watermark(0, 0, 200).watermark == std::optional<std::int64_t>{200}));
  BOOST_TEST(!w.on_watermark(0, 1, 190).watermark); // 190 < 200 still
  BOOST_TEST(!w.on_watermark(0, 1, 250).watermark); // caught up: counted from now on
  BOOST_TEST((w.on_watermark(0, 0, 300).watermark == std::optional<std::int64_t>{250}));
  BOOST_TEST(!w.on_batch(0, 1).watermark); // already active: nothing changes
}

BOOST_AUTO_TEST_CASE(
  when_every_open_channel_is_idle_the_input_advances_to_the_furthest_then_idles) {
  input_watermarks w{{2, 1}};
  w.on_watermark(0, 0, 10);
  w.on_watermark(0, 1, 70);
  w.on_watermark(1, 0, 40);
  BOOST_TEST(w.current() == 10);
  BOOST_TEST(!w.on_status(0, 0, true).idle);
  BOOST_TEST(w.current() == 40);
  BOOST_TEST(!w.on_channel_ended(1, 0).idle);
  BOOST_TEST(w.current() == 70);
  auto u = w.on_status(0, 1, true);
  BOOST_TEST((u.idle == std::optional<bool>{true}));
  BOOST_TEST(!u.watermark); // 70 is already the furthest
  BOOST_TEST(w.idle());
  u = w.on_status(0, 0, false); // back, at 10 < 70: active, but not counted yet
  BOOST_TEST((u.idle == std::optional<bool>{false}));
  BOOST_TEST(!u.watermark);
  BOOST_TEST(w.current() == 70);
  BOOST_TEST(!w.on_status(0, 0, false).idle); // no change, nothing said
}

BOOST_AUTO_TEST_CASE(a_watermark_on_an_idle_channel_makes_it_active) {
  input_watermarks w{{2}};
  w.on_watermark(0, 0, 10);
  w.on_status(0, 1, true);
  BOOST_TEST(w.current() == 10);
  w.on_status(0, 0, true);
  BOOST_TEST(w.idle());
  auto u = w.on_watermark(0, 0, 20);
  BOOST_TEST((u.idle == std::optional<bool>{false}));
  BOOST_TEST((u.watermark == std::optional<std::int64_t>{20}));
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <map>
#include <utility>

#include "runtime/input_credits.hpp"

using namespace flinkcpp;

namespace {

using credits_map = std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t>;

/// The announced credits per (gate, channel).
credits_map take(input_credits& credits) {
  credits_map out;
  for (const auto& a : credits.take_announcements()) {
    BOOST_TEST(out.count({a.gate, a.channel}) == 0u); // one announcement per channel
    out[{a.gate, a.channel}] = a.credits;
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(input_credit_accounting)

BOOST_AUTO_TEST_CASE(every_channel_starts_with_its_exclusive_credits) {
  input_credits credits{{2, 1}, 2, 8};
  BOOST_TEST(take(credits).empty());
  credits.start();
  BOOST_TEST((take(credits) == credits_map{{{0, 0}, 2}, {{0, 1}, 2}, {{1, 0}, 2}}));
  BOOST_TEST(take(credits).empty());
}

BOOST_AUTO_TEST_CASE(consumed_batches_return_their_credit_in_one_announcement) {
  input_credits credits{{1}, 2, 0};
  credits.start();
  take(credits);
  credits.on_batch_arrived(0, 0, 0);
  credits.on_batch_arrived(0, 0, 0);
  BOOST_TEST(take(credits).empty());
  credits.on_batch_consumed(0, 0);
  credits.on_batch_consumed(0, 0);
  BOOST_TEST((take(credits) == credits_map{{{0, 0}, 2}}));
}

BOOST_AUTO_TEST_CASE(a_backlog_borrows_floating_credits_while_the_pool_lasts) {
  input_credits credits{{2}, 2, 8};
  credits.start();
  take(credits);
  credits.on_batch_arrived(0, 0, 5);
  BOOST_TEST((take(credits) == credits_map{{{0, 0}, 5}}));
  BOOST_TEST(credits.floating_held(0, 0) == 5u);
  BOOST_TEST(credits.pool(0) == 3u);
  credits.on_batch_arrived(0, 1, 10); // wants 10, the pool has 3
  BOOST_TEST((take(credits) == credits_map{{{0, 1}, 3}}));
  BOOST_TEST(credits.pool(0) == 0u);
  credits.on_batch_arrived(0, 0, 7); // nothing left to lend
  BOOST_TEST(take(credits).empty());
}

BOOST_AUTO_TEST_CASE(floating_credits_return_when_the_backlog_is_gone) {
  input_credits credits{{2}, 2, 4};
  credits.start();
  take(credits);
  credits.on_batch_arrived(0, 0, 4);
  BOOST_TEST(credits.pool(0) == 0u);
  take(credits);
  credits.on_batch_arrived(0, 1, 3); // starved: the pool is empty
  BOOST_TEST(take(credits).empty());
  credits.on_batch_arrived(0, 0, 1); // channel 0 now needs only one floating credit
  credits.on_batch_consumed(0, 0);   // so this credit goes to the pool, and on to channel 1
  BOOST_TEST(credits.floating_held(0, 0) == 3u);
  BOOST_TEST(credits.floating_held(0, 1) == 1u);
  BOOST_TEST((take(credits) == credits_map{{{0, 1}, 1}}));
  credits.on_batch_consumed(0, 0);
  credits.on_batch_consumed(0, 0);
  BOOST_TEST(credits.floating_held(0, 0) == 1u);
  BOOST_TEST(credits.floating_held(0, 1) == 3u);
  credits.on_batch_consumed(0, 0); // still needs its one: the credit goes back to the sender
  BOOST_TEST(credits.floating_held(0, 0) == 1u);
  BOOST_TEST((take(credits) == credits_map{{{0, 0}, 1}, {{0, 1}, 2}}));
}

BOOST_AUTO_TEST_CASE(an_ended_channel_gives_its_floating_credits_back) {
  input_credits credits{{2}, 1, 3};
  credits.start();
  take(credits);
  credits.on_batch_arrived(0, 0, 3);
  credits.on_batch_arrived(0, 1, 2);
  take(credits);
  BOOST_TEST(credits.floating_held(0, 0) == 3u);
  BOOST_TEST(credits.pool(0) == 0u);
  credits.on_channel_ended(0, 0);
  BOOST_TEST(credits.floating_held(0, 0) == 0u);
  BOOST_TEST(credits.floating_held(0, 1) == 2u);
  BOOST_TEST(credits.pool(0) == 1u);
  BOOST_TEST((take(credits) == credits_map{{{0, 1}, 2}}));
  credits.on_batch_arrived(0, 0, 9); // an ended channel borrows nothing
  BOOST_TEST(take(credits).empty());
}

BOOST_AUTO_TEST_SUITE_END()

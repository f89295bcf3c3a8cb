// The Nexmark generator: the suite's proportions, ids, times and
// distributions, and the same events for the same seed whichever subtask
// makes them.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "nexmark/generator.hpp"

using namespace flinkcpp::nexmark;

namespace {

constexpr std::int64_t events = 200'000;

std::int64_t last_person_before(std::int64_t index) {
  return (index / 50) + first_person_id;
}

} // namespace

BOOST_AUTO_TEST_SUITE(nexmark_generator)

BOOST_AUTO_TEST_CASE(kinds_ids_and_times_follow_the_suite) {
  // Event i: a person when i % 50 == 0, an auction for 1..3, else a bid;
  // person and auction ids count up from 1000; event times 0.1 us apart at
  // 10 M events per second, from the base time.
  generator_config c;
  std::int64_t people = 0;
  std::int64_t auctions = 0;
  for (std::int64_t i = 0; i < 5000; ++i) {
    auto e = event_of(c, i);
    auto rem = i % 50;
    BOOST_TEST_REQUIRE((e.person.has_value() == (rem == 0)));
    BOOST_TEST_REQUIRE((e.auction.has_value() == (rem >= 1 && rem <= 3)));
    BOOST_TEST_REQUIRE((e.bid.has_value() == (rem > 3)));
    BOOST_TEST_REQUIRE(e.time() == c.base_time + i / 10'000);
    if (e.person)
      BOOST_TEST_REQUIRE(e.person->id == first_person_id + people++);
    if (e.auction) {
      BOOST_TEST_REQUIRE(e.auction->id == first_auction_id + auctions++);
      BOOST_TEST_REQUIRE(e.auction->expires > e.auction->date_time);
      BOOST_TEST_REQUIRE(e.auction->reserve >= e.auction->initial_bid);
      BOOST_TEST_REQUIRE((e.auction->category >= 10 && e.auction->category <= 14));
    }
  }
  c.events_per_second = 1000;
  BOOST_TEST(event_of(c, 2500).time() == c.base_time + 2500);
}

BOOST_AUTO_TEST_CASE(hot_sellers_auctions_bidders_and_channels_have_the_suites_shares) {
  // Hot ratios 4, 2 and 4 (the suite's defaults): 3/4 of the auctions go
  // to the hot seller of their batch of 100 people, 1/2 of the bids to the
  // hot auction of their batch of 100 auctions, 3/4 come from the hot
  // bidder (the batch's second person, FIRST_PERSON_ID added twice, as the
  // suite); half the bids through one of four hot channels; prices from
  // 1 to 10^6 in cents, log-uniform; extras pad to the average sizes.
  generator_config c;
  std::int64_t auction_count = 0, hot_sellers = 0, bid_count = 0, hot_auctions = 0, hot_bidders = 0,
               hot_channels = 0, small_prices = 0, bid_bytes = 0;
  std::set<std::string> channels;
  for (std::int64_t i = 0; i < events; ++i) {
    auto e = event_of(c, i);
    if (e.auction) {
      ++auction_count;
      hot_sellers += e.auction->seller == (i / 50) / 100 * 100 + first_person_id;
    }
    if (!e.bid)
      continue;
    const auto& b = *e.bid;
    ++bid_count;
    auto last_auction = (i / 50) * 3 + 2;
    hot_auctions += b.auction == last_auction / 100 * 100 + first_auction_id;
    hot_bidders += b.bidder == (i / 50) / 100 * 100 + 1 + 2 * first_person_id;
    BOOST_TEST_REQUIRE((b.price >= 100 && b.price <= 100'000'000));
    small_prices += b.price < 10'000; // below 10^2 dollars: a third, log-uniform
    hot_channels += b.channel == "Google" || b.channel == "Facebook" || b.channel == "Baidu" ||
                    b.channel == "Apple";
    channels.insert(b.channel);
    BOOST_TEST_REQUIRE(b.url.rfind("https://www.nexmark.com/", 0) == 0u);
    bid_bytes += static_cast<std::int64_t>(32 + b.extra.size());
    BOOST_TEST_REQUIRE(b.auction <= last_auction + 10 + first_auction_id);
    BOOST_TEST_REQUIRE(b.bidder <= last_person_before(i) + 10 + first_person_id);
  }
  auto share = [](std::int64_t part, std::int64_t whole) {
    return static_cast<double>(part) / static_cast<double>(whole);
  };
  BOOST_TEST(bid_count == events / 50 * 46);
  BOOST_TEST(share(hot_sellers, auction_count) > 0.72);
  BOOST_TEST(share(hot_sellers, auction_count) < 0.78);
  BOOST_TEST(share(hot_auctions, bid_count) > 0.49);
  BOOST_TEST(share(hot_auctions, bid_count) < 0.52);
  BOOST_TEST(share(hot_bidders, bid_count) > 0.74);
  BOOST_TEST(share(hot_bidders, bid_count) < 0.76);
  BOOST_TEST(share(hot_channels, bid_count) > 0.49);
  BOOST_TEST(share(hot_channels, bid_count) < 0.51);
  BOOST_TEST(channels.size() > 5000u);
  BOOST_TEST(share(small_prices, bid_count) > 0.32);
  BOOST_TEST(share(small_prices, bid_count) < 0.35);
  BOOST_TEST(share(bid_bytes, bid_count) > 95.0);
  BOOST_TEST(share(bid_bytes, bid_count) < 105.0);
}

BOOST_AUTO_TEST_CASE(an_event_depends_on_the_seed_and_its_index_only) {
  generator_config c;
  auto a = event_of(c, 12345);
  event_of(c, 7); // nothing carried from one event to the next
  auto b = event_of(c, 12345);
  BOOST_TEST(a.bid->url == b.bid->url);
  BOOST_TEST(a.bid->extra == b.bid->extra);
  BOOST_TEST(a.bid->price == b.bid->price);
  c.seed = 1;
  auto other = event_of(c, 12345);
  BOOST_TEST(other.bid->extra != a.bid->extra);
  // A channel's URL is the same in every bid through it.
  std::map<std::string, std::string> urls;
  for (std::int64_t i = 0; i < events; ++i)
    if (auto e = event_of(c, i); e.bid) {
      auto [at, added] = urls.emplace(e.bid->channel, e.bid->url);
      BOOST_TEST_REQUIRE(at->second == e.bid->url);
    }
}

BOOST_AUTO_TEST_SUITE_END()

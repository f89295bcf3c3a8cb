#pragma once

// The Nexmark event generator, after the one of Flink's Nexmark suite
// (nexmark-flink's NexmarkGenerator): event i is a person, an auction or a
// bid by i modulo the proportions' total (1 : 3 : 46 by default); ids count
// up from 1000 per kind; auctions go to hot sellers, bids to hot auctions
// and from hot bidders with the suite's ratios, else to a recent person or
// auction (a few ids ahead allowed); prices are log-uniform from 1 to 10^6
// (in cents: 100 to 10^8); half the bids come through one of four hot
// channels, the rest through one of 10,000 others; string fields are
// random letters, and `extra` pads each record to the average size given
// (with a slice of 64 KiB of random letters made once per seed, from a
// random start: a copy instead of a random number per four letters).
// Event i's time is base_time + i / events_per_second (ms), so the stream
// is in event-time order.
//
// Unlike the suite (which draws from an unseeded java.util.Random), event i
// is a pure function of (config, i): its random numbers come from a
// generator seeded with the seed and i. Any subtask can make any event,
// the stream is the same at every parallelism and in every run, and a
// source's position is just the next index.
//
// As the suite, a bid's bidder has FIRST_PERSON_ID added twice (hot
// bidders are 2001, 2101, ...), so bidders are not person ids.

#include <cstdint>
#include <functional>
#include <string>

#include "nexmark/model.hpp"

namespace flinkcpp::nexmark {

/// The generator's settings, named after the suite's source options.
struct generator_config {
  std::uint64_t seed = 0;
  /// Event time of event 0, epoch ms (the suite: the start time).
  std::int64_t base_time = 1767225600000; // 2026-01-01T00:00:00Z
  /// Events per second of event time (the suite's first-event.rate, its
  /// TPS); events are 10^6 / rate microseconds apart.
  std::int64_t events_per_second = 10'000'000;
  int person_proportion = 1;
  int auction_proportion = 3;
  int bid_proportion = 46;
  int hot_auction_ratio = 2;
  int hot_sellers_ratio = 4;
  int hot_bidders_ratio = 4;
  int avg_person_bytes = 200;
  int avg_auction_bytes = 500;
  int avg_bid_bytes = 100;
  int in_flight_auctions = 100;
  int active_people = 1000;

  int total_proportion() const { return person_proportion + auction_proportion + bid_proportion; }
};

/// Reads an integer option: its value, or `fallback` when it is not given;
/// throws (the caller's error, naming the option) when the value is no
/// integer or lies outside [min, max].
using integer_option = std::function<std::int64_t(const std::string& name, std::int64_t fallback,
                                                  std::int64_t min, std::int64_t max)>;

/// The settings from options named as the suite's source options:
/// person.proportion, auction.proportion, bid.proportion,
/// bid.hot-ratio.auctions, bid.hot-ratio.bidders, auction.hot-ratio.sellers,
/// person.avg-size, auction.avg-size, bid.avg-size, and flink-cpp's seed and
/// base-time; `rate` names the option of events_per_second (the job's
/// "tps", the table's "first-event.rate"). The built-in job reads them with
/// a "nexmark." prefix, the SQL table without.
generator_config read_generator_options(const integer_option& integer, const std::string& rate);

/// The first id of each kind, and of categories.
inline constexpr std::int64_t first_person_id = 1000;
inline constexpr std::int64_t first_auction_id = 1000;
inline constexpr std::int64_t first_category_id = 10;

/// The time of event `index`, epoch ms.
std::int64_t event_time(const generator_config& config, std::int64_t index);

/// Event `index` (0, 1, ...). Thread-safe; never throws for valid configs.
event event_of(const generator_config& config, std::int64_t index);

} // namespace flinkcpp::nexmark

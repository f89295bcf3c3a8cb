// The Nexmark benchmark's queries as a built-in job, after Flink's Nexmark
// suite (its SQL queries' semantics, each result row one CSV line in the
// query's SELECT column order, times as epoch milliseconds):
//
//   flink-cpp run ... nexmark --query qN [--events N] [--output DIR]
//                            [--nexmark.OPTION VALUE ...]
//
// The events come from the built-in generator (nexmark/generator.hpp), a
// datagen source spread over the job's subtasks, with watermarks 4 s behind
// the events' times (as the suite's DDL). Without --output the rows are
// discarded (the suite's blackhole sink). --events defaults to the suite's
// 100,000,000. Options (the suite's source options): nexmark.tps (events
// per second of event time, default 10,000,000), nexmark.rate-limited (emit
// no faster than that in wall-clock time too), nexmark.seed,
// nexmark.base-time (epoch ms of the first event), nexmark.person.proportion,
// nexmark.auction.proportion, nexmark.bid.proportion,
// nexmark.bid.hot-ratio.auctions, nexmark.bid.hot-ratio.bidders,
// nexmark.auction.hot-ratio.sellers, nexmark.person.avg-size,
// nexmark.auction.avg-size, nexmark.bid.avg-size (bytes).
//
// Queries, with their rows' columns:
// - q0, every event: "person", "auction" or "bid", then its fields;
// - q1, currency conversion: auction, bidder, 0.908 * price, dateTime, extra;
// - q2, selection: auction, price of the bids for every 123rd auction;
// - q3, local item suggestion: name, city and state of each seller in OR,
//   ID or CA with the id of each of their auctions in category 10 (an
//   incremental join in keyed state);
// - q4, average price for a category: category and the average (truncated)
//   of the winning prices of its auctions (q9's winners);
// - q5, hot items: auction and bid count of the auctions with the most bids
//   in each sliding window of 10 s every 2 s;
// - q7, highest bid: the bids of each 10 s window's highest price, from the
//   window's start to its end, both included: auction, bidder, price,
//   dateTime, extra;
// - q8, monitor new users: id, name and window start of each person who
//   created an auction in the 10 s window they joined in (a window
//   co-group);
// - q9, winning bids: each auction's fields, then bidder, price, dateTime and
//   extra of its highest bid between its creation and expiry, both included
//   (ties: the earliest, then the lowest bidder), once the watermark passed
//   the expiry; auctions without such a bid have no row;
// - q11, user sessions: bidder, bid count, start and end of each session of
//   a bidder's bids less than 10 s apart;
// - q12, processing-time windows: bidder, bid count, start and end of each
//   10 s processing-time window (as Flink, windows still open when the
//   input ends are not written);
// - q14: the bids with a converted price in (1,000,000, 50,000,000):
//   auction, bidder, 0.908 * price, bidTimeType, dateTime, extra, the number
//   of 'c' in extra;
// - q15, a day's bids: its date, their number in all and per price rank
//   (below 10,000; below 1,000,000; the rest), then the same of distinct
//   bidders and of distinct auctions;
// - q16: the same per channel and day, after the channel, the date and the
//   day's last minute ("HH:mm");
// - q17, per auction and day: auction, date, bids in all and per rank, min,
//   max, average (truncated) and sum of the prices;
// - q18, each bidder's last bid on each auction: the bid's fields;
// - q19, each auction's 10 highest bids: the bid's fields and the rank;
// - q20, bids joined with their auction of category 10: the bid's fields,
//   then the auction's but its id;
// - q21, the bids of a known channel id: auction, bidder, price, channel,
//   channel_id;
// - q22: auction, bidder, price, channel and the URL's first three
//   directories.
// Decimal prices are written with up to 3 decimals, trailing zeros
// dropped; windows and days are UTC. The results of q4 and q15 to q19 change as
// bids come in SQL; flink-cpp writes each group's final row: q15 to q17
// when the watermark passed the day's end, q4, q18 and q19 when the input
// ends.

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "flinkcpp/flinkcpp.hpp"
#include "nexmark/generator.hpp"
#include "nexmark/model.hpp"
#include "nexmark/queries.hpp"

namespace {

using flinkcpp::job_argument_error;
using flinkcpp::nexmark::event;
using flinkcpp::nexmark::generator_config;

/// `--name`'s integer value, at least `min`.
std::int64_t at_least(const flinkcpp::job_args& args, const std::string& name,
                      std::int64_t fallback, std::int64_t min,
                      std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
  auto v = args.get_int(name, fallback);
  if (v < min)
    throw job_argument_error("--" + name + " must be at least " + std::to_string(min) + ", got " +
                             std::to_string(v));
  if (v > max)
    throw job_argument_error("--" + name + " must be at most " + std::to_string(max) + ", got " +
                             std::to_string(v));
  return v;
}

generator_config config_of(const flinkcpp::job_args& args) {
  return flinkcpp::nexmark::read_generator_options(
    [&](const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
      return at_least(args, "nexmark." + name, fallback, min, max);
    },
    "tps");
}

} // namespace

FLINKCPP_NAMED_JOB(nexmark, "nexmark",
                   "Nexmark queries on generated events (--query qN [--events N] [--output DIR])")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto query = args.required("query");
  auto events = at_least(args, "events", 100'000'000, 1);
  auto config = config_of(args);
  auto rate_limited = args.has("nexmark.rate-limited");
  auto output = args.get("output");
  auto make = flinkcpp::nexmark::query_named(query);
  if (!make)
    throw job_argument_error("--query: expected one of " + flinkcpp::nexmark::query_names() +
                             ", got '" + query + "'");
  auto source =
    env
      .datagen([config](std::int64_t i) { return flinkcpp::nexmark::event_of(config, i); },
               static_cast<std::uint64_t>(events),
               rate_limited ? static_cast<double>(config.events_per_second) : 0.0)
      .name("Nexmark Source")
      .uid("nexmark-source")
      .assign_timestamps_and_watermarks(
        flinkcpp::watermark_strategy<event>::for_bounded_out_of_orderness(std::chrono::seconds{4})
          .with_timestamp_assigner([](const event& e) { return e.time(); }))
      .name("Nexmark Watermarks");
  make(source, flinkcpp::nexmark::query_output{output});
}

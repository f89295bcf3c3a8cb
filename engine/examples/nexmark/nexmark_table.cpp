// The SQL connector 'nexmark' (the Nexmark suite's table source): the
// generator's events as rows of the suite's DDL,
//
//   CREATE TABLE datagen (
//     event_type INT,
//     person ROW<id BIGINT, name VARCHAR, emailAddress VARCHAR,
//                creditCard VARCHAR, city VARCHAR, state VARCHAR,
//                dateTime TIMESTAMP(3), extra VARCHAR>,
//     auction ROW<id BIGINT, itemName VARCHAR, description VARCHAR,
//                 initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP(3),
//                 expires TIMESTAMP(3), seller BIGINT, category BIGINT,
//                 extra VARCHAR>,
//     bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR,
//             url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
//     dateTime AS CASE WHEN event_type = 0 THEN person.dateTime
//                      WHEN event_type = 1 THEN auction.dateTime
//                      ELSE bid.dateTime END,
//     WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
//   ) WITH ('connector' = 'nexmark', 'first-event.rate' = '...',
//           'events.num' = '...', ...);
//
// event_type is 0 for a person, 1 for an auction, 2 for a bid; the ROWs of
// the other kinds are NULL. A table may declare any of these columns, in
// any order (the suite's versions differ: some bids lack channel and url).
// Options: events.num (default: unbounded), first-event.rate and
// next-event.rate (events per second of event time, equal: the suite's
// constant rate shape), rate.limited (emit no faster than that rate in
// wall-clock time too), the generator's options (generator.hpp:
// read_generator_options), and the suite's rate.shape ('square' only) and
// rate.period, accepted for its scripts. The same events as the built-in
// job `nexmark` with the same options, so its queries compare.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/generator_sources.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "nexmark/generator.hpp"
#include "sql/connectors/table_source_factory.hpp"
#include "sql/functions/value.hpp"

namespace {

using flinkcpp::nexmark::event;
using flinkcpp::nexmark::generator_config;
using flinkcpp::sql::row;
using flinkcpp::sql::type_root;
using flinkcpp::sql::value;

/// A column the connector fills.
enum class field : std::uint8_t {
  event_type,
  person_id,
  person_name,
  person_email,
  person_card,
  person_city,
  person_state,
  person_time,
  person_extra,
  auction_id,
  auction_item,
  auction_description,
  auction_initial_bid,
  auction_reserve,
  auction_time,
  auction_expires,
  auction_seller,
  auction_category,
  auction_extra,
  bid_auction,
  bid_bidder,
  bid_price,
  bid_channel,
  bid_url,
  bid_time,
  bid_extra,
};

enum class field_kind : std::uint8_t { integer, text, timestamp };

struct field_name {
  const char* name;
  field which;
  field_kind kind;
};

constexpr field_name fields[] = {
  {"event_type", field::event_type, field_kind::integer},
  {"person.id", field::person_id, field_kind::integer},
  {"person.name", field::person_name, field_kind::text},
  {"person.emailAddress", field::person_email, field_kind::text},
  {"person.creditCard", field::person_card, field_kind::text},
  {"person.city", field::person_city, field_kind::text},
  {"person.state", field::person_state, field_kind::text},
  {"person.dateTime", field::person_time, field_kind::timestamp},
  {"person.extra", field::person_extra, field_kind::text},
  {"auction.id", field::auction_id, field_kind::integer},
  {"auction.itemName", field::auction_item, field_kind::text},
  {"auction.description", field::auction_description, field_kind::text},
  {"auction.initialBid", field::auction_initial_bid, field_kind::integer},
  {"auction.reserve", field::auction_reserve, field_kind::integer},
  {"auction.dateTime", field::auction_time, field_kind::timestamp},
  {"auction.expires", field::auction_expires, field_kind::timestamp},
  {"auction.seller", field::auction_seller, field_kind::integer},
  {"auction.category", field::auction_category, field_kind::integer},
  {"auction.extra", field::auction_extra, field_kind::text},
  {"bid.auction", field::bid_auction, field_kind::integer},
  {"bid.bidder", field::bid_bidder, field_kind::integer},
  {"bid.price", field::bid_price, field_kind::integer},
  {"bid.channel", field::bid_channel, field_kind::text},
  {"bid.url", field::bid_url, field_kind::text},
  {"bid.dateTime", field::bid_time, field_kind::timestamp},
  {"bid.extra", field::bid_extra, field_kind::text},
};

/// Event i as a row of the declared columns.
struct nexmark_rows {
  generator_config config;
  std::vector<field> columns;

  row operator()(std::int64_t i) const {
    auto e = flinkcpp::nexmark::event_of(config, i);
    row out;
    out.fields.reserve(columns.size());
    for (auto f : columns)
      out.fields.push_back(value_of(e, f));
    return out;
  }

  static value value_of(event& e, field f) {
    if (f == field::event_type)
      return value::of(e.person ? 0 : e.auction ? 1 : 2);
    if (f <= field::person_extra)
      return e.person ? person_value(*e.person, f) : value{};
    if (f <= field::auction_extra)
      return e.auction ? auction_value(*e.auction, f) : value{};
    return e.bid ? bid_value(*e.bid, f) : value{};
  }

  static value person_value(flinkcpp::nexmark::person& p, field f) {
    switch (f) {
      case field::person_id:
        return value::of(p.id);
      case field::person_name:
        return value::of_text(std::move(p.name));
      case field::person_email:
        return value::of_text(std::move(p.email_address));
      case field::person_card:
        return value::of_text(std::move(p.credit_card));
      case field::person_city:
        return value::of_text(std::move(p.city));
      case field::person_state:
        return value::of_text(std::move(p.state));
      case field::person_time:
        return value::of(p.date_time);
      default:
        return value::of_text(std::move(p.extra));
    }
  }

  static value auction_value(flinkcpp::nexmark::auction& a, field f) {
    switch (f) {
      case field::auction_id:
        return value::of(a.id);
      case field::auction_item:
        return value::of_text(std::move(a.item_name));
      case field::auction_description:
        return value::of_text(std::move(a.description));
      case field::auction_initial_bid:
        return value::of(a.initial_bid);
      case field::auction_reserve:
        return value::of(a.reserve);
      case field::auction_time:
        return value::of(a.date_time);
      case field::auction_expires:
        return value::of(a.expires);
      case field::auction_seller:
        return value::of(a.seller);
      case field::auction_category:
        return value::of(a.category);
      default:
        return value::of_text(std::move(a.extra));
    }
  }

  static value bid_value(flinkcpp::nexmark::bid& b, field f) {
    switch (f) {
      case field::bid_auction:
        return value::of(b.auction);
      case field::bid_bidder:
        return value::of(b.bidder);
      case field::bid_price:
        return value::of(b.price);
      case field::bid_channel:
        return value::of_text(std::move(b.channel));
      case field::bid_url:
        return value::of_text(std::move(b.url));
      case field::bid_time:
        return value::of(b.date_time);
      default:
        return value::of_text(std::move(b.extra));
    }
  }
};

bool has_kind(type_root root, field_kind kind) {
  switch (kind) {
    case field_kind::integer:
      return flinkcpp::sql::is_integer(root);
    case field_kind::text:
      return flinkcpp::sql::is_text(root);
    case field_kind::timestamp:
      return flinkcpp::sql::is_timestamp(root);
  }
  return false;
}

const char* kind_name(field_kind kind) {
  return kind == field_kind::integer ? "an integer type"
         : kind == field_kind::text  ? "VARCHAR"
                                     : "TIMESTAMP(3)";
}

flinkcpp::data_stream<row> scan(const flinkcpp::sql::table_source_request& request) {
  const auto& options = *request.options;
  auto integer = [&](const std::string& name, std::int64_t fallback, std::int64_t min,
                     std::int64_t max) {
    auto v = options.integer(name).value_or(fallback);
    if (v < min || v > max)
      options.fail(name, "expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got " + std::to_string(v));
    return v;
  };
  nexmark_rows rows{flinkcpp::nexmark::read_generator_options(integer, "first-event.rate"), {}};
  if (integer("next-event.rate", rows.config.events_per_second, 1,
              std::numeric_limits<std::int64_t>::max()) != rows.config.events_per_second)
    options.fail("next-event.rate", "expected the first-event.rate: flink-cpp's generator has "
                                    "a constant rate");
  options.choice("rate.shape", {"square"}, "square");
  options.duration_ms("rate.period");
  for (const auto* c : request.declared) {
    const field_name* known = nullptr;
    for (const auto& f : fields)
      if (c->name == f.name)
        known = &f;
    if (!known) {
      std::string names;
      for (const auto& f : fields)
        names += std::string{names.empty() ? "" : ", "} + f.name;
      options.fail("connector",
                   "the nexmark connector has no column '" + c->name + "'; it fills " + names);
    }
    if (!has_kind(c->type.root, known->kind))
      options.fail("connector", "the column '" + c->name + "' must be " + kind_name(known->kind) +
                                  ", not " + flinkcpp::sql::to_string(c->type));
    if (std::find(request.physical.begin(), request.physical.end(), c) != request.physical.end())
      rows.columns.push_back(known->which);
  }
  auto events = options.integer("events.num");
  if (events && *events < 0)
    options.fail("events.num", "expected a number of events of at least 0");
  auto count =
    events ? static_cast<std::uint64_t>(*events) : flinkcpp::stream_environment::unbounded;
  auto rate = options.boolean("rate.limited", false)
                ? static_cast<double>(rows.config.events_per_second)
                : 0.0;
  auto strategy = request.watermarks.value_or(flinkcpp::watermark_strategy<row>::no_watermarks());
  return request.env->from_source(
    flinkcpp::detail::generator_source<row, nexmark_rows>{std::move(rows), count, rate},
    std::move(strategy), "Nexmark Source");
}

const flinkcpp::sql::table_source_registrar nexmark_connector{
  "nexmark",
  {{"events.num", "first-event.rate", "next-event.rate", "rate.limited", "rate.shape",
    "rate.period", "seed", "base-time", "person.proportion", "auction.proportion", "bid.proportion",
    "bid.hot-ratio.auctions", "bid.hot-ratio.bidders", "auction.hot-ratio.sellers",
    "person.avg-size", "auction.avg-size", "bid.avg-size"},
   &scan}};

} // namespace

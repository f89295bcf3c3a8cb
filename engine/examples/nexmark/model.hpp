#pragma once

// The records of the Nexmark benchmark (Flink's Nexmark suite): people,
// auctions and bids, with the fields of its schema in its order; times are
// epoch milliseconds. An event is one of the three (the suite's Event row
// with its event_type).

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace flinkcpp::nexmark {

struct person {
  std::int64_t id = 0;
  std::string name;
  std::string email_address;
  std::string credit_card;
  std::string city;
  std::string state;
  std::int64_t date_time = 0;
  std::string extra;
};

/// Also for a const person (to read its fields).
template <class Inspector, class T>
requires std::is_same_v<std::remove_const_t<T>, person>
auto inspect(Inspector& f, T& x) {
  return f(x.id, x.name, x.email_address, x.credit_card, x.city, x.state, x.date_time, x.extra);
}

struct auction {
  std::int64_t id = 0;
  std::string item_name;
  std::string description;
  std::int64_t initial_bid = 0;
  std::int64_t reserve = 0;
  std::int64_t date_time = 0;
  std::int64_t expires = 0;
  std::int64_t seller = 0;
  std::int64_t category = 0;
  std::string extra;
};

/// Also for a const auction (to read its fields).
template <class Inspector, class T>
requires std::is_same_v<std::remove_const_t<T>, auction>
auto inspect(Inspector& f, T& x) {
  return f(x.id, x.item_name, x.description, x.initial_bid, x.reserve, x.date_time, x.expires,
           x.seller, x.category, x.extra);
}

struct bid {
  std::int64_t auction = 0;
  std::int64_t bidder = 0;
  std::int64_t price = 0;
  std::string channel;
  std::string url;
  std::int64_t date_time = 0;
  std::string extra;
};

/// Also for a const bid (to read its fields).
template <class Inspector, class T>
requires std::is_same_v<std::remove_const_t<T>, bid>
auto inspect(Inspector& f, T& x) {
  return f(x.auction, x.bidder, x.price, x.channel, x.url, x.date_time, x.extra);
}

/// One generated event: exactly one of the three is set.
struct event {
  std::optional<nexmark::person> person;
  std::optional<nexmark::auction> auction;
  std::optional<nexmark::bid> bid;

  /// The event's time (its record's date_time).
  std::int64_t time() const {
    return person ? person->date_time : auction ? auction->date_time : bid->date_time;
  }
};

template <class Inspector>
auto inspect(Inspector& f, event& x) {
  return f(x.person, x.auction, x.bid);
}

/// The CSV line of q0: "person", "auction" or "bid", then the record's
/// fields in schema order (RFC 4180 quoting where a field needs it).
std::string csv_line(const event& e);

} // namespace flinkcpp::nexmark

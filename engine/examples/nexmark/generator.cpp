#include "nexmark/generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/detail/splitmix.hpp"

namespace flinkcpp::nexmark {

namespace {

using detail::splitmix64;

/// The random numbers of one event (or one channel's URL): SplitMix64
/// seeded with the seed, a stream and the index.
class event_random {
public:
  event_random(std::uint64_t seed, std::uint64_t stream, std::int64_t index)
    : state_(
        splitmix64(seed ^ splitmix64(stream ^ splitmix64(static_cast<std::uint64_t>(index))))) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return splitmix64(state_ - 0x9e3779b97f4a7c15ULL);
  }

  /// Uniform in [0, bound); bound > 0 (the bias of the modulo, below
  /// bound / 2^64, does not matter here).
  std::int64_t below(std::int64_t bound) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(bound));
  }

  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
  std::uint64_t state_;
};

/// Streams of random numbers besides events'.
constexpr std::uint64_t event_stream = 1;
constexpr std::uint64_t hot_url_stream = 2;
constexpr std::uint64_t channel_url_stream = 3;
constexpr std::uint64_t letters_stream = 4;

constexpr std::array<std::string_view, 6> us_states{"AZ", "CA", "ID", "OR", "WA", "WY"};
constexpr std::array<std::string_view, 10> us_cities{
  "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
  "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
constexpr std::array<std::string_view, 11> first_names{
  "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
constexpr std::array<std::string_view, 9> last_names{
  "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
constexpr std::array<std::string_view, 4> hot_channels{"Google", "Facebook", "Baidu", "Apple"};

constexpr int person_id_lead = 10;
constexpr int auction_id_lead = 10;
constexpr int hot_seller_ratio = 100;
constexpr int hot_auction_ratio = 100;
constexpr int hot_bidder_ratio = 100;
constexpr int hot_channels_ratio = 2;
constexpr int channels = 10'000;
constexpr int categories = 5;

template <std::size_t N>
std::string_view pick(event_random& random, const std::array<std::string_view, N>& from) {
  return from[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(N)))];
}

/// 3 to max_length - 1 letters, one in 13 of them `special` instead;
/// spaces trimmed from the ends.
std::string next_string(event_random& random, int max_length, char special = ' ') {
  auto length = 3 + random.below(max_length - 3);
  std::string out;
  out.reserve(static_cast<std::size_t>(length));
  while (length-- > 0)
    out.push_back(random.below(13) == 0 ? special : static_cast<char>('a' + random.below(26)));
  auto first = out.find_first_not_of(' ');
  if (first == std::string::npos)
    return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

/// Random letters made once per thread and seed, four from each random
/// number (16 bits scaled to 26: a multiplication, no division; the bias,
/// below 26 / 2^16, does not matter here). Extras are slices of them.
const std::string& letters(std::uint64_t seed) {
  constexpr std::size_t size = std::size_t{1} << 16; // stays in a core's cache
  thread_local std::optional<std::pair<std::uint64_t, std::string>> cached;
  if (cached && cached->first == seed)
    return cached->second;
  event_random random{seed, letters_stream, 0};
  std::string pool(size, 'a');
  std::uint64_t bits = 0;
  int left = 0;
  for (auto& c : pool) {
    if (left == 0) {
      bits = random.next();
      left = 4;
    }
    c = static_cast<char>('a' + (((bits & 0xffff) * 26) >> 16));
    bits >>= 16;
    --left;
  }
  cached.emplace(seed, std::move(pool));
  return cached->second;
}

/// Letters that bring a record of `current` bytes to `average` bytes on
/// average (uniform within 20% of the difference): a slice of `pool` from
/// a random start (slices one after another where more are wanted), so an
/// extra costs a random number or two and a copy.
std::string next_extra(event_random& random, std::size_t current, int average,
                       const std::string& pool) {
  auto wanted = static_cast<std::int64_t>(average) - static_cast<std::int64_t>(current);
  if (wanted < 0)
    return {};
  auto delta = std::llround(static_cast<double>(wanted) * 0.2);
  auto size = static_cast<std::size_t>(wanted - delta + (delta == 0 ? 0 : random.below(2 * delta)));
  std::string out;
  out.reserve(size);
  while (out.size() < size) {
    auto n = std::min(size - out.size(), pool.size());
    auto start = random.below(static_cast<std::int64_t>(pool.size() - n + 1));
    out.append(pool, static_cast<std::size_t>(start), n);
  }
  return out;
}

/// 100 * 10^(6u) for a uniform u in [0, 1), rounded: e^(6u ln 10) (exp is
/// cheaper than pow).
std::int64_t next_price(event_random& random) {
  constexpr double six_ln10 = 13.815510557964274; // 6 ln 10
  return std::llround(std::exp(random.unit() * six_ln10) * 100.0);
}

/// The last person id (base 0) made by event `id` or before it.
std::int64_t last_base0_person_id(const generator_config& c, std::int64_t id) {
  auto epoch = id / c.total_proportion();
  auto offset = id % c.total_proportion();
  if (offset >= c.person_proportion)
    offset = c.person_proportion - 1;
  return epoch * c.person_proportion + offset;
}

/// The last auction id (base 0) made by event `id` or before it.
std::int64_t last_base0_auction_id(const generator_config& c, std::int64_t id) {
  auto epoch = id / c.total_proportion();
  auto offset = id % c.total_proportion();
  if (offset < c.person_proportion) {
    --epoch;
    offset = c.auction_proportion - 1;
  } else if (offset >= c.person_proportion + c.auction_proportion) {
    offset = c.auction_proportion - 1;
  } else {
    offset -= c.person_proportion;
  }
  return epoch * c.auction_proportion + offset;
}

/// A recent person (base 0): one of the last active_people, or a few ahead.
std::int64_t next_base0_person_id(const generator_config& c, event_random& random,
                                  std::int64_t id) {
  auto people = last_base0_person_id(c, id) + 1;
  auto active = std::min<std::int64_t>(people, c.active_people);
  return people - active + random.below(active + person_id_lead);
}

/// An auction likely still open (base 0), or a few ahead.
std::int64_t next_base0_auction_id(const generator_config& c, event_random& random,
                                   std::int64_t id) {
  auto last = last_base0_auction_id(c, id);
  auto first = std::max<std::int64_t>(last - c.in_flight_auctions, 0);
  return first + random.below(last - first + 1 + auction_id_lead);
}

/// "https://www.nexmark.com/abc/de_f/gh/item.htm?query=1".
std::string base_url(event_random& random) {
  std::string url = "https://www.nexmark.com/";
  for (int i = 0; i < 3; ++i) {
    url += next_string(random, 5, '_');
    url += '/';
  }
  return url + "item.htm?query=1";
}

/// Java's Integer.reverse, then Math.abs (of a non-negative int's reverse).
std::int64_t reversed_bits(std::uint32_t n) {
  std::uint32_t r = 0;
  for (int i = 0; i < 32; ++i)
    r |= ((n >> i) & 1U) << (31 - i);
  return std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(r)));
}

/// The URL of each channel, a function of the seed: the hot channels' and
/// those of channel-0 to channel-9999 (nine in ten of them with a
/// "&channel_id=" parameter: the channel number's bits reversed). Made once
/// per thread and seed (the suite keeps them in a cache too).
struct urls {
  std::uint64_t seed = 0;
  std::array<std::string, 4> hot;
  std::vector<std::string> other;
  std::vector<std::string> names; ///< "channel-0" to "channel-9999"
};

const urls& channel_urls(std::uint64_t seed) {
  thread_local std::optional<urls> cached;
  if (cached && cached->seed == seed)
    return *cached;
  urls u;
  u.seed = seed;
  for (std::size_t i = 0; i < u.hot.size(); ++i) {
    event_random random{seed, hot_url_stream, static_cast<std::int64_t>(i)};
    u.hot[i] = base_url(random);
  }
  u.other.reserve(channels);
  u.names.reserve(channels);
  for (std::int64_t n = 0; n < channels; ++n) {
    u.names.push_back("channel-" + std::to_string(n));
    event_random random{seed, channel_url_stream, n};
    auto url = base_url(random);
    if (random.below(10) > 0)
      url += "&channel_id=" + std::to_string(reversed_bits(static_cast<std::uint32_t>(n)));
    u.other.push_back(std::move(url));
  }
  cached = std::move(u);
  return *cached;
}

person make_person(const generator_config& c, event_random& random, std::int64_t id,
                   std::int64_t time) {
  person p;
  p.id = last_base0_person_id(c, id) + first_person_id;
  p.name = std::string{pick(random, first_names)} + " " + std::string{pick(random, last_names)};
  p.email_address = next_string(random, 7) + "@" + next_string(random, 5) + ".com";
  for (int i = 0; i < 4; ++i) {
    char group[8];
    std::snprintf(group, sizeof group, "%04d", static_cast<int>(random.below(10000)));
    if (i > 0)
      p.credit_card += ' ';
    p.credit_card += group;
  }
  p.city = pick(random, us_cities);
  p.state = pick(random, us_states);
  p.date_time = time;
  p.extra = next_extra(random,
                       8 + p.name.size() + p.email_address.size() + p.credit_card.size() +
                         p.city.size() + p.state.size(),
                       c.avg_person_bytes, letters(c.seed));
  return p;
}

auction make_auction(const generator_config& c, event_random& random, std::int64_t id,
                     std::int64_t time) {
  auction a;
  a.id = last_base0_auction_id(c, id) + first_auction_id;
  a.seller = random.below(c.hot_sellers_ratio) > 0
               ? last_base0_person_id(c, id) / hot_seller_ratio * hot_seller_ratio
               : next_base0_person_id(c, random, id);
  a.seller += first_person_id;
  a.category = first_category_id + random.below(categories);
  a.initial_bid = next_price(random);
  // Open for 1 ms to twice the time until in_flight_auctions more auctions came.
  auto ahead =
    static_cast<std::int64_t>(c.in_flight_auctions) * c.total_proportion() / c.auction_proportion;
  auto horizon = event_time(c, id + ahead) - time;
  a.expires = time + 1 + random.below(std::max<std::int64_t>(horizon * 2, 1));
  a.item_name = next_string(random, 20);
  a.description = next_string(random, 100);
  a.reserve = a.initial_bid + next_price(random);
  a.date_time = time;
  a.extra = next_extra(random, 8 + a.item_name.size() + a.description.size() + 40,
                       c.avg_auction_bytes, letters(c.seed));
  return a;
}

bid make_bid(const generator_config& c, event_random& random, std::int64_t id, std::int64_t time) {
  bid b;
  b.auction = random.below(c.hot_auction_ratio) > 0
                ? last_base0_auction_id(c, id) / hot_auction_ratio * hot_auction_ratio
                : next_base0_auction_id(c, random, id);
  b.auction += first_auction_id;
  b.bidder = random.below(c.hot_bidders_ratio) > 0
               ? last_base0_person_id(c, id) / hot_bidder_ratio * hot_bidder_ratio + 1
               : next_base0_person_id(c, random, id);
  b.bidder += 2 * first_person_id; // twice, as the suite
  b.price = next_price(random);
  if (random.below(hot_channels_ratio) > 0) {
    auto i = random.below(static_cast<std::int64_t>(hot_channels.size()));
    b.channel = hot_channels[static_cast<std::size_t>(i)];
    b.url = channel_urls(c.seed).hot[static_cast<std::size_t>(i)];
  } else {
    auto n = static_cast<std::size_t>(random.below(channels));
    const auto& known = channel_urls(c.seed);
    b.channel = known.names[n];
    b.url = known.other[n];
  }
  b.date_time = time;
  b.extra = next_extra(random, 32, c.avg_bid_bytes, letters(c.seed));
  return b;
}

} // namespace

std::int64_t event_time(const generator_config& config, std::int64_t index) {
  auto delay_us = 1'000'000.0 / static_cast<double>(config.events_per_second);
  return config.base_time + static_cast<std::int64_t>(static_cast<double>(index) * delay_us) / 1000;
}

event event_of(const generator_config& config, std::int64_t index) {
  event_random random{config.seed, event_stream, index};
  auto time = event_time(config, index);
  auto rem = index % config.total_proportion();
  event e;
  if (rem < config.person_proportion)
    e.person = make_person(config, random, index, time);
  else if (rem < config.person_proportion + config.auction_proportion)
    e.auction = make_auction(config, random, index, time);
  else
    e.bid = make_bid(config, random, index, time);
  return e;
}

generator_config read_generator_options(const integer_option& integer, const std::string& rate) {
  generator_config c;
  constexpr std::int64_t most = 1'000'000;
  auto small = [&](const char* name, int fallback, int min) {
    return static_cast<int>(integer(name, fallback, min, most));
  };
  c.seed = static_cast<std::uint64_t>(integer("seed", 0, std::numeric_limits<std::int64_t>::min(),
                                              std::numeric_limits<std::int64_t>::max()));
  c.base_time = integer("base-time", c.base_time, 0, std::numeric_limits<std::int64_t>::max());
  c.events_per_second =
    integer(rate, c.events_per_second, 1, std::numeric_limits<std::int64_t>::max());
  c.person_proportion = small("person.proportion", c.person_proportion, 1);
  c.auction_proportion = small("auction.proportion", c.auction_proportion, 1);
  c.bid_proportion = small("bid.proportion", c.bid_proportion, 1);
  c.hot_auction_ratio = small("bid.hot-ratio.auctions", c.hot_auction_ratio, 1);
  c.hot_bidders_ratio = small("bid.hot-ratio.bidders", c.hot_bidders_ratio, 1);
  c.hot_sellers_ratio = small("auction.hot-ratio.sellers", c.hot_sellers_ratio, 1);
  c.avg_person_bytes = small("person.avg-size", c.avg_person_bytes, 0);
  c.avg_auction_bytes = small("auction.avg-size", c.avg_auction_bytes, 0);
  c.avg_bid_bytes = small("bid.avg-size", c.avg_bid_bytes, 0);
  return c;
}

} // namespace flinkcpp::nexmark

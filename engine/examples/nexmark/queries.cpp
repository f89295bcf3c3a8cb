#include "nexmark/queries.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <tsl/robin_set.h>

#include "flinkcpp/flinkcpp.hpp"

namespace flinkcpp::nexmark {

namespace {

/// The records of one kind (Member: &event::person, &event::auction or
/// &event::bid) among the events, in an operator called `name`.
template <class T, std::optional<T> event::*Member>
data_stream<T> records_of(const data_stream<event>& events, const char* name) {
  return events
    .flat_map([](event&& e, collector<T>& out) {
      if (e.*Member)
        out.collect(std::move(*(e.*Member)));
    })
    .name(name);
}

data_stream<person> people_of(const data_stream<event>& events) {
  return records_of<person, &event::person>(events, "People");
}

data_stream<auction> auctions_of(const data_stream<event>& events) {
  return records_of<auction, &event::auction>(events, "Auctions");
}

data_stream<bid> bids_of(const data_stream<event>& events) {
  return records_of<bid, &event::bid>(events, "Bids");
}

/// An insert-only inner join of records of one side (One, at most one per
/// key: a person by id, an auction by id) with the records of the other
/// (Many) that name its key, as SQL's regular join runs it: each side in
/// keyed state, forever; a Many record before its One waits for it. Emits
/// row(one, many) for each pair once.
template <class One, class Many, class Row>
class one_to_many_join final
  : public keyed_co_process_function<std::int64_t, One, Many, std::string> {
public:
  using context = typename one_to_many_join::context;

  explicit one_to_many_join(Row row) : row_(std::move(row)) {}

  void open(context& ctx) override {
    one_.emplace(ctx.state(value_state_descriptor<One>{"one"}));
    waiting_.emplace(ctx.state(list_state_descriptor<Many>{"waiting"}));
  }

  void process_element1(const One& one, context&, collector<std::string>& out) override {
    for (const auto& many : waiting_->get())
      out.collect(row_(one, many));
    waiting_->clear();
    one_->update(one);
  }

  void process_element2(const Many& many, context&, collector<std::string>& out) override {
    bool joined = one_->update_with([&](One& one) {
      out.collect(row_(one, many));
      return false;
    });
    if (!joined)
      waiting_->add(many);
  }

private:
  Row row_;
  std::optional<value_state<One>> one_;
  std::optional<list_state<Many>> waiting_;
};

template <class One, class Many, class Row>
one_to_many_join<One, Many, Row> join_one_to_many(Row row) {
  return one_to_many_join<One, Many, Row>(std::move(row));
}

/// `thousandths` / 1000 as SQL writes a DECIMAL(23, 3) without its
/// trailing zeros: "12", "12.5", "12.908".
std::string decimal(std::int64_t thousandths) {
  auto text = std::to_string(thousandths / 1000);
  auto fraction = thousandths % 1000;
  if (fraction == 0)
    return text;
  auto digits = std::to_string(1000 + fraction).substr(1);
  return text + "." + digits.substr(0, digits.find_last_not_of('0') + 1);
}

std::string with_commas(std::initializer_list<std::string> fields) {
  std::string line;
  for (const auto& f : fields) {
    if (!line.empty())
      line += ',';
    line += f;
  }
  return line;
}

/// The value of the first "channel_id=" at the URL's start or after an '&',
/// up to the next '&' (REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)).
std::optional<std::string> channel_id_of(std::string_view url) {
  constexpr std::string_view key = "channel_id=";
  for (std::size_t at = url.find(key); at != std::string_view::npos; at = url.find(key, at + 1))
    if (at == 0 || url[at - 1] == '&') {
      auto value = url.substr(at + key.size());
      return std::string{value.substr(0, value.find('&'))};
    }
  return std::nullopt;
}

/// The `index`th (from 0) of the parts of `s` between `separator`s
/// (SPLIT_INDEX); empty when there are fewer.
std::string split_index(std::string_view s, char separator, int index) {
  for (int i = 0; i < index; ++i) {
    auto next = s.find(separator);
    if (next == std::string_view::npos)
      return {};
    s.remove_prefix(next + 1);
  }
  return std::string{s.substr(0, s.find(separator))};
}

void q0(const data_stream<event>& events, const query_output& output) {
  output.write(events, [](const event& e) { return csv_line(e); });
}

/// q1's row: a bid with its price in euros (thousandths of the dollar price).
struct q1_row {
  std::int64_t auction = 0;
  std::int64_t bidder = 0;
  std::int64_t price_thousandths = 0;
  std::int64_t date_time = 0;
  std::string extra;
};

template <class Inspector>
auto inspect(Inspector& f, q1_row& r) {
  return f(r.auction, r.bidder, r.price_thousandths, r.date_time, r.extra);
}

void q1(const data_stream<event>& events, const query_output& output) {
  auto rows =
    bids_of(events)
      .map([](bid b) {
        return q1_row{b.auction, b.bidder, b.price * 908, b.date_time, std::move(b.extra)};
      })
      .name("q1");
  output.write(rows, [](const q1_row& r) {
    return with_commas({std::to_string(r.auction), std::to_string(r.bidder),
                        decimal(r.price_thousandths), std::to_string(r.date_time), r.extra});
  });
}

void q2(const data_stream<event>& events, const query_output& output) {
  auto rows = bids_of(events)
                .filter([](const bid& b) { return b.auction % 123 == 0; })
                .map([](const bid& b) {
                  return std::pair{b.auction, b.price};
                })
                .name("q2");
  output.write(rows, [](const std::pair<std::int64_t, std::int64_t>& r) {
    return std::to_string(r.first) + "," + std::to_string(r.second);
  });
}

data_stream<std::string> q14(const data_stream<event>& events) {
  return bids_of(events)
    .filter([](const bid& b) {
      auto euros = b.price * 908; // thousandths
      return euros > 1'000'000'000 && euros < 50'000'000'000;
    })
    .map([](const bid& b) {
      auto hour = b.date_time / 3'600'000 % 24;
      const char* type = hour >= 8 && hour <= 18   ? "dayTime"
                         : hour <= 6 || hour >= 20 ? "nightTime"
                                                   : "otherTime";
      std::int64_t c_count = 0;
      for (char c : b.extra)
        c_count += c == 'c';
      return with_commas({std::to_string(b.auction), std::to_string(b.bidder),
                          decimal(b.price * 908), type, std::to_string(b.date_time), b.extra,
                          std::to_string(c_count)});
    })
    .name("q14");
}

/// The id of a hot channel ("apple" 0, "google" 1, "facebook" 2, "baidu"
/// 3, compared in lower case), or of the URL's channel_id parameter.
std::optional<std::string> channel_id(const bid& b) {
  std::string lower = b.channel;
  for (auto& c : lower)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  constexpr std::array<std::pair<std::string_view, const char*>, 4> hot{
    {{"apple", "0"}, {"google", "1"}, {"facebook", "2"}, {"baidu", "3"}}};
  for (const auto& [name, id] : hot)
    if (lower == name)
      return std::string{id};
  return channel_id_of(b.url);
}

data_stream<std::string> q21(const data_stream<event>& events) {
  return bids_of(events)
    .flat_map([](const bid& b, collector<std::string>& out) {
      if (auto id = channel_id(b))
        out.collect(with_commas({std::to_string(b.auction), std::to_string(b.bidder),
                                 std::to_string(b.price), b.channel, *id}));
    })
    .name("q21");
}

data_stream<std::string> q22(const data_stream<event>& events) {
  return bids_of(events)
    .map([](const bid& b) {
      return with_commas({std::to_string(b.auction), std::to_string(b.bidder),
                          std::to_string(b.price), b.channel, split_index(b.url, '/', 3),
                          split_index(b.url, '/', 4), split_index(b.url, '/', 5)});
    })
    .name("q22");
}

/// q7's row of a bid paired with its window's highest price.
struct q7_row final : process_join_function<std::int64_t, bid, std::string> {
  void process_element(const std::int64_t&, const bid& b, context&,
                       collector<std::string>& out) override {
    out.collect(with_commas({std::to_string(b.auction), std::to_string(b.bidder),
                             std::to_string(b.price), std::to_string(b.date_time), b.extra}));
  }
};

/// q8's row: the person and the start of the 10 s window whose end - 1 the
/// record carries as its timestamp.
struct q8_row final : process_function<std::pair<std::int64_t, std::string>, std::string> {
  void process_element(const std::pair<std::int64_t, std::string>& p, context& ctx,
                       collector<std::string>& out) override {
    out.collect(
      with_commas({std::to_string(p.first), p.second, std::to_string(ctx.timestamp() - 9999)}));
  }
};

/// q12's row: the bidder, its bids in the processing-time window, the
/// window's start and end.
struct q12_row final : process_window_function<std::int64_t, std::int64_t, std::string> {
  void process(const std::int64_t& bidder, context& ctx, std::span<const std::int64_t> counts,
               collector<std::string>& out) override {
    out.collect(
      with_commas({std::to_string(bidder), std::to_string(counts.front()),
                   std::to_string(ctx.window().start), std::to_string(ctx.window().end)}));
  }
};

/// q11's row: the bidder, its bids in the session, the session's start and
/// end (its last bid + the gap).
struct q11_row final : process_window_function<std::int64_t, bid, std::string> {
  void process(const std::int64_t& bidder, context& ctx, std::span<const bid> bids,
               collector<std::string>& out) override {
    out.collect(
      with_commas({std::to_string(bidder), std::to_string(bids.size()),
                   std::to_string(ctx.window().start), std::to_string(ctx.window().end)}));
  }
};

/// An auction's bid count in a window ending at `window_end`.
struct auction_count {
  std::int64_t auction = 0;
  std::int64_t count = 0;
  std::int64_t window_end = 0;
};

template <class Inspector>
auto inspect(Inspector& f, auction_count& x) {
  return f(x.auction, x.count, x.window_end);
}

/// Counts records (an aggregate function).
struct count_aggregate {
  std::int64_t create_accumulator() const { return 0; }
  void add(std::int64_t& count, const std::int64_t&) const { ++count; }
  std::int64_t get_result(const std::int64_t& count) const { return count; }
  void merge(std::int64_t& count, std::int64_t&& other) const { count += other; }
};

/// q5's first step: the bids of an auction in a window, counted.
struct count_in_window final : process_window_function<std::int64_t, std::int64_t, auction_count> {
  void process(const std::int64_t& auction, context& ctx, std::span<const std::int64_t> counts,
               collector<auction_count>& out) override {
    out.collect({auction, counts.front(), ctx.window().end});
  }
};

/// q5's second step: of one window's counts, the auctions with the most.
struct most_bids final : process_window_function<std::int64_t, auction_count, std::string> {
  void process(const std::int64_t&, context&, std::span<const auction_count> counts,
               collector<std::string>& out) override {
    std::int64_t most = 0;
    for (const auto& c : counts)
      most = std::max(most, c.count);
    for (const auto& c : counts)
      if (c.count >= most)
        out.collect(std::to_string(c.auction) + "," + std::to_string(c.count));
  }
};

/// The winning bid of each auction (q4, q9): of its bids from its creation to
/// its expiry (both included), the highest price, then the earliest, then
/// the lowest bidder; emitted once the watermark passed the expiry. Bids
/// before their auction (ids ahead of the last auction) wait for it.
class winning_bid final
  : public keyed_co_process_function<std::int64_t, auction, bid, std::pair<auction, bid>> {
public:
  void open(context& ctx) override {
    auction_.emplace(ctx.state(value_state_descriptor<nexmark::auction>{"auction"}));
    best_.emplace(ctx.state(value_state_descriptor<bid>{"best"}));
    waiting_.emplace(ctx.state(list_state_descriptor<bid>{"waiting"}));
  }

  void process_element1(const nexmark::auction& a, context& ctx,
                        collector<std::pair<auction, bid>>&) override {
    auction_->update(a);
    for (const auto& b : waiting_->get())
      consider(a, b);
    waiting_->clear();
    ctx.timer_service().register_event_time_timer(a.expires);
  }

  void process_element2(const bid& b, context&, collector<std::pair<auction, bid>>&) override {
    bool known = auction_->update_with([&](nexmark::auction& a) {
      consider(a, b);
      return false;
    });
    if (!known)
      waiting_->add(b);
  }

  void on_timer(std::int64_t, context&, collector<std::pair<auction, bid>>& out) override {
    auto a = auction_->value();
    auto b = best_->value();
    if (a && b)
      out.collect({std::move(*a), std::move(*b)});
    auction_->clear();
    best_->clear();
  }

private:
  void consider(const nexmark::auction& a, const bid& b) {
    if (b.date_time < a.date_time || b.date_time > a.expires)
      return;
    bool better = true;
    best_->update_with([&](bid& best) {
      better = b.price != best.price           ? b.price > best.price
               : b.date_time != best.date_time ? b.date_time < best.date_time
                                               : b.bidder < best.bidder;
      return false;
    });
    if (better)
      best_->update(b);
  }

  std::optional<value_state<nexmark::auction>> auction_;
  std::optional<value_state<bid>> best_;
  std::optional<list_state<bid>> waiting_;
};

/// DATE_FORMAT(time, 'yyyy-MM-dd') of epoch ms `time` (UTC).
std::string day_of(std::int64_t time) {
  std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(
    std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{time}})};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

/// DATE_FORMAT(time, 'HH:mm') of epoch ms `time` (UTC).
std::string minute_of(std::int64_t time) {
  constexpr std::int64_t minutes_per_day = 1440;
  auto minutes = time / 60'000 % minutes_per_day;
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return text;
}

/// The price rank of q15 to q17: 1 below 10,000, 2 below 1,000,000, else 3.
int rank_of(std::int64_t price) {
  return price < 10'000 ? 1 : price < 1'000'000 ? 2 : 3;
}

/// q15 and q16's counts of bids: the bids, their distinct bidders and
/// distinct auctions, each in all (index 0) and per price rank (1 to 3),
/// and the last bid's time. Kept per window as an aggregate (no list of the
/// window's bids).
struct bid_counts {
  std::vector<std::int64_t> bids = std::vector<std::int64_t>(4);
  std::vector<tsl::robin_set<std::int64_t>> bidders = std::vector<tsl::robin_set<std::int64_t>>(4);
  std::vector<tsl::robin_set<std::int64_t>> auctions = std::vector<tsl::robin_set<std::int64_t>>(4);
  std::int64_t last = 0;

  /// "bids,rank1,rank2,rank3,bidders,...,auctions,...".
  std::string text() const {
    std::string out;
    for (auto n : bids)
      out += (out.empty() ? "" : ",") + std::to_string(n);
    for (const auto* sets : {&bidders, &auctions})
      for (const auto& set : *sets)
        out += "," + std::to_string(set.size());
    return out;
  }
};

template <class Inspector>
auto inspect(Inspector& f, bid_counts& x) {
  return f(x.bids, x.bidders, x.auctions, x.last);
}

/// Counts bids into bid_counts (an aggregate function).
struct count_bids {
  bid_counts create_accumulator() const { return {}; }
  void add(bid_counts& acc, const bid& b) const {
    for (auto r : {0, rank_of(b.price)}) {
      auto i = static_cast<std::size_t>(r);
      ++acc.bids[i];
      acc.bidders[i].insert(b.bidder);
      acc.auctions[i].insert(b.auction);
    }
    acc.last = std::max(acc.last, b.date_time);
  }
  bid_counts get_result(const bid_counts& acc) const { return acc; }
  void merge(bid_counts& acc, bid_counts&& other) const {
    for (std::size_t i = 0; i < 4; ++i) {
      acc.bids[i] += other.bids[i];
      acc.bidders[i].insert(other.bidders[i].begin(), other.bidders[i].end());
      acc.auctions[i].insert(other.auctions[i].begin(), other.auctions[i].end());
    }
    acc.last = std::max(acc.last, other.last);
  }
};

/// q15's row: a day's counts.
struct day_statistics final : process_window_function<std::uint8_t, bid_counts, std::string> {
  void process(const std::uint8_t&, context& ctx, std::span<const bid_counts> counts,
               collector<std::string>& out) override {
    out.collect(day_of(ctx.window().start) + "," + counts.front().text());
  }
};

/// q16's row: a channel's counts of a day, with its last minute.
struct channel_statistics final : process_window_function<std::string, bid_counts, std::string> {
  void process(const std::string& channel, context& ctx, std::span<const bid_counts> counts,
               collector<std::string>& out) override {
    out.collect(channel + "," + day_of(ctx.window().start) + "," + minute_of(counts.front().last) +
                "," + counts.front().text());
  }
};

/// q17's row: an auction's bids of a day: their number in all and per
/// rank, min, max, average (truncated, as SQL's AVG of BIGINT) and sum of
/// their prices.
struct auction_statistics final : process_window_function<std::int64_t, bid, std::string> {
  void process(const std::int64_t& auction, context& ctx, std::span<const bid> bids,
               collector<std::string>& out) override {
    std::array<std::int64_t, 4> count{};
    std::int64_t min = bids.front().price;
    std::int64_t max = min;
    std::int64_t sum = 0;
    for (const auto& b : bids) {
      ++count[0];
      ++count[static_cast<std::size_t>(rank_of(b.price))];
      min = std::min(min, b.price);
      max = std::max(max, b.price);
      sum += b.price;
    }
    out.collect(
      with_commas({std::to_string(auction), day_of(ctx.window().start), std::to_string(count[0]),
                   std::to_string(count[1]), std::to_string(count[2]), std::to_string(count[3]),
                   std::to_string(min), std::to_string(max), std::to_string(sum / count[0]),
                   std::to_string(sum)}));
  }
};

std::string bid_row(const bid& b) {
  return with_commas({std::to_string(b.auction), std::to_string(b.bidder), std::to_string(b.price),
                      b.channel, b.url, std::to_string(b.date_time), b.extra});
}

/// q18: each bidder's last bid on each auction (latest time; ties: the
/// highest price, then the greatest extra), written when the input ends
/// (SQL's deduplication updates it as bids come; this is its final row).
class last_bid final
  : public keyed_process_function<std::pair<std::int64_t, std::int64_t>, bid, std::string> {
public:
  void open(context& ctx) override {
    last_.emplace(ctx.state(value_state_descriptor<bid>{"last"}));
  }

  void process_element(const bid& b, context& ctx, collector<std::string>&) override {
    bool later = true;
    bool known = last_->update_with([&](bid& last) {
      later =
        std::tie(b.date_time, b.price, b.extra) > std::tie(last.date_time, last.price, last.extra);
      return false;
    });
    if (!known)
      ctx.timer_service().register_event_time_timer(max_watermark);
    if (later)
      last_->update(b);
  }

  void on_timer(std::int64_t, context&, collector<std::string>& out) override {
    if (auto b = last_->value())
      out.collect(bid_row(*b));
    last_->clear();
  }

private:
  std::optional<value_state<bid>> last_;
};

/// q19: each auction's 10 highest bids (ties: the earlier, then the lower
/// bidder) with their rank, written when the input ends (SQL's Top-N
/// updates them as bids come; these are its final rows).
class top_bids final : public keyed_process_function<std::int64_t, bid, std::string> {
public:
  void open(context& ctx) override {
    top_.emplace(ctx.state(value_state_descriptor<std::vector<bid>>{"top"}));
  }

  void process_element(const bid& b, context& ctx, collector<std::string>&) override {
    auto ahead = [](const bid& x, const bid& y) {
      return std::tuple{-x.price, x.date_time, x.bidder} <
             std::tuple{-y.price, y.date_time, y.bidder};
    };
    bool known = top_->update_with([&](std::vector<bid>& top) {
      if (top.size() == 10 && !ahead(b, top.back()))
        return false;
      top.insert(std::upper_bound(top.begin(), top.end(), b, ahead), b);
      if (top.size() > 10)
        top.pop_back();
      return true;
    });
    if (!known) {
      top_->update({b});
      ctx.timer_service().register_event_time_timer(max_watermark);
    }
  }

  void on_timer(std::int64_t, context&, collector<std::string>& out) override {
    if (auto top = top_->value())
      for (std::size_t i = 0; i < top->size(); ++i)
        out.collect(bid_row((*top)[i]) + "," + std::to_string(i + 1));
    top_->clear();
  }

private:
  std::optional<value_state<std::vector<bid>>> top_;
};

/// The subset of a person q3 and q8 keep.
struct seller {
  std::int64_t id = 0;
  std::string name;
  std::string city;
  std::string state;
};

template <class Inspector>
auto inspect(Inspector& f, seller& x) {
  return f(x.id, x.name, x.city, x.state);
}

data_stream<std::string> q3(const data_stream<event>& events) {
  auto sellers =
    people_of(events)
      .filter([](const person& p) { return p.state == "OR" || p.state == "ID" || p.state == "CA"; })
      .map([](const person& p) {
        return seller{p.id, p.name, p.city, p.state};
      });
  auto ids = auctions_of(events)
               .filter([](const auction& a) { return a.category == 10; })
               .map([](const auction& a) {
                 return std::pair{a.seller, a.id};
               });
  return sellers.key_by(&seller::id)
    .connect(ids.key_by([](const std::pair<std::int64_t, std::int64_t>& a) { return a.first; }))
    .process(join_one_to_many<seller, std::pair<std::int64_t, std::int64_t>>(
      [](const seller& p, const std::pair<std::int64_t, std::int64_t>& a) {
        return with_commas({p.name, p.city, p.state, std::to_string(a.second)});
      }))
    .name("q3");
}

data_stream<std::string> q5(const data_stream<event>& events) {
  // Per sliding window of 10 s every 2 s, the auctions with the most bids.
  // Each window's counts carry its end - 1 as their time: a tumbling 2 s
  // window of that time (keyed by the window's end) gathers them.
  return bids_of(events)
    .map([](const bid& b) { return b.auction; })
    .key_by([](std::int64_t auction) { return auction; })
    .window(sliding_event_time_windows::of(std::chrono::seconds{10}, std::chrono::seconds{2}))
    .aggregate(count_aggregate{}, count_in_window{})
    .key_by(&auction_count::window_end)
    .window(tumbling_event_time_windows::of(std::chrono::seconds{2}))
    .process(most_bids{})
    .name("q5");
}

data_stream<std::string> q7(const data_stream<event>& events) {
  // Each 10 s window's highest price, at the window's max timestamp
  // (end - 1), joined with the bids of that price from the window's start
  // to its end, both included (BETWEEN end - 10 s AND end).
  auto bids = bids_of(events);
  auto highest = bids.map([](const bid& b) { return b.price; })
                   .window_all(tumbling_event_time_windows::of(std::chrono::seconds{10}))
                   .reduce([](std::int64_t a, std::int64_t b) { return std::max(a, b); });
  return highest.key_by([](std::int64_t price) { return price; })
    .interval_join(bids.key_by(&bid::price))
    .between(std::chrono::milliseconds{-9999}, std::chrono::milliseconds{1})
    .process(q7_row{})
    .name("q7");
}

data_stream<std::string> q8(const data_stream<event>& events) {
  // People who created an auction in the 10 s tumbling window they joined
  // in: id, name, the window's start.
  return people_of(events)
    .co_group(auctions_of(events))
    .where(&person::id)
    .equal_to(&auction::seller)
    .window(tumbling_event_time_windows::of(std::chrono::seconds{10}))
    .apply([](std::span<const person> people, std::span<const auction> auctions,
              collector<std::pair<std::int64_t, std::string>>& out) {
      if (auctions.empty())
        return;
      for (const auto& p : people) // one person per id: no duplicate rows
        out.collect({p.id, p.name});
    })
    .process(q8_row{})
    .name("q8");
}

data_stream<std::string> q11(const data_stream<event>& events) {
  return bids_of(events)
    .key_by(&bid::bidder)
    .window(event_time_session_windows::with_gap(std::chrono::seconds{10}))
    .process(q11_row{})
    .name("q11");
}

/// Each auction with its winning bid (winning_bid), once it expired.
data_stream<std::pair<auction, bid>> winners_of(const data_stream<event>& events) {
  return auctions_of(events)
    .key_by(&auction::id)
    .connect(bids_of(events).key_by(&bid::auction))
    .process(winning_bid{})
    .name("Winning Bids");
}

/// q4's average of a category's winning prices (category, price pairs), written when the input
/// ends (SQL's AVG updates it as auctions close; this is its final row).
class average_of_category final
  : public keyed_process_function<std::int64_t, std::pair<std::int64_t, std::int64_t>,
                                  std::string> {
public:
  void open(context& ctx) override {
    sum_.emplace(ctx.state(value_state_descriptor<std::pair<std::int64_t, std::int64_t>>{"sum"}));
  }

  void process_element(const std::pair<std::int64_t, std::int64_t>& winner, context& ctx,
                       collector<std::string>&) override {
    auto price = winner.second;
    auto sum = sum_->value();
    if (!sum)
      ctx.timer_service().register_event_time_timer(max_watermark);
    auto [total, count] = sum.value_or(std::pair<std::int64_t, std::int64_t>{0, 0});
    sum_->update({total + price, count + 1});
  }

  void on_timer(std::int64_t, context& ctx, collector<std::string>& out) override {
    if (auto sum = sum_->value())
      out.collect(std::to_string(ctx.current_key()) + "," +
                  std::to_string(sum->first / sum->second));
    sum_->clear();
  }

private:
  std::optional<value_state<std::pair<std::int64_t, std::int64_t>>> sum_;
};

data_stream<std::string> q4(const data_stream<event>& events) {
  return winners_of(events)
    .map([](const std::pair<auction, bid>& w) {
      return std::pair{w.first.category, w.second.price};
    })
    .key_by([](const std::pair<std::int64_t, std::int64_t>& w) { return w.first; })
    .process(average_of_category{})
    .name("q4");
}

data_stream<std::string> q9(const data_stream<event>& events) {
  return winners_of(events)
    .map([](const std::pair<auction, bid>& w) {
      const auto& [a, b] = w;
      return with_commas(
        {std::to_string(a.id), a.item_name, a.description, std::to_string(a.initial_bid),
         std::to_string(a.reserve), std::to_string(a.date_time), std::to_string(a.expires),
         std::to_string(a.seller), std::to_string(a.category), a.extra, std::to_string(b.auction),
         std::to_string(b.bidder), std::to_string(b.price), std::to_string(b.date_time), b.extra});
    })
    .name("q9");
}

data_stream<std::string> q12(const data_stream<event>& events) {
  return bids_of(events)
    .map([](const bid& b) { return b.bidder; })
    .key_by([](std::int64_t bidder) { return bidder; })
    .window(tumbling_processing_time_windows::of(std::chrono::seconds{10}))
    .aggregate(count_aggregate{}, q12_row{})
    .name("q12");
}

data_stream<std::string> q15(const data_stream<event>& events) {
  return bids_of(events)
    .window_all(tumbling_event_time_windows::of(std::chrono::hours{24}))
    .aggregate(count_bids{}, day_statistics{})
    .name("q15");
}

data_stream<std::string> q16(const data_stream<event>& events) {
  return bids_of(events)
    .key_by(&bid::channel)
    .window(tumbling_event_time_windows::of(std::chrono::hours{24}))
    .aggregate(count_bids{}, channel_statistics{})
    .name("q16");
}

data_stream<std::string> q17(const data_stream<event>& events) {
  return bids_of(events)
    .key_by(&bid::auction)
    .window(tumbling_event_time_windows::of(std::chrono::hours{24}))
    .process(auction_statistics{})
    .name("q17");
}

data_stream<std::string> q18(const data_stream<event>& events) {
  return bids_of(events)
    .key_by([](const bid& b) {
      return std::pair{b.bidder, b.auction};
    })
    .process(last_bid{})
    .name("q18");
}

data_stream<std::string> q19(const data_stream<event>& events) {
  return bids_of(events).key_by(&bid::auction).process(top_bids{}).name("q19");
}

data_stream<std::string> q20(const data_stream<event>& events) {
  auto auctions = auctions_of(events).filter([](const auction& a) { return a.category == 10; });
  return auctions.key_by(&auction::id)
    .connect(bids_of(events).key_by(&bid::auction))
    .process(join_one_to_many<auction, bid>([](const auction& a, const bid& b) {
      return with_commas(
        {std::to_string(b.auction), std::to_string(b.bidder), std::to_string(b.price), b.channel,
         b.url, std::to_string(b.date_time), b.extra, a.item_name, a.description,
         std::to_string(a.initial_bid), std::to_string(a.reserve), std::to_string(a.date_time),
         std::to_string(a.expires), std::to_string(a.seller), std::to_string(a.category), a.extra});
    }))
    .name("q20");
}

/// The query whose rows are the lines `Q` makes.
template <data_stream<std::string> (*Q)(const data_stream<event>&)>
void lines_of(const data_stream<event>& events, const query_output& output) {
  output.write(Q(events));
}

/// The queries by name, in the order query_names() lists them.
constexpr std::array<std::pair<std::string_view, query>, 20> queries{{{"q0", &q0},
                                                                      {"q1", &q1},
                                                                      {"q2", &q2},
                                                                      {"q3", &lines_of<&q3>},
                                                                      {"q4", &lines_of<&q4>},
                                                                      {"q5", &lines_of<&q5>},
                                                                      {"q7", &lines_of<&q7>},
                                                                      {"q8", &lines_of<&q8>},
                                                                      {"q9", &lines_of<&q9>},
                                                                      {"q11", &lines_of<&q11>},
                                                                      {"q12", &lines_of<&q12>},
                                                                      {"q14", &lines_of<&q14>},
                                                                      {"q15", &lines_of<&q15>},
                                                                      {"q16", &lines_of<&q16>},
                                                                      {"q17", &lines_of<&q17>},
                                                                      {"q18", &lines_of<&q18>},
                                                                      {"q19", &lines_of<&q19>},
                                                                      {"q20", &lines_of<&q20>},
                                                                      {"q21", &lines_of<&q21>},
                                                                      {"q22", &lines_of<&q22>}}};

} // namespace

query query_named(std::string_view name) {
  for (const auto& [n, q] : queries)
    if (n == name)
      return q;
  return nullptr;
}

std::string query_names() {
  std::string out;
  for (const auto& [n, q] : queries) {
    if (!out.empty())
      out += ", ";
    out += n;
  }
  return out;
}

} // namespace flinkcpp::nexmark

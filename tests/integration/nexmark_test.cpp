// The built-in `nexmark` job through the flink-cpp binary: each query's
// rows over 100,000 generated events (200 s of event time), at -p 1 and 4,
// against a reference computed here by plain loops over the same events
// (the generator is a pure function of its index); the suite's SQL queries
// (engine/examples/nexmark/sql) against the job's rows; bad arguments
// refused saying why.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "nexmark/generator.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp::testing;
namespace nx = flinkcpp::nexmark;

namespace {

constexpr std::int64_t events = 100'000;

std::string join(const std::vector<std::string>& fields) {
  std::string line;
  for (const auto& f : fields) {
    BOOST_TEST_REQUIRE(f.find(',') == std::string::npos, f); // no quoting needed
    line += (line.empty() ? "" : ",") + f;
  }
  return line;
}

std::string n(std::int64_t v) {
  return std::to_string(v);
}

/// 0.908 * price with up to three decimals, no trailing zeros.
std::string euros(std::int64_t price) {
  auto thousandths = price * 908;
  char text[40];
  std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(thousandths / 1000),
                static_cast<long long>(thousandths % 1000));
  std::string s = text;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.')
    s.pop_back();
  return s;
}

/// The part of `url` after its `index`th '/' up to the next.
std::string directory(const std::string& url, int index) {
  std::size_t at = 0;
  for (int i = 0; i < index; ++i)
    at = url.find('/', at) + 1;
  return url.substr(at, url.find('/', at) - at);
}

/// The events of a run of `query`: 500 per second of event time, so that
/// 100,000 of them span 200 s (20 windows of 10 s, and sessions ending);
/// one per second for the queries per day (27.8 hours: two days).
std::int64_t events_per_second(const std::string& query) {
  return query == "q15" || query == "q16" || query == "q17" ? 1 : 500;
}

std::vector<nx::event> all_events(std::int64_t per_second) {
  nx::generator_config config;
  config.events_per_second = per_second;
  std::vector<nx::event> out;
  for (std::int64_t i = 0; i < events; ++i)
    out.push_back(nx::event_of(config, i));
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// The rows of the stateless queries: f(event) for each event, sorted.
std::vector<std::string>
reference(const std::vector<nx::event>& all,
          const std::function<void(const nx::event&, std::vector<std::string>&)>& f) {
  std::vector<std::string> rows;
  for (const auto& e : all)
    f(e, rows);
  return sorted(rows);
}

/// q3: each seller in OR, ID or CA with each of their auctions in category 10.
std::vector<std::string> q3(const std::vector<nx::event>& all) {
  std::map<std::int64_t, nx::person> sellers;
  for (const auto& e : all)
    if (e.person && (e.person->state == "OR" || e.person->state == "ID" || e.person->state == "CA"))
      sellers[e.person->id] = *e.person;
  std::vector<std::string> rows;
  for (const auto& e : all)
    if (e.auction && e.auction->category == 10)
      if (auto p = sellers.find(e.auction->seller); p != sellers.end())
        rows.push_back(join({p->second.name, p->second.city, p->second.state, n(e.auction->id)}));
  return sorted(rows);
}

/// q5: per sliding window of 10 s every 2 s, the auctions with the most bids.
std::vector<std::string> q5(const std::vector<nx::event>& all) {
  std::map<std::int64_t, std::map<std::int64_t, std::int64_t>> counts; // start -> auction -> n
  for (const auto& e : all)
    if (e.bid)
      for (auto start = e.bid->date_time / 2000 * 2000; start > e.bid->date_time - 10000;
           start -= 2000)
        ++counts[start][e.bid->auction];
  std::vector<std::string> rows;
  for (const auto& [start, of_window] : counts) {
    std::int64_t most = 0;
    for (const auto& [auction, count] : of_window)
      most = std::max(most, count);
    for (const auto& [auction, count] : of_window)
      if (count == most)
        rows.push_back(join({n(auction), n(count)}));
  }
  return sorted(rows);
}

/// Each auction's highest bid from its creation to its expiry (ties: the
/// earliest, then the lowest bidder), by auction id.
std::map<std::int64_t, std::pair<nx::auction, nx::bid>> winners(const std::vector<nx::event>& all) {
  std::map<std::int64_t, nx::auction> auctions;
  for (const auto& e : all)
    if (e.auction)
      auctions[e.auction->id] = *e.auction;
  std::map<std::int64_t, nx::bid> best;
  for (const auto& e : all) {
    if (!e.bid)
      continue;
    const auto& b = *e.bid;
    auto a = auctions.find(b.auction);
    if (a == auctions.end() || b.date_time < a->second.date_time || b.date_time > a->second.expires)
      continue;
    auto [at, added] = best.emplace(b.auction, b);
    const auto& x = at->second;
    if (!added &&
        std::tuple{-b.price, b.date_time, b.bidder} < std::tuple{-x.price, x.date_time, x.bidder})
      at->second = b;
  }
  std::map<std::int64_t, std::pair<nx::auction, nx::bid>> out;
  for (const auto& [id, b] : best)
    out[id] = {auctions[id], b};
  return out;
}

/// q9: each auction with its winning bid.
std::vector<std::string> q9(const std::vector<nx::event>& all) {
  std::vector<std::string> rows;
  for (const auto& [id, w] : winners(all)) {
    const auto& [a, b] = w;
    rows.push_back(join({n(a.id), a.item_name, a.description, n(a.initial_bid), n(a.reserve),
                         n(a.date_time), n(a.expires), n(a.seller), n(a.category), a.extra,
                         n(b.auction), n(b.bidder), n(b.price), n(b.date_time), b.extra}));
  }
  return sorted(rows);
}

/// q4: each category's average winning price, truncated.
std::vector<std::string> q4(const std::vector<nx::event>& all) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> sums; // category -> sum, count
  for (const auto& [id, w] : winners(all)) {
    auto& [sum, count] = sums[w.first.category];
    sum += w.second.price;
    ++count;
  }
  std::vector<std::string> rows;
  for (const auto& [category, sum] : sums)
    rows.push_back(join({n(category), n(sum.first / sum.second)}));
  return sorted(rows);
}

/// q7: the bids of each 10 s window's highest price, from its start to its
/// end, both included.
std::vector<std::string> q7(const std::vector<nx::event>& all) {
  std::map<std::int64_t, std::int64_t> highest; // window start -> price
  for (const auto& e : all)
    if (e.bid) {
      auto& h = highest[e.bid->date_time / 10000 * 10000];
      h = std::max(h, e.bid->price);
    }
  std::vector<std::string> rows;
  for (const auto& e : all) {
    if (!e.bid)
      continue;
    const auto& b = *e.bid;
    for (auto start : {b.date_time / 10000 * 10000, b.date_time - 10000})
      if (auto w = highest.find(start); w != highest.end() && w->second == b.price)
        rows.push_back(join({n(b.auction), n(b.bidder), n(b.price), n(b.date_time), b.extra}));
  }
  return sorted(rows);
}

/// q8: people with an auction of theirs in the 10 s window they joined in.
std::vector<std::string> q8(const std::vector<nx::event>& all) {
  std::set<std::pair<std::int64_t, std::int64_t>> selling; // seller, window start
  for (const auto& e : all)
    if (e.auction)
      selling.emplace(e.auction->seller, e.auction->date_time / 10000 * 10000);
  std::vector<std::string> rows;
  for (const auto& e : all)
    if (e.person) {
      auto start = e.person->date_time / 10000 * 10000;
      if (selling.count({e.person->id, start}) != 0)
        rows.push_back(join({n(e.person->id), e.person->name, n(start)}));
    }
  return sorted(rows);
}

/// q11: each bidder's sessions of bids less than 10 s apart: count, first
/// bid, last bid + 10 s.
std::vector<std::string> q11(const std::vector<nx::event>& all) {
  std::map<std::int64_t, std::vector<std::int64_t>> times;
  for (const auto& e : all)
    if (e.bid)
      times[e.bid->bidder].push_back(e.bid->date_time);
  std::vector<std::string> rows;
  for (auto& [bidder, t] : times) {
    std::sort(t.begin(), t.end());
    std::size_t first = 0;
    for (std::size_t i = 1; i <= t.size(); ++i)
      if (i == t.size() || t[i] >= t[i - 1] + 10000) {
        rows.push_back(join(
          {n(bidder), n(static_cast<std::int64_t>(i - first)), n(t[first]), n(t[i - 1] + 10000)}));
        first = i;
      }
  }
  return sorted(rows);
}

/// "yyyy-MM-dd" of epoch ms (UTC), days from the civil calendar.
std::string day(std::int64_t ms) {
  auto days = ms / 86'400'000;
  // Howard Hinnant's civil_from_days.
  auto z = days + 719468;
  auto era = z / 146097;
  auto doe = z - era * 146097;
  auto yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  auto mp = (5 * doy + 2) / 153;
  auto d = doy - (153 * mp + 2) / 5 + 1;
  auto m = mp < 10 ? mp + 3 : mp - 9;
  auto y = yoe + era * 400 + (m <= 2);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return text;
}

int rank(std::int64_t price) {
  return price < 10000 ? 1 : price < 1000000 ? 2 : 3;
}

/// q15 and q16's counts of `bids`: bids, distinct bidders, distinct auctions,
/// each in all and per rank.
std::string statistics(const std::vector<nx::bid>& bids) {
  std::vector<std::string> fields;
  for (int what = 0; what < 3; ++what)
    for (int r = 0; r <= 3; ++r) {
      std::set<std::int64_t> distinct;
      std::int64_t count = 0;
      for (const auto& b : bids)
        if (r == 0 || rank(b.price) == r) {
          ++count;
          distinct.insert(what == 1 ? b.bidder : b.auction);
        }
      fields.push_back(n(what == 0 ? count : static_cast<std::int64_t>(distinct.size())));
    }
  return join(fields);
}

std::vector<nx::bid> bids(const std::vector<nx::event>& all) {
  std::vector<nx::bid> out;
  for (const auto& e : all)
    if (e.bid)
      out.push_back(*e.bid);
  return out;
}

std::vector<std::string> q15(const std::vector<nx::event>& all) {
  std::map<std::string, std::vector<nx::bid>> by_day;
  for (const auto& b : bids(all))
    by_day[day(b.date_time)].push_back(b);
  std::vector<std::string> rows;
  for (const auto& [d, of_day] : by_day)
    rows.push_back(d + "," + statistics(of_day));
  return sorted(rows);
}

std::vector<std::string> q16(const std::vector<nx::event>& all) {
  std::map<std::pair<std::string, std::string>, std::vector<nx::bid>> groups;
  for (const auto& b : bids(all))
    groups[{b.channel, day(b.date_time)}].push_back(b);
  std::vector<std::string> rows;
  for (const auto& [key, of_group] : groups) {
    std::int64_t last = 0;
    for (const auto& b : of_group)
      last = std::max(last, b.date_time);
    char minute[32];
    std::snprintf(minute, sizeof minute, "%02lld:%02lld",
                  static_cast<long long>(last / 3'600'000 % 24),
                  static_cast<long long>(last / 60'000 % 60));
    rows.push_back(key.first + "," + key.second + "," + minute + "," + statistics(of_group));
  }
  return sorted(rows);
}

std::vector<std::string> q17(const std::vector<nx::event>& all) {
  std::map<std::pair<std::int64_t, std::string>, std::vector<std::int64_t>> prices;
  for (const auto& b : bids(all))
    prices[{b.auction, day(b.date_time)}].push_back(b.price);
  std::vector<std::string> rows;
  for (const auto& [key, p] : prices) {
    std::int64_t per_rank[4] = {};
    for (auto price : p)
      ++per_rank[rank(price)];
    auto sum = std::accumulate(p.begin(), p.end(), std::int64_t{0});
    auto count = static_cast<std::int64_t>(p.size());
    rows.push_back(join({n(key.first), key.second, n(count), n(per_rank[1]), n(per_rank[2]),
                         n(per_rank[3]), n(*std::min_element(p.begin(), p.end())),
                         n(*std::max_element(p.begin(), p.end())), n(sum / count), n(sum)}));
  }
  return sorted(rows);
}

std::string bid_row(const nx::bid& b) {
  return join({n(b.auction), n(b.bidder), n(b.price), b.channel, b.url, n(b.date_time), b.extra});
}

/// q18: each bidder's last bid on each auction.
std::vector<std::string> q18(const std::vector<nx::event>& all) {
  std::map<std::pair<std::int64_t, std::int64_t>, nx::bid> last;
  for (const auto& b : bids(all)) {
    auto [at, added] = last.emplace(std::pair{b.bidder, b.auction}, b);
    const auto& x = at->second;
    if (!added && std::tie(b.date_time, b.price, b.extra) > std::tie(x.date_time, x.price, x.extra))
      at->second = b;
  }
  std::vector<std::string> rows;
  for (const auto& [key, b] : last)
    rows.push_back(bid_row(b));
  return sorted(rows);
}

/// q19: each auction's 10 highest bids, ranked.
std::vector<std::string> q19(const std::vector<nx::event>& all) {
  std::map<std::int64_t, std::vector<nx::bid>> of_auction;
  for (const auto& b : bids(all))
    of_auction[b.auction].push_back(b);
  std::vector<std::string> rows;
  for (auto& [auction, list] : of_auction) {
    std::sort(list.begin(), list.end(), [](const nx::bid& x, const nx::bid& y) {
      return std::tuple{-x.price, x.date_time, x.bidder} <
             std::tuple{-y.price, y.date_time, y.bidder};
    });
    for (std::size_t i = 0; i < std::min<std::size_t>(10, list.size()); ++i)
      rows.push_back(bid_row(list[i]) + "," + n(static_cast<std::int64_t>(i + 1)));
  }
  return sorted(rows);
}

/// q20: each bid joined with its auction of category 10.
std::vector<std::string> q20(const std::vector<nx::event>& all) {
  std::map<std::int64_t, nx::auction> auctions;
  for (const auto& e : all)
    if (e.auction && e.auction->category == 10)
      auctions[e.auction->id] = *e.auction;
  std::vector<std::string> rows;
  for (const auto& e : all)
    if (e.bid)
      if (auto a = auctions.find(e.bid->auction); a != auctions.end()) {
        const auto& b = *e.bid;
        const auto& x = a->second;
        rows.push_back(
          join({n(b.auction), n(b.bidder), n(b.price), b.channel, b.url, n(b.date_time), b.extra,
                x.item_name, x.description, n(x.initial_bid), n(x.reserve), n(x.date_time),
                n(x.expires), n(x.seller), n(x.category), x.extra}));
      }
  return sorted(rows);
}

std::vector<std::string> expected_rows(const std::vector<nx::event>& all,
                                       const std::string& query) {
  if (query == "q3")
    return q3(all);
  if (query == "q4")
    return q4(all);
  if (query == "q5")
    return q5(all);
  if (query == "q7")
    return q7(all);
  if (query == "q9")
    return q9(all);
  if (query == "q8")
    return q8(all);
  if (query == "q11")
    return q11(all);
  if (query == "q15")
    return q15(all);
  if (query == "q16")
    return q16(all);
  if (query == "q17")
    return q17(all);
  if (query == "q18")
    return q18(all);
  if (query == "q19")
    return q19(all);
  if (query == "q20")
    return q20(all);
  return reference(all, [&](const nx::event& e, std::vector<std::string>& rows) {
    if (query == "q0") {
      if (e.person) {
        const auto& p = *e.person;
        rows.push_back(join({"person", n(p.id), p.name, p.email_address, p.credit_card, p.city,
                             p.state, n(p.date_time), p.extra}));
      } else if (e.auction) {
        const auto& a = *e.auction;
        rows.push_back(
          join({"auction", n(a.id), a.item_name, a.description, n(a.initial_bid), n(a.reserve),
                n(a.date_time), n(a.expires), n(a.seller), n(a.category), a.extra}));
      } else {
        const auto& b = *e.bid;
        rows.push_back(join({"bid", n(b.auction), n(b.bidder), n(b.price), b.channel, b.url,
                             n(b.date_time), b.extra}));
      }
      return;
    }
    if (!e.bid)
      return;
    const auto& b = *e.bid;
    if (query == "q1")
      rows.push_back(join({n(b.auction), n(b.bidder), euros(b.price), n(b.date_time), b.extra}));
    if (query == "q2" && b.auction % 123 == 0)
      rows.push_back(join({n(b.auction), n(b.price)}));
    if (query == "q14" && b.price * 0.908 > 1'000'000 && b.price * 0.908 < 50'000'000) {
      auto hour = b.date_time / 3'600'000 % 24;
      std::string type = hour >= 8 && hour <= 18   ? "dayTime"
                         : hour <= 6 || hour >= 20 ? "nightTime"
                                                   : "otherTime";
      rows.push_back(join({n(b.auction), n(b.bidder), euros(b.price), type, n(b.date_time), b.extra,
                           n(std::count(b.extra.begin(), b.extra.end(), 'c'))}));
    }
    if (query == "q21") {
      std::optional<std::string> id;
      if (b.channel == "Apple")
        id = "0";
      else if (b.channel == "Google")
        id = "1";
      else if (b.channel == "Facebook")
        id = "2";
      else if (b.channel == "Baidu")
        id = "3";
      else if (auto at = b.url.find("&channel_id="); at != std::string::npos)
        id = b.url.substr(at + 12, b.url.find('&', at + 1) - at - 12);
      if (id)
        rows.push_back(join({n(b.auction), n(b.bidder), n(b.price), b.channel, *id}));
    }
    if (query == "q22")
      rows.push_back(join({n(b.auction), n(b.bidder), n(b.price), b.channel, directory(b.url, 3),
                           directory(b.url, 4), directory(b.url, 5)}));
  });
}

/// The Nexmark suite's SQL for `query` (engine/examples/nexmark/sql: the
/// event table, the views and the query) over `count` events at `tps`, its
/// sink table given `sink` as its WITH options instead of the blackhole.
std::string sql_script(const std::string& query, std::int64_t count, std::int64_t tps,
                       const std::string& sink) {
  const std::string dir = std::string{FLINKCPP_PROJECT_DIR} + "/engine/examples/nexmark/sql/";
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, from);
    for (; at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    return text;
  };
  auto ddl = replace(read_file(dir + "ddl.sql"), "${EVENTS_NUM}", std::to_string(count));
  ddl = replace(ddl, "${TPS}", std::to_string(tps));
  return ddl + replace(read_file(dir + query + ".sql"), "'connector' = 'blackhole'", sink);
}

/// A value as the built-in job writes it: a SQL timestamp (CSV's
/// "2026-01-01 00:00:00.001", print's "2026-01-01T00:00:00.001") as epoch
/// milliseconds, a decimal without trailing zeros.
std::string as_the_job_writes(const std::string& v) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  char separator = 0;
  int used = 0;
  if (v.size() >= 16 && v[4] == '-' &&
      std::sscanf(v.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &separator, &h, &mi, &used) ==
        6 &&
      (separator == ' ' || separator == 'T')) {
    auto rest = v.substr(static_cast<std::size_t>(used));
    if (!rest.empty())
      std::sscanf(rest.c_str(), ":%2d", &sec);
    if (auto point = rest.find('.'); point != std::string::npos)
      ms = std::stoi((rest.substr(point + 1) + "00").substr(0, 3)); // ".29": 290 ms
    std::tm t{};
    t.tm_year = y - 1900;
    t.tm_mon = mo - 1;
    t.tm_mday = d;
    t.tm_hour = h;
    t.tm_min = mi;
    t.tm_sec = sec;
    return n(static_cast<std::int64_t>(::timegm(&t)) * 1000 + ms);
  }
  auto point = v.find('.');
  if (point != std::string::npos && point > 0 &&
      v.find_first_not_of("-0123456789.") == std::string::npos) {
    auto out = v.substr(0, v.find_last_not_of('0') + 1);
    if (out.back() == '.')
      out.pop_back();
    return out;
  }
  return v;
}

std::vector<std::string> split_fields(const std::string& line, const std::string& separator) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  for (auto next = line.find(separator); next != std::string::npos;
       at = next + separator.size(), next = line.find(separator, at))
    fields.push_back(line.substr(at, next - at));
  fields.push_back(line.substr(at));
  return fields;
}

std::string as_the_job_writes(const std::vector<std::string>& fields) {
  std::string line;
  for (const auto& f : fields)
    line += (line.empty() ? "" : ",") + as_the_job_writes(f);
  return line;
}

/// The rows a print sink's changelog ("N> +I[a, b]", -U, +U, -D) ends
/// with, as the built-in job writes rows, sorted.
std::vector<std::string> final_rows(const std::string& printed) {
  std::multiset<std::string> rows;
  std::size_t at = 0;
  while (at < printed.size()) {
    auto end = printed.find('\n', at);
    auto line = printed.substr(at, end - at);
    at = end == std::string::npos ? printed.size() : end + 1;
    auto open = line.find('[');
    if (open < 2 || line.back() != ']')
      continue;
    auto kind = line.substr(open - 2, 2);
    auto row = as_the_job_writes(split_fields(line.substr(open + 1, line.size() - open - 2), ", "));
    if (kind == "+I" || kind == "+U") {
      rows.insert(row);
    } else {
      auto it = rows.find(row);
      BOOST_TEST_REQUIRE((it != rows.end()), "retracted but never added: " << line);
      rows.erase(it);
    }
  }
  return {rows.begin(), rows.end()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(nexmark)

BOOST_AUTO_TEST_CASE(each_query_equals_its_reference_at_parallelism_1_and_4) {
  for (std::string query : {"q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q9", "q11", "q14",
                            "q15", "q16", "q17", "q18", "q19", "q20", "q21", "q22"}) {
    auto expected = expected_rows(all_events(events_per_second(query)), query);
    // Enough rows to tell (q15 has one per day: two; q4 one per category: five).
    BOOST_TEST_REQUIRE(expected.size() >= (query == "q15"  ? 2u
                                           : query == "q4" ? 5u
                                                           : 15u),
                       query << ": " << expected.size() << " rows");
    for (int p : {1, 4}) {
      temp_dir dir;
      auto r =
        run_flink_cpp({"run", "-t", "local", "-p", std::to_string(p), "nexmark", "--query", query,
                       "--events", std::to_string(events), "--nexmark.tps",
                       std::to_string(events_per_second(query)), "--output", dir.file("out")});
      BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
      auto rows = output_lines(dir.file("out"));
      std::sort(rows.begin(), rows.end());
      BOOST_TEST(rows == expected, query << " at -p " << p);
    }
  }
}

BOOST_AUTO_TEST_CASE(sql_queries_give_the_rows_of_the_datastream_queries) {
  // The suite's SQL queries over the 'nexmark' table and its views give,
  // value for value, the rows of the built-in job's queries on the same
  // events at -p 2 (updating queries: the rows their changelog ends with).
  const std::set<std::string> updating{"q4", "q5", "q9", "q15", "q16", "q17", "q18", "q19"};
  for (std::string query : {"q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q9", "q11", "q14",
                            "q15", "q16", "q17", "q18", "q19", "q20", "q21", "q22"}) {
    auto tps = std::to_string(events_per_second(query));
    temp_dir dir;
    auto r =
      run_flink_cpp({"run", "-t", "local", "-p", "2", "nexmark", "--query", query, "--events",
                     std::to_string(events), "--nexmark.tps", tps, "--output", dir.file("job")});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    auto expected = sorted(output_lines(dir.file("job")));
    if (query == "q0") { // the job writes every event; the suite's q0 the bids
      std::vector<std::string> bids;
      for (const auto& line : expected)
        if (line.rfind("bid,", 0) == 0) {
          auto f = split_fields(line, ",");
          bids.push_back(join({f[1], f[2], f[3], f[6], f[7]}));
        }
      expected = sorted(bids);
    }
    BOOST_TEST_REQUIRE(expected.size() >= 2u, query);
    auto sink = updating.count(query) ? std::string{"'connector' = 'print'"}
                                      : "'connector' = 'filesystem', 'path' = '" + dir.file("sql") +
                                          "', 'format' = 'csv'";
    write_file(dir.file(query + ".sql"), sql_script(query, events, events_per_second(query), sink));
    r = run_flink_cpp({"run", "-t", "local", "-p", "2", "sql", "--file", dir.file(query + ".sql")});
    BOOST_TEST_REQUIRE(r.exit_code == 0, query << ": " << r.err);
    std::vector<std::string> got;
    if (updating.count(query)) {
      got = final_rows(r.out);
    } else {
      for (const auto& line : output_lines(dir.file("sql")))
        got.push_back(as_the_job_writes(split_fields(line, ",")));
      got = sorted(got);
    }
    auto differ = std::mismatch(got.begin(), got.end(), expected.begin(), expected.end());
    BOOST_TEST(got == expected,
               query << ": " << got.size() << " rows, the job's " << expected.size()
                     << "; first difference: '" << (differ.first == got.end() ? "" : *differ.first)
                     << "' where the job has '"
                     << (differ.second == expected.end() ? "" : *differ.second) << "'");
  }
}

BOOST_AUTO_TEST_CASE(q12_counts_bids_in_processing_time_windows) {
  // 30,000 events at 2,500 per second of wall-clock time (rate limited): at
  // least one 10 s processing-time window closes during the run. Which bids
  // fall in it depends on the clock, so the rows are checked for what any
  // run must give: aligned 10 s windows, and per bidder no more bids than
  // it made (windows still open at the end are not written, as Flink).
  constexpr std::int64_t limited = 30'000;
  nx::generator_config config;
  config.events_per_second = 2500;
  std::map<std::int64_t, std::int64_t> made;
  for (std::int64_t i = 0; i < limited; ++i)
    if (auto e = nx::event_of(config, i); e.bid)
      ++made[e.bid->bidder];
  temp_dir dir;
  auto r = run_flink_cpp({"run", "-t", "local", "-p", "2", "nexmark", "--query", "q12", "--events",
                          std::to_string(limited), "--nexmark.tps", "2500",
                          "--nexmark.rate-limited", "--output", dir.file("out")});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto rows = output_lines(dir.file("out"));
  BOOST_TEST_REQUIRE(!rows.empty());
  std::map<std::int64_t, std::int64_t> counted;
  for (const auto& row : rows) {
    long long bidder = 0, count = 0, start = 0, end = 0;
    BOOST_TEST_REQUIRE(
      std::sscanf(row.c_str(), "%lld,%lld,%lld,%lld", &bidder, &count, &start, &end) == 4, row);
    BOOST_TEST(end - start == 10000, row);
    BOOST_TEST(start % 10000 == 0, row);
    BOOST_TEST(count >= 1, row);
    counted[bidder] += count;
  }
  for (const auto& [bidder, count] : counted)
    BOOST_TEST(count <= made[bidder], "bidder " << bidder);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused_saying_what_was_expected) {
  auto r = run_flink_cpp({"run", "-t", "local", "nexmark", "--query", "q99", "--events", "10"});
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(
    r.err.find(
      "--query: expected one of q0, q1, q2, q3, q4, q5, q7, q8, q9, q11, q12, q14, q15, q16, q17, "
      "q18, q19, q20, q21, q22, got 'q99'") != std::string::npos,
    r.err);
  r = run_flink_cpp({"run", "-t", "local", "nexmark", "--query", "q1", "--events", "0"});
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("--events must be at least 1, got 0") != std::string::npos, r.err);
  r = run_flink_cpp(
    {"run", "-t", "local", "nexmark", "--query", "q1", "--events", "10", "--nexmark.tps", "x"});
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("nexmark.tps") != std::string::npos, r.err);
  // The SQL table: a column the connector does not fill, a bad option.
  temp_dir dir;
  auto table = [&](const std::string& columns, const std::string& options) {
    write_file(dir.file("bad.sql"), "CREATE TABLE t (" + columns +
                                      ") WITH ('connector' = 'nexmark'" + options +
                                      ");\nCREATE TABLE o (n BIGINT) WITH ('connector' = "
                                      "'blackhole');\nINSERT INTO o SELECT 1 FROM t;\n");
    return run_flink_cpp({"run", "-t", "local", "sql", "--file", dir.file("bad.sql")});
  };
  r = table("bid ROW<auction BIGINT, tip BIGINT>", "");
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("the nexmark connector has no column 'bid.tip'; it fills event_type, "
                        "person.id") != std::string::npos,
             r.err);
  r = table("bid ROW<price STRING>", "");
  BOOST_TEST(r.err.find("the column 'bid.price' must be an integer type, not STRING") !=
               std::string::npos,
             r.err);
  r = table("event_type INT", ", 'events.num' = 'ten'");
  BOOST_TEST(r.err.find("option 'events.num': expected an integer, got 'ten'") != std::string::npos,
             r.err);
  r = table("event_type INT", ", 'first-event.rate' = '100', 'next-event.rate' = '200'");
  BOOST_TEST(r.err.find("constant rate") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

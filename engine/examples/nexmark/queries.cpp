#include "nexmark/queries.hpp"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "flinkcpp/collector.hpp"

namespace flinkcpp::nexmark {

namespace {

/// The bids among the events.
data_stream<bid> bids_of(const data_stream<event>& events) {
  return events
    .flat_map([](event&& e, collector<bid>& out) {
      if (e.bid)
        out.collect(std::move(*e.bid));
    })
    .name("Bids");
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

data_stream<std::string> q0(const data_stream<event>& events) {
  return events.map([](const event& e) { return csv_line(e); }).name("q0");
}

data_stream<std::string> q1(const data_stream<event>& events) {
  return bids_of(events)
    .map([](const bid& b) {
      return with_commas({std::to_string(b.auction), std::to_string(b.bidder),
                          decimal(b.price * 908), std::to_string(b.date_time), b.extra});
    })
    .name("q1");
}

data_stream<std::string> q2(const data_stream<event>& events) {
  return bids_of(events)
    .filter([](const bid& b) { return b.auction % 123 == 0; })
    .map([](const bid& b) { return std::to_string(b.auction) + "," + std::to_string(b.price); })
    .name("q2");
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

constexpr std::array<std::pair<std::string_view, query>, 6> queries{
  {{"q0", &q0}, {"q1", &q1}, {"q2", &q2}, {"q14", &q14}, {"q21", &q21}, {"q22", &q22}}};

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

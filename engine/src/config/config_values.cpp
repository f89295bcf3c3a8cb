#include "config/config_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <utility>

namespace flinkcpp {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string to_lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

/// Splits "100 ms" into 100 and "ms"; false when there is no leading number.
bool split_number_unit(std::string_view text, std::int64_t& number, std::string& unit) {
  text = trim(text);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || ptr == text.data())
    return false;
  unit = to_lower(
    trim(std::string_view(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr))));
  return true;
}

std::string trimmed_number(double v) {
  auto s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.')
    s.pop_back();
  return s;
}

/// "%20" -> " "; false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size())
      return false;
    auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (ec != std::errc{} || ptr != text.data() + i + 3)
      return false;
    out += static_cast<char>(value);
    i += 2;
  }
  return true;
}

/// The scheme of a URI ("s3" of "s3://bucket/x"), or empty when `text` has none.
std::string_view uri_scheme(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return {};
  auto scheme = text.substr(0, colon);
  if (!std::isalpha(static_cast<unsigned char>(scheme.front())))
    return {};
  for (char c : scheme)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return {};
  return scheme;
}

} // namespace

result<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max) {
  auto t = trim(text);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  bool ok = ec == std::errc{} && ptr == t.data() + t.size() && !t.empty();
  if (!ok || value < min || value > max) {
    if (min == 1 && max >= INT32_MAX)
      return failure{"a positive integer"};
    if (max == INT64_MAX)
      return failure{"an integer of at least " + std::to_string(min)};
    return failure{"an integer between " + std::to_string(min) + " and " + std::to_string(max)};
  }
  return value;
}

result<double> parse_number(std::string_view text, double min, double max) {
  auto t = trim(text);
  double value = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || ptr != t.data() + t.size() || t.empty() || value < min || value > max)
    return failure{"a number between " + trimmed_number(min) + " and " + trimmed_number(max)};
  return value;
}

result<std::pair<int, int>> parse_port_range(std::string_view text) {
  auto t = trim(text);
  auto dash = t.find('-');
  auto first = parse_integer(t.substr(0, dash), 1, 65535);
  auto last = dash == std::string_view::npos ? first : parse_integer(t.substr(dash + 1), 1, 65535);
  if (!first || !last || *last < *first)
    return failure{"a port (9249) or a range of ports (9250-9260)"};
  return std::pair<int, int>{static_cast<int>(*first), static_cast<int>(*last)};
}

result<std::string> parse_local_path(std::string_view text) {
  const std::string expected = "an absolute local path (/path, file:/path or file:///path)";
  auto t = trim(text);
  if (t.empty())
    return failure{expected};
  std::string_view path = t;
  bool uri = false;
  if (auto scheme = uri_scheme(t); !scheme.empty()) {
    if (to_lower(scheme) != "file")
      return failure{expected + ", not a URI of scheme '" + std::string{scheme} +
                     "': flink-cpp writes local or mounted file systems only"};
    uri = true;
    path = t.substr(scheme.size() + 1);
    if (path.rfind("//", 0) == 0) { // file://authority/path
      auto end = path.find('/', 2);
      auto host = path.substr(2, end == std::string_view::npos ? path.size() - 2 : end - 2);
      if (!host.empty() && to_lower(host) != "localhost")
        return failure{expected + ", not a file URI of host '" + std::string{host} +
                       "': only this machine's files (file:///path) can be written"};
      path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
    }
  }
  std::string decoded{path};
  if (uri && !percent_decode(path, decoded))
    return failure{expected + ", not '" + std::string{t} + "' (a malformed %-escape)"};
  if (decoded.empty() || decoded.front() != '/')
    return failure{expected + ", not the relative path '" + std::string{t} +
                   "', which would depend on the working directory"};
  // A NUL would end the path where the system reads it, elsewhere than
  // where it was checked; other control characters are no one's file names.
  if (std::any_of(decoded.begin(), decoded.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return failure{expected + " without control characters (NUL, tab, newline, ...)"};
  auto normal = std::filesystem::path{decoded}.lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/')
    normal.pop_back();
  return normal;
}

std::vector<std::string_view> list_items(std::string_view text) {
  std::vector<std::string_view> items;
  while (!text.empty()) {
    auto comma = text.find(',');
    if (auto item = trim(text.substr(0, comma)); !item.empty())
      items.push_back(item);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return items;
}

result<std::map<std::string, std::string>> parse_log_levels(std::string_view text) {
  static const std::vector<std::string_view> levels{"TRACE", "DEBUG", "INFO",
                                                    "WARN",  "ERROR", "OFF"};
  std::map<std::string, std::string> out;
  auto expected = failure{"component=LEVEL pairs separated by commas, each LEVEL one of TRACE | "
                          "DEBUG | INFO | WARN | ERROR | OFF"};
  for (auto pair : list_items(text)) {
    auto equals = pair.find('=');
    if (equals == std::string_view::npos || trim(pair.substr(0, equals)).empty())
      return expected;
    auto level = parse_choice(pair.substr(equals + 1), levels);
    if (!level)
      return expected;
    out[std::string{trim(pair.substr(0, equals))}] = *level;
  }
  return out;
}

result<bool> parse_boolean(std::string_view text) {
  auto t = to_lower(trim(text));
  if (t == "true")
    return true;
  if (t == "false")
    return false;
  return failure{"true or false"};
}

result<std::string> parse_text(std::string_view text) {
  return std::string{text};
}

result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  using namespace std::chrono;
  static constexpr std::pair<std::string_view, std::int64_t> units_ns[] = {
    {"", 1'000'000},
    {"ns", 1},
    {"nano", 1},
    {"nanos", 1},
    {"nanosecond", 1},
    {"nanoseconds", 1},
    {"us", 1'000},
    {"micro", 1'000},
    {"micros", 1'000},
    {"microsecond", 1'000},
    {"microseconds", 1'000},
    {"ms", 1'000'000},
    {"milli", 1'000'000},
    {"millis", 1'000'000},
    {"millisecond", 1'000'000},
    {"milliseconds", 1'000'000},
    {"s", 1'000'000'000},
    {"sec", 1'000'000'000},
    {"secs", 1'000'000'000},
    {"second", 1'000'000'000},
    {"seconds", 1'000'000'000},
    {"min", 60'000'000'000},
    {"m", 60'000'000'000},
    {"minute", 60'000'000'000},
    {"minutes", 60'000'000'000},
    {"h", 3'600'000'000'000},
    {"hour", 3'600'000'000'000},
    {"hours", 3'600'000'000'000},
    {"d", 86'400'000'000'000},
    {"day", 86'400'000'000'000},
    {"days", 86'400'000'000'000},
  };
  const char* expected = "a duration such as '100 ms', '5 s' or '1 min'";
  std::int64_t number = 0;
  std::string unit;
  if (!split_number_unit(text, number, unit))
    return failure{expected};
  if (number == -1 && unit.empty())
    return milliseconds{-1};
  if (number < 0)
    return failure{expected};
  for (const auto& [name, ns] : units_ns) {
    if (name != unit)
      continue;
    if (number > std::numeric_limits<std::int64_t>::max() / ns)
      return failure{"a duration of at most 106751 days (292 years)"};
    return duration_cast<milliseconds>(nanoseconds{number * ns});
  }
  return failure{expected};
}

result<std::uint64_t> parse_memory_size(std::string_view text) {
  static constexpr std::pair<std::string_view, std::uint64_t> units[] = {
    {"", 1},           {"b", 1},           {"bytes", 1},
    {"k", 1ULL << 10}, {"kb", 1ULL << 10}, {"kibibytes", 1ULL << 10},
    {"m", 1ULL << 20}, {"mb", 1ULL << 20}, {"mebibytes", 1ULL << 20},
    {"g", 1ULL << 30}, {"gb", 1ULL << 30}, {"gibibytes", 1ULL << 30},
    {"t", 1ULL << 40}, {"tb", 1ULL << 40}, {"tebibytes", 1ULL << 40},
  };
  const char* expected = "a memory size such as '32kb', '64 mb' or '1g'";
  std::int64_t number = 0;
  std::string unit;
  if (!split_number_unit(text, number, unit) || number < 0)
    return failure{expected};
  for (const auto& [name, factor] : units) {
    if (name != unit)
      continue;
    if (static_cast<std::uint64_t>(number) >
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / factor)
      return failure{"a memory size of at most 8 EiB"};
    return static_cast<std::uint64_t>(number) * factor;
  }
  return failure{expected};
}

bool is_sensitive_key(std::string_view key) {
  static const std::string_view markers[] = {
    "password",   "secret",      "fs.azure.account.key", "apikey",      "api-key",     "token",
    "basic-auth", "auth-params", "service-key",          "jaas.config", "http-headers"};
  auto k = to_lower(key);
  for (auto m : markers)
    if (k.find(m) != std::string::npos)
      return true;
  return false;
}

result<std::string> parse_choice(std::string_view text,
                                 const std::vector<std::string_view>& choices) {
  auto t = to_lower(trim(text));
  std::string listed;
  for (auto c : choices) {
    if (to_lower(c) == t)
      return std::string{c};
    listed += (listed.empty() ? "" : " | ") + std::string{c};
  }
  return failure{"one of " + listed};
}

} // namespace flinkcpp

#include "sql/functions/time_format.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace flinkcpp::sql {

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  auto era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = y - era * 400;
  auto mp = (m + 9) % 12;
  auto doy = (153 * mp + 2) / 5 + d - 1;
  auto doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

namespace {

struct civil_date {
  std::int64_t year;
  int month, day;
};

civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  auto era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = z - era * 146097;
  auto yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  auto y = yoe + era * 400;
  auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  auto mp = (5 * doy + 2) / 153;
  auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::string two(int v) {
  std::array<char, 3> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d", v);
  return buf.data();
}

std::string three(int v) {
  std::array<char, 4> buf{};
  std::snprintf(buf.data(), buf.size(), "%03d", v);
  return buf.data();
}

std::string year_text(std::int64_t y) {
  std::array<char, 24> buf{};
  std::snprintf(buf.data(), buf.size(), "%04lld", static_cast<long long>(y));
  return buf.data();
}

/// Reads exactly `n` digits at `pos`; advances it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t n) {
  if (pos + n > text.size())
    return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

/// Reads 1 to `most` digits at `pos`.
std::optional<int> some_digits(std::string_view text, std::size_t& pos, std::size_t most) {
  std::size_t n = 0;
  while (pos + n < text.size() && n < most && text[pos + n] >= '0' && text[pos + n] <= '9')
    ++n;
  if (n == 0)
    return std::nullopt;
  return digits(text, pos, n);
}

int days_in_month(std::int64_t y, int m) {
  static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[static_cast<std::size_t>(m - 1)];
}

std::optional<std::int64_t> parse_date_at(std::string_view text, std::size_t& pos) {
  auto y = some_digits(text, pos, 4);
  if (!y || pos >= text.size() || text[pos++] != '-')
    return std::nullopt;
  auto m = some_digits(text, pos, 2);
  if (!m || pos >= text.size() || text[pos++] != '-')
    return std::nullopt;
  auto d = some_digits(text, pos, 2);
  if (!d || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
    return std::nullopt;
  return days_from_civil(*y, *m, *d);
}

std::optional<std::int64_t> parse_time_at(std::string_view text, std::size_t& pos) {
  auto h = some_digits(text, pos, 2);
  if (!h || pos >= text.size() || text[pos++] != ':')
    return std::nullopt;
  auto mi = some_digits(text, pos, 2);
  if (!mi)
    return std::nullopt;
  int s = 0;
  int ms = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    auto sec = some_digits(text, pos, 2);
    if (!sec)
      return std::nullopt;
    s = *sec;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
        ++pos;
      if (pos == start || pos - start > 9)
        return std::nullopt;
      for (std::size_t i = 0; i < 3; ++i)
        ms = ms * 10 + (start + i < pos ? text[start + i] - '0' : 0);
    }
  }
  if (*h > 23 || *mi > 59 || s > 59)
    return std::nullopt;
  return ((*h * 60 + *mi) * 60 + s) * 1000LL + ms;
}

} // namespace

civil_time civil_from_ms(std::int64_t ms) {
  auto days = floor_div(ms, ms_per_day);
  auto rest = ms - days * ms_per_day;
  auto date = civil_from_days(days);
  return {date.year,
          date.month,
          date.day,
          static_cast<int>(rest / 3'600'000),
          static_cast<int>(rest / 60'000 % 60),
          static_cast<int>(rest / 1000 % 60),
          static_cast<int>(rest % 1000)};
}

std::string format_date(std::int64_t days) {
  auto d = civil_from_days(days);
  return year_text(d.year) + '-' + two(d.month) + '-' + two(d.day);
}

std::string format_time(std::int64_t ms_of_day, int precision) {
  auto t = civil_from_ms(ms_of_day);
  auto out = two(t.hour) + ':' + two(t.minute) + ':' + two(t.second);
  if (precision > 0)
    out += '.' + three(t.millisecond).substr(0, static_cast<std::size_t>(std::min(precision, 3)));
  return out;
}

std::string format_timestamp(std::int64_t ms, timestamp_style style, int precision) {
  auto t = civil_from_ms(ms);
  auto out = year_text(t.year) + '-' + two(t.month) + '-' + two(t.day) +
             (style == timestamp_style::iso ? 'T' : ' ') + two(t.hour) + ':' + two(t.minute);
  switch (style) {
    case timestamp_style::sql:
      out += ':' + two(t.second);
      if (t.millisecond != 0) {
        auto fraction = three(t.millisecond);
        while (fraction.back() == '0')
          fraction.pop_back();
        out += '.' + fraction;
      }
      break;
    case timestamp_style::iso:
      if (t.second != 0 || t.millisecond != 0)
        out += ':' + two(t.second);
      if (t.millisecond != 0)
        out += '.' + three(t.millisecond);
      break;
    case timestamp_style::fixed:
      out += ':' + two(t.second);
      if (precision > 0)
        out +=
          '.' + three(t.millisecond).substr(0, static_cast<std::size_t>(std::min(precision, 3)));
      break;
  }
  return out;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  std::size_t pos = 0;
  auto days = parse_date_at(text, pos);
  if (!days)
    return std::nullopt;
  std::int64_t ms = 0;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T')
      return std::nullopt;
    ++pos;
    auto time = parse_time_at(text, pos);
    if (!time)
      return std::nullopt;
    ms = *time;
  }
  if (pos != text.size())
    return std::nullopt;
  return *days * ms_per_day + ms;
}

std::optional<std::int64_t> parse_date(std::string_view text) {
  std::size_t pos = 0;
  auto days = parse_date_at(text, pos);
  if (!days || pos != text.size())
    return std::nullopt;
  return days;
}

std::optional<std::int64_t> parse_time(std::string_view text) {
  std::size_t pos = 0;
  auto ms = parse_time_at(text, pos);
  if (!ms || pos != text.size())
    return std::nullopt;
  return ms;
}

namespace {

/// Calls on_letters(letter, count) for each run of a pattern letter and
/// on_text(text) for literal text (quoted or not a letter).
template <class Letters, class Text>
void walk_pattern(std::string_view pattern, Letters on_letters, Text on_text) {
  std::size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '\'') {
      auto end = pattern.find('\'', i + 1);
      if (end == i + 1) {
        on_text("'");
        i += 2;
        continue;
      }
      if (end == std::string_view::npos)
        throw std::invalid_argument("a quote in the pattern is not closed");
      on_text(pattern.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      std::size_t n = 1;
      while (i + n < pattern.size() && pattern[i + n] == c)
        ++n;
      on_letters(c, n);
      i += n;
    } else {
      on_text(pattern.substr(i, 1));
      ++i;
    }
  }
}

std::string padded(std::int64_t v, std::size_t width) {
  auto s = std::to_string(v);
  return s.size() < width ? std::string(width - s.size(), '0') + s : s;
}

[[noreturn]] void unknown_letter(char c) {
  throw std::invalid_argument(std::string{"the pattern letter '"} + c +
                              "' is not supported (supported: y M d H h m s S a E, and text "
                              "in single quotes)");
}

} // namespace

std::string format_with_pattern(std::int64_t ms, std::string_view pattern) {
  static constexpr std::array<const char*, 7> weekdays = {"Thu", "Fri", "Sat", "Sun",
                                                          "Mon", "Tue", "Wed"};
  auto t = civil_from_ms(ms);
  std::string out;
  walk_pattern(
    pattern,
    [&](char c, std::size_t n) {
      switch (c) {
        case 'y':
          out += n == 2 ? padded(t.year % 100, 2) : padded(t.year, n);
          break;
        case 'M':
          out += padded(t.month, n);
          break;
        case 'd':
          out += padded(t.day, n);
          break;
        case 'H':
          out += padded(t.hour, n);
          break;
        case 'h':
          out += padded(t.hour % 12 == 0 ? 12 : t.hour % 12, n);
          break;
        case 'm':
          out += padded(t.minute, n);
          break;
        case 's':
          out += padded(t.second, n);
          break;
        case 'S':
          out += three(t.millisecond).substr(0, std::min<std::size_t>(n, 3)) +
                 std::string(n > 3 ? n - 3 : 0, '0');
          break;
        case 'a':
          out += t.hour < 12 ? "AM" : "PM";
          break;
        case 'E':
          out += weekdays[static_cast<std::size_t>(((floor_div(ms, ms_per_day) % 7) + 7) % 7)];
          break;
        default:
          unknown_letter(c);
      }
    },
    [&](std::string_view text) { out += text; });
  return out;
}

std::optional<std::int64_t> parse_with_pattern(std::string_view text, std::string_view pattern) {
  std::int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, milli = 0;
  std::size_t pos = 0;
  bool ok = true;
  walk_pattern(
    pattern,
    [&](char c, std::size_t n) {
      if (!ok)
        return;
      std::optional<int> v;
      if (c == 'S') {
        v = digits(text, pos, n);
        if (v)
          for (auto k = n; k < 3; ++k)
            *v *= 10;
        if (v)
          for (auto k = n; k > 3; --k)
            *v /= 10;
      } else {
        v = n >= 2 ? digits(text, pos, n) : some_digits(text, pos, 2);
      }
      if (!v) {
        ok = false;
        return;
      }
      switch (c) {
        case 'y':
          year = *v;
          break;
        case 'M':
          month = *v;
          break;
        case 'd':
          day = *v;
          break;
        case 'H':
          hour = *v;
          break;
        case 'm':
          minute = *v;
          break;
        case 's':
          second = *v;
          break;
        case 'S':
          milli = *v;
          break;
        default:
          unknown_letter(c);
      }
    },
    [&](std::string_view literal) {
      if (ok && text.substr(pos, literal.size()) == literal)
        pos += literal.size();
      else
        ok = false;
    });
  if (!ok || pos != text.size() || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  return days_from_civil(year, month, day) * ms_per_day +
         ((hour * 60 + minute) * 60 + second) * 1000LL + milli;
}

} // namespace flinkcpp::sql

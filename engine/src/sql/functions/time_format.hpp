#pragma once

// Dates and times as SQL reads and writes them: DATE as days since
// 1970-01-01, TIME as milliseconds of the day, TIMESTAMP as milliseconds
// since the epoch read as UTC wall-clock time (flink-cpp's session time
// zone is UTC). Proleptic Gregorian calendar, as Java's java.time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flinkcpp::sql {

inline constexpr std::int64_t ms_per_day = 86'400'000;

/// Days since 1970-01-01 of a calendar date (month 1..12, day 1..31).
std::int64_t days_from_civil(std::int64_t year, int month, int day);

struct civil_time {
  std::int64_t year;
  int month, day, hour, minute, second, millisecond;
};

/// The calendar date and wall-clock time of `ms` since the epoch.
civil_time civil_from_ms(std::int64_t ms);

/// "2020-04-15" from days since the epoch.
std::string format_date(std::int64_t days);

/// "08:05:01", with ".500" when `precision` > 0 (that many digits).
std::string format_time(std::int64_t ms_of_day, int precision);

/// How a timestamp is written: `sql` "2020-04-15 08:05:00.5" (Flink's
/// SQL_TIMESTAMP_FORMAT, the CSV and JSON formats': the fraction only when
/// not zero, shortest); `iso` "2020-04-15T08:05" (Java's
/// LocalDateTime.toString, as the print connector writes rows: seconds only
/// when not zero, milliseconds when not zero); `fixed` "2020-04-15
/// 08:05:00.000" (exactly `precision` fraction digits, as the SQL client's
/// tables).
enum class timestamp_style { sql, iso, fixed };

std::string format_timestamp(std::int64_t ms, timestamp_style style, int precision);

/// Reads "yyyy-MM-dd[ HH:mm[:ss[.fraction]]]" (or with 'T' between date and
/// time) into milliseconds since the epoch; nullopt when the text is no
/// such timestamp.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

/// Reads "yyyy-MM-dd" into days since the epoch.
std::optional<std::int64_t> parse_date(std::string_view text);

/// Reads "HH:mm[:ss[.fraction]]" into milliseconds of the day.
std::optional<std::int64_t> parse_time(std::string_view text);

/// Formats `ms` with a Java DateTimeFormatter / SimpleDateFormat pattern
/// (DATE_FORMAT): yyyy, yy, MM, M, dd, d, HH, H, hh, mm, ss, SSS, a, E, and
/// text in single quotes. Throws std::invalid_argument naming a pattern
/// letter it does not know.
std::string format_with_pattern(std::int64_t ms, std::string_view pattern);

/// Reads `text` laid out as `pattern` (TO_TIMESTAMP, UNIX_TIMESTAMP);
/// nullopt when it does not match (Flink gives NULL then).
std::optional<std::int64_t> parse_with_pattern(std::string_view text, std::string_view pattern);

} // namespace flinkcpp::sql

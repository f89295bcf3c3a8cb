#pragma once

// Values as text: how each connector and the client write them, and how
// text (a CSV field, a CAST from STRING, a literal) becomes a value.

#include <optional>
#include <string>
#include <string_view>

#include "sql/catalog/data_type.hpp"
#include "sql/functions/value.hpp"

namespace flinkcpp::sql {

/// `print`: as Flink's print connector writes a row's fields (Java's
/// toString: NULL "null", TIMESTAMP "2020-04-15T08:05", DOUBLE "1.0E7",
/// BOOLEAN "true"); `csv`: as Flink's csv format (NULL empty, TIMESTAMP
/// "2020-04-15 08:05:00.5", quoted when a comma, quote or line break is in
/// the text); `json`: a JSON value; `table`: as the SQL client's tables
/// (NULL "<NULL>", BOOLEAN "TRUE", TIMESTAMP with all its fraction digits).
enum class value_style { print, csv, json, table };

std::string format_value(const value& v, const data_type& type, value_style style);

/// Java's Double.toString: "1.0", "0.001", "1.0E7", "1.234E-5", "NaN",
/// "Infinity".
std::string java_double_string(double d);

/// DECIMAL's unscaled value written with `scale` digits after the point.
std::string format_decimal(std::int64_t unscaled, int scale);

/// The value `text` holds as `type` (surrounding spaces ignored for
/// numbers, dates and times); nullopt when it holds none. TIMESTAMP reads
/// "yyyy-MM-dd HH:mm:ss[.fraction]" (or with 'T'); BOOLEAN "true"/"false"
/// in any case; DECIMAL rounds half up to the type's scale.
std::optional<value> parse_value(std::string_view text, const data_type& type);

} // namespace flinkcpp::sql

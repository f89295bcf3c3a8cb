#pragma once

// Flink SQL's logical data types, as far as flink-cpp runs them, and how
// each is held at run time (sql/functions/value.hpp): BOOLEAN, the integers
// and DECIMAL's unscaled value, DATE (days since 1970-01-01), TIME
// (milliseconds of the day), TIMESTAMP and TIMESTAMP_LTZ (milliseconds since
// the epoch; precision up to 3) and intervals (milliseconds, or months) are
// 64-bit integers; FLOAT and DOUBLE doubles; CHAR, VARCHAR/STRING and BYTES
// text. A DECIMAL may declare up to 38 digits, as in Flink, but holds 18
// (its unscaled value a 64-bit integer): a value with more is out of range.

#include <cstdint>
#include <string>
#include <vector>

#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

enum class type_root {
  null, ///< the type of an untyped NULL literal
  boolean,
  tinyint,
  smallint,
  integer,
  bigint,
  decimal,
  float_,
  double_,
  char_,
  varchar,
  bytes,
  date,
  time,
  timestamp,
  timestamp_ltz,
  interval_day_time,   ///< INTERVAL ... SECOND/MINUTE/HOUR/DAY: milliseconds
  interval_year_month, ///< INTERVAL ... MONTH/YEAR: months
};

/// STRING is VARCHAR of this length, as in Flink.
inline constexpr std::int64_t max_varchar_length = 2147483647;

struct data_type {
  type_root root = type_root::null;
  int precision = 0;       ///< DECIMAL's precision; TIMESTAMP's and TIME's fractional digits
  int scale = 0;           ///< DECIMAL's scale
  std::int64_t length = 0; ///< CHAR's and VARCHAR's length
  bool nullable = true;
  /// A rowtime attribute (the column a WATERMARK is declared for, or a
  /// window's window_time): shown as TIMESTAMP(3) *ROWTIME*.
  bool rowtime = false;

  friend bool operator==(const data_type&, const data_type&) = default;
};

data_type make_type(type_root root);
data_type make_decimal(int precision, int scale);
data_type make_varchar(std::int64_t length = max_varchar_length);
data_type make_timestamp(int precision = 3);

/// The type a DDL or CAST names; throws sql_error at the type for types
/// flink-cpp does not run (ARRAY, MAP; ROW, which only a table's physical
/// columns may have, catalog::create_table flattening it) naming what is
/// supported. TIMESTAMP(9) and the like run with milliseconds.
data_type resolve_type(const type_syntax& syntax);

/// As Flink writes it: INT, BIGINT NOT NULL, STRING, VARCHAR(10),
/// DECIMAL(10, 2), TIMESTAMP(3), TIMESTAMP_LTZ(3), TIMESTAMP(3) *ROWTIME*.
std::string to_string(const data_type& type);

bool is_integer(type_root root);   ///< TINYINT ... BIGINT
bool is_numeric(type_root root);   ///< the integers, DECIMAL, FLOAT, DOUBLE
bool is_text(type_root root);      ///< CHAR, VARCHAR
bool is_timestamp(type_root root); ///< TIMESTAMP, TIMESTAMP_LTZ
bool is_interval(type_root root);

/// The type both operands of an arithmetic or comparison widen to (the
/// wider integer; DECIMAL with enough digits for both; DOUBLE when either
/// is floating). Both must be numeric.
data_type common_numeric_type(const data_type& a, const data_type& b);

/// Whether values of `from` can be compared with, or assigned to, `to`
/// without an explicit CAST (numbers with numbers, text with text, ...).
bool compatible(const data_type& from, const data_type& to);

} // namespace flinkcpp::sql

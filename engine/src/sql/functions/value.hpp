#pragma once

// What a SQL job's records are: rows of values, each row with its change
// kind (Flink's RowKind: +I, -U, +U, -D). A value is NULL, a 64-bit integer
// (BOOLEAN, the integers, DECIMAL's unscaled value, DATE, TIME, TIMESTAMP,
// intervals: see data_type.hpp), a double or a text; its SQL type is known
// to the plan, not stored. Rows cross processes and live in state in a
// compact binary form (a tag byte, then a zigzag varint, 8 bytes or a
// length-prefixed text).

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"

namespace flinkcpp::sql {

struct value {
  enum class tag : std::uint8_t { null, integer, floating, text };

  tag what = tag::null;
  std::int64_t integer = 0;
  double floating = 0;
  std::string text;

  static value of(std::int64_t i) {
    value v;
    v.what = tag::integer;
    v.integer = i;
    return v;
  }
  static value of_bool(bool b) { return of(b ? 1 : 0); }
  static value of_double(double d) {
    value v;
    v.what = tag::floating;
    v.floating = d;
    return v;
  }
  static value of_text(std::string s) {
    value v;
    v.what = tag::text;
    v.text = std::move(s);
    return v;
  }

  bool is_null() const { return what == tag::null; }

  friend bool operator==(const value&, const value&) = default;
};

/// Flink's RowKind, with its byte values.
enum class row_kind : std::uint8_t { insert = 0, update_before = 1, update_after = 2, remove = 3 };

/// "+I", "-U", "+U", "-D".
const char* short_string(row_kind kind);

/// Whether a row of this kind adds to a result (+I, +U) or retracts (-U, -D).
inline bool is_accumulate(row_kind kind) {
  return kind == row_kind::insert || kind == row_kind::update_after;
}

struct row {
  row_kind kind = row_kind::insert;
  std::vector<value> fields;

  friend bool operator==(const row&, const row&) = default;
};

// The binary form (record_serialization.hpp's writer and reader pick these
// overloads); every other inspector sees the plain fields.

inline void inspect(detail::binary_writer& w, value& v) {
  w.write(static_cast<std::uint8_t>(v.what));
  switch (v.what) {
    case value::tag::null:
      break;
    case value::tag::integer:
      w.write_varint((static_cast<std::uint64_t>(v.integer) << 1) ^
                     static_cast<std::uint64_t>(v.integer >> 63));
      break;
    case value::tag::floating:
      w.write(v.floating);
      break;
    case value::tag::text:
      w.write(v.text);
      break;
  }
}

inline void inspect(detail::binary_reader& r, value& v) {
  std::uint8_t what = 0;
  r.read(what);
  v.what = static_cast<value::tag>(what);
  switch (v.what) {
    case value::tag::null:
      break;
    case value::tag::integer: {
      auto zigzag = r.read_varint();
      v.integer = static_cast<std::int64_t>(zigzag >> 1) ^ -static_cast<std::int64_t>(zigzag & 1);
      break;
    }
    case value::tag::floating:
      r.read(v.floating);
      break;
    case value::tag::text:
      r.read(v.text);
      break;
    default:
      throw detail::serialization_error("corrupt SQL value: unknown tag");
  }
}

template <class Inspector>
auto inspect(Inspector& f, value& v) {
  return f(v.what, v.integer, v.floating, v.text);
}

template <class Inspector>
auto inspect(Inspector& f, row& r) {
  return f(r.kind, r.fields);
}

} // namespace flinkcpp::sql

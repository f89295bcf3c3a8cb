#pragma once

// Formats turn records into bytes and back (Flink's SerializationSchema and
// DeserializationSchema): raw_format (a string as it is), json_format and
// csv_format (a record struct through its inspect function). The Kafka
// source and sink and the file source and sink take any of them. A format
// is a small copyable value with
//
//   using record_type = T;
//   void serialize(const T& record, std::string& out) const; // appends
//   T deserialize(std::string_view bytes) const; // throws format_error
//
// Both are thread-safe (const, no shared mutable state).

#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Bytes a format cannot read as a record: what was wrong and where (a
/// field's path or a column), and what was expected.
class format_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

template <class F, class = void>
struct is_format : std::false_type {};

template <class F>
struct is_format<
  F, std::void_t<typename F::record_type,
                 decltype(std::declval<const F&>().serialize(
                   std::declval<const typename F::record_type&>(), std::declval<std::string&>())),
                 decltype(std::declval<const F&>().deserialize(std::string_view{}))>>
  : std::true_type {};

/// Whether F is a format (has record_type, serialize and deserialize).
template <class F>
inline constexpr bool is_format_v = is_format<F>::value;

/// The bytes of `record` in `format`.
template <class F>
std::string serialize_to_string(const F& format, const typename F::record_type& record) {
  std::string out;
  format.serialize(record, out);
  return out;
}

} // namespace flinkcpp

FLINKCPP_API_END

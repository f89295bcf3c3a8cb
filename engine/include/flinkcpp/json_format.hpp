#pragma once

#include <string>
#include <string_view>

#include "flinkcpp/detail/json_codec.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Flink's json format (JsonSerializationSchema / JsonDeserializationSchema)
/// for a record type T with an inspect function: one JSON value per record,
/// on one line. A struct whose inspect names its fields
/// (flinkcpp/field.hpp) is an object with those keys in field order, one
/// without names an array; strings, numbers and booleans are themselves,
/// optionals their value or null, sequences arrays, maps with string keys
/// objects.
///
/// Reading ignores keys the struct does not have; a missing key leaves an
/// optional field empty and is an error for any other field. Errors throw
/// format_error naming the field ("items[2].price") and what it expected;
/// so does writing a string that is not UTF-8.
template <class T>
class json_format {
public:
  using record_type = T;

  void serialize(const T& record, std::string& out) const {
    try {
      out.append(detail::to_json(record).dump());
    } catch (const nlohmann::json::type_error& e) {
      throw format_error(std::string{"cannot write the record as JSON: "} + e.what());
    }
  }

  T deserialize(std::string_view bytes) const {
    detail::json_value parsed;
    try {
      parsed = detail::json_value::parse(bytes);
    } catch (const nlohmann::json::exception& e) { // a parse error, or a number overflowing
      throw format_error(std::string{"not JSON: "} + e.what());
    }
    T record{};
    detail::from_json(parsed, record, detail::json_path{});
    return record;
  }
};

} // namespace flinkcpp

FLINKCPP_API_END

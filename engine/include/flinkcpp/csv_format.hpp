#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/detail/csv_codec.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Flink's csv format for a record type T with an inspect function: one
/// line per record, its columns the record's fields in inspect order
/// (nested structs, pairs and tuples flattened). A column is a number, a
/// bool (true/false), a string, an optional of one (empty: the null
/// literal) or a sequence of them (one column, elements joined by the array
/// element delimiter, which elements must not contain). Fields holding the
/// delimiter, the quote character or a line break are quoted as RFC 4180
/// says; the line-based file source reads no line breaks inside quotes.
///
/// Reading wants exactly T's columns; spaces around numbers and booleans
/// are allowed. Errors throw format_error naming the column (by number, and
/// by name where inspect names it, flinkcpp/field.hpp) and what it
/// expected. A copyable value; the setters are for before use.
template <class T>
class csv_format {
public:
  using record_type = T;

  csv_format() : columns_(detail::csv_column_names<T>()) {}

  /// csv.field-delimiter (default ',').
  csv_format& set_field_delimiter(char c) {
    options_.field_delimiter = c;
    return *this;
  }
  /// csv.quote-character (default '"').
  csv_format& set_quote_character(char c) {
    options_.quote_character = c;
    return *this;
  }
  /// csv.array-element-delimiter (default ";").
  csv_format& set_array_element_delimiter(std::string s) {
    options_.array_element_delimiter = std::move(s);
    return *this;
  }
  /// csv.null-literal (default ""): what an empty optional is written as,
  /// and what, unquoted, reads as one.
  csv_format& set_null_literal(std::string s) {
    options_.null_literal = std::move(s);
    return *this;
  }

  /// The columns' names ("" where inspect names none), in order.
  const std::vector<std::string>& columns() const noexcept { return columns_; }

  void serialize(const T& record, std::string& out) const {
    detail::csv_writer writer{options_, out};
    detail::for_each_csv_column(const_cast<T&>(record), nullptr, writer);
  }

  T deserialize(std::string_view bytes) const {
    auto fields = detail::split_csv_line(bytes, options_);
    if (fields.size() != columns_.size())
      throw format_error("expected " + std::to_string(columns_.size()) + " columns" +
                         named_columns() + ", got " + std::to_string(fields.size()));
    T record{};
    detail::csv_reader reader{options_, fields};
    detail::for_each_csv_column(record, nullptr, reader);
    return record;
  }

private:
  std::string named_columns() const {
    std::string out;
    for (const auto& name : columns_) {
      if (name.empty())
        return {};
      out += out.empty() ? " (" : ",";
      out += name;
    }
    return out.empty() ? out : out + ")";
  }

  detail::csv_options options_;
  std::vector<std::string> columns_;
};

} // namespace flinkcpp

FLINKCPP_API_END

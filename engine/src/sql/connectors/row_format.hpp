#pragma once

// The formats of table connectors (Flink's 'format' option: csv, json,
// raw): a decoder making a row of columns from one record's text; writing
// rows is row_text's (planner/row_functions.hpp).

#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/detail/csv_codec.hpp"
#include "sql/catalog/data_type.hpp"
#include "sql/connectors/connector_options.hpp"
#include "sql/functions/value.hpp"

namespace flinkcpp::sql {

class row_decoder {
public:
  enum class kind { csv, json, raw };

  /// The decoder of `format` for `names`/`types`, with the format's options
  /// read from `options` under `prefix` ("csv.field-delimiter", or
  /// "key.csv.field-delimiter" with prefix "key."). Throws sql_error for a
  /// bad option, or a raw format over anything but one text column.
  row_decoder(kind format, std::vector<std::string> names, std::vector<data_type> types,
              const connector_options& options, const std::string& prefix = {});

  /// The columns `text` holds, in order. Throws std::runtime_error saying
  /// what does not fit (a field count, a value of the wrong type, bad JSON).
  std::vector<value> decode(std::string_view text) const;

  /// Whether a record that does not decode is skipped rather than failing
  /// the job ('csv.ignore-parse-errors', 'json.ignore-parse-errors').
  bool ignores_parse_errors() const { return ignore_parse_errors_; }

  /// Whether lines starting with '#' are comments ('csv.allow-comments').
  bool allows_comments() const { return allow_comments_; }

  char field_delimiter() const { return csv_.field_delimiter; }

private:
  value field(std::string_view text, std::size_t i) const;

  kind format_;
  std::vector<std::string> names_;
  std::vector<data_type> types_;
  detail::csv_options csv_;
  bool ignore_parse_errors_ = false;
  bool allow_comments_ = false;
  bool fail_on_missing_field_ = false;
};

/// The format `key` of `options` names (csv, json or raw); `required`: it
/// must be given.
row_decoder::kind format_option(const connector_options& options, const std::string& key);

} // namespace flinkcpp::sql

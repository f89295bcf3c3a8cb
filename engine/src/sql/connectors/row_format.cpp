#include "sql/connectors/row_format.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sql/functions/value_text.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

row_decoder::kind format_option(const connector_options& options, const std::string& key) {
  auto name = options.required_choice(key, {"csv", "json", "raw"});
  return name == "csv"    ? row_decoder::kind::csv
         : name == "json" ? row_decoder::kind::json
                          : row_decoder::kind::raw;
}

row_decoder::row_decoder(kind format, std::vector<std::string> names, std::vector<data_type> types,
                         const connector_options& options, const std::string& prefix)
  : format_(format),
    names_(std::move(names)),
    types_(std::move(types)) {
  csv_.field_delimiter = options.character(prefix + "csv.field-delimiter", ',');
  csv_.quote_character = options.character(prefix + "csv.quote-character", '"');
  csv_.null_literal = options.text(prefix + "csv.null-literal", "");
  allow_comments_ = options.boolean(prefix + "csv.allow-comments", false);
  fail_on_missing_field_ = options.boolean(prefix + "json.fail-on-missing-field", false);
  ignore_parse_errors_ = options.boolean(
    prefix + (format == kind::json ? "json.ignore-parse-errors" : "csv.ignore-parse-errors"),
    false);
  if (format == kind::raw &&
      (types_.size() != 1 || (!is_text(types_[0].root) && types_[0].root != type_root::bytes)))
    throw sql_error(options.at(), "table '" + options.table().name +
                                    "': the raw format reads and writes one STRING or BYTES "
                                    "column");
}

value row_decoder::field(std::string_view text, std::size_t i) const {
  auto v = parse_value(text, types_[i]);
  if (!v)
    throw std::runtime_error("the column '" + names_[i] + "' expects " + to_string(types_[i]) +
                             ", got '" + std::string{text} + "'");
  return *v;
}

std::vector<value> row_decoder::decode(std::string_view text) const {
  std::vector<value> out;
  out.reserve(types_.size());
  switch (format_) {
    case kind::raw:
      out.push_back(value::of_text(std::string{text}));
      break;
    case kind::csv: {
      auto fields = detail::split_csv_line(text, csv_);
      if (fields.size() != types_.size())
        throw std::runtime_error("expected " + std::to_string(types_.size()) + " fields, got " +
                                 std::to_string(fields.size()));
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& f = fields[i];
        bool null = (!f.quoted && !csv_.null_literal.empty() && f.text == csv_.null_literal) ||
                    (f.quoted && !is_text(types_[i].root) && f.text.empty());
        out.push_back(null ? value{} : field(f.text, i));
      }
      break;
    }
    case kind::json: {
      auto doc = nlohmann::json::parse(text);
      if (!doc.is_object())
        throw std::runtime_error("expected a JSON object");
      for (std::size_t i = 0; i < names_.size(); ++i) {
        auto it = doc.find(names_[i]);
        if (it == doc.end() || it->is_null()) {
          if (it == doc.end() && fail_on_missing_field_)
            throw std::runtime_error("the field '" + names_[i] + "' is missing");
          out.emplace_back();
        } else if (it->is_string()) {
          out.push_back(field(it->get<std::string>(), i));
        } else if (it->is_boolean() && types_[i].root == type_root::boolean) {
          out.push_back(value::of_bool(it->get<bool>()));
        } else {
          out.push_back(field(it->dump(), i));
        }
      }
      break;
    }
  }
  return out;
}

} // namespace flinkcpp::sql

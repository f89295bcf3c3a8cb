#include "sql/connectors/connector_options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "sql/connectors/table_source_factory.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Whether `key` is `pattern` with a physical column's name for '#'.
bool matches(const std::string& pattern, const std::string& key, const table_definition& table) {
  if (!pattern.empty() && pattern.back() == '*')
    return key.size() > pattern.size() - 1 &&
           key.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0;
  auto hash = pattern.find('#');
  if (hash == std::string::npos)
    return pattern == key;
  auto prefix = pattern.substr(0, hash);
  auto suffix = pattern.substr(hash + 1);
  if (key.size() <= prefix.size() + suffix.size() || key.rfind(prefix, 0) != 0 ||
      key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  auto column = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
  auto index = table.column_index(column);
  return index && table.columns[*index].what == table_column::kind::physical;
}

} // namespace

connector_options::connector_options(const table_definition& table, std::vector<std::string> known,
                                     position at)
  : table_(&table),
    known_(std::move(known)),
    at_(at) {
  known_.emplace_back("connector");
}

void connector_options::check_all_known() const {
  for (const auto& option : table_->options) {
    const auto& key = option.first;
    bool ok = std::any_of(known_.begin(), known_.end(),
                          [&](const std::string& p) { return matches(p, key, *table_); });
    if (ok)
      continue;
    std::string list;
    for (const auto& k : known_)
      list += (list.empty() ? "" : ", ") + k;
    throw sql_error(at_, "unsupported option '" + key + "' for the connector '" +
                           table_->option("connector").value_or("") + "' of table '" +
                           table_->name + "' (supported: " + list +
                           "; '#' stands for a physical column's name, '*' for any text)");
  }
}

void connector_options::fail(const std::string& key, const std::string& message) const {
  throw sql_error(at_, "table '" + table_->name + "', option '" + key + "': " + message);
}

std::optional<std::string> connector_options::text(const std::string& key) const {
  return table_->option(key);
}

std::string connector_options::text(const std::string& key, const std::string& fallback) const {
  return table_->option(key).value_or(fallback);
}

std::string connector_options::required(const std::string& key) const {
  auto v = table_->option(key);
  if (!v)
    throw sql_error(at_, "table '" + table_->name + "' lacks the option '" + key +
                           "', which the connector '" + table_->option("connector").value_or("") +
                           "' requires");
  return *v;
}

std::optional<std::int64_t> connector_options::integer(const std::string& key) const {
  auto v = table_->option(key);
  if (!v)
    return std::nullopt;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || end != v->data() + v->size())
    fail(key, "expected an integer, got '" + *v + "'");
  return out;
}

std::optional<double> connector_options::number(const std::string& key) const {
  auto v = table_->option(key);
  if (!v)
    return std::nullopt;
  char* end = nullptr;
  double out = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size())
    fail(key, "expected a number, got '" + *v + "'");
  return out;
}

bool connector_options::boolean(const std::string& key, bool fallback) const {
  auto v = table_->option(key);
  if (!v)
    return fallback;
  auto l = lower(*v);
  if (l != "true" && l != "false")
    fail(key, "expected true or false, got '" + *v + "'");
  return l == "true";
}

std::string connector_options::choice(const std::string& key,
                                      const std::vector<std::string>& choices,
                                      const std::string& fallback) const {
  auto v = table_->option(key);
  if (!v)
    return fallback;
  auto l = lower(*v);
  if (std::find(choices.begin(), choices.end(), l) != choices.end())
    return l;
  std::string list;
  for (const auto& c : choices)
    list += (list.empty() ? "'" : ", '") + c + "'";
  fail(key, "expected one of " + list + ", got '" + *v + "'");
}

std::string connector_options::required_choice(const std::string& key,
                                               const std::vector<std::string>& choices) const {
  required(key);
  return choice(key, choices, {});
}

char connector_options::character(const std::string& key, char fallback) const {
  auto v = table_->option(key);
  if (!v)
    return fallback;
  if (v->size() != 1)
    fail(key, "expected one character, got '" + *v + "'");
  return (*v)[0];
}

std::string known_connectors() {
  std::string out = "(flink-cpp's SQL has datagen, filesystem, kafka, upsert-kafka, print and "
                    "blackhole";
  for (const auto& name : registered_table_sources())
    out += ", and " + name + " as a source";
  return out + ")";
}

std::vector<std::string> filesystem_option_keys() {
  return {"path",
          "format",
          "csv.field-delimiter",
          "csv.quote-character",
          "csv.null-literal",
          "csv.ignore-parse-errors",
          "csv.allow-comments",
          "json.ignore-parse-errors",
          "json.fail-on-missing-field",
          "sink.parallelism"};
}

std::optional<std::int64_t> connector_options::duration_ms(const std::string& key) const {
  auto v = table_->option(key);
  if (!v)
    return std::nullopt;
  std::size_t i = 0;
  while (i < v->size() && std::isdigit(static_cast<unsigned char>((*v)[i])))
    ++i;
  auto unit = lower(v->substr(i));
  unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
  std::int64_t factor = 0;
  if (unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" ||
      unit == "millisecond" || unit == "milliseconds")
    factor = 1;
  else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds")
    factor = 1000;
  else if (unit == "min" || unit == "m" || unit == "minute" || unit == "minutes")
    factor = 60'000;
  else if (unit == "h" || unit == "hour" || unit == "hours")
    factor = 3'600'000;
  else if (unit == "d" || unit == "day" || unit == "days")
    factor = 86'400'000;
  if (i == 0 || factor == 0)
    fail(key, "expected a duration such as '10 s', '500 ms' or '1 min', got '" + *v + "'");
  return std::stoll(v->substr(0, i)) * factor;
}

} // namespace flinkcpp::sql

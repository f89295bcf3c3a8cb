#include "sql/functions/scalar.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "sql/functions/scalar_support.hpp"
#include "sql/functions/time_format.hpp"
#include "sql/functions/user_functions.hpp"
#include "sql/functions/value_text.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

std::string upper_case(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return s;
}

namespace {

std::string qualified(const std::vector<std::string>& name) {
  std::string out;
  for (const auto& part : name)
    out += (out.empty() ? "" : ".") + part;
  return out;
}

} // namespace

namespace {

/// The columns `name` names: `column`, or `qualifier.column` (the column
/// perhaps a ROW's field, "row.field"); failing those, a ROW's field by its
/// column's name, `row.field`.
std::vector<std::size_t> named(const std::vector<column_info>& columns,
                               const std::vector<std::string>& name) {
  std::vector<std::size_t> found;
  auto rest = name.size() >= 2
                ? qualified(std::vector<std::string>(std::next(name.begin()), name.end()))
                : std::string{};
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& c = columns[i];
    if ((name.size() == 1 && c.name == name[0]) ||
        (name.size() >= 2 && c.qualifier == name[0] && c.name == rest))
      found.push_back(i);
  }
  if (found.empty() && name.size() >= 2) {
    auto whole = qualified(name);
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i].name == whole)
        found.push_back(i);
  }
  return found;
}

} // namespace

bool scope::has(const std::vector<std::string>& name) const {
  return named(columns, name).size() == 1;
}

std::size_t scope::resolve(const std::vector<std::string>& name, position at) const {
  auto found = named(columns, name);
  if (found.size() > 1)
    throw sql_error(at, "column '" + qualified(name) +
                          "' is ambiguous: qualify it with its "
                          "table's name or alias");
  if (found.size() == 1)
    return found.front();
  std::string known;
  for (const auto& c : columns)
    known +=
      (known.empty() ? "" : ", ") + (c.qualifier.empty() ? c.name : c.qualifier + "." + c.name);
  throw sql_error(at, "column '" + qualified(name) +
                        "' not found; the columns here are: " + (known.empty() ? "none" : known));
}

namespace {

class field_scalar final : public scalar {
public:
  field_scalar(std::size_t index, data_type type) : scalar(type), index_(index) {}
  value eval(const row& input) const override { return input.fields[index_]; }
  std::optional<std::size_t> field_index() const override { return index_; }

private:
  std::size_t index_;
};

} // namespace

scalar_ptr field_reference(std::size_t index, data_type type) {
  return std::make_shared<field_scalar>(index, type);
}

scalar_ptr constant(value v, data_type type) {
  return make_scalar(type, [v = std::move(v)](const row&) { return v; });
}

bool is_aggregate_function(const std::string& name, const function_table* functions) {
  static const std::set<std::string> names = {
    "COUNT",       "SUM",        "MIN",        "MAX",         "AVG",     "SUM0",    "LISTAGG",
    "FIRST_VALUE", "LAST_VALUE", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP"};
  return names.count(name) > 0 || (functions && functions->find_aggregate(name));
}

bool contains_aggregate(const expr& e, const function_table* functions) {
  if (e.what == expr::kind::call && !e.over && is_aggregate_function(e.name[0], functions))
    return true;
  return std::any_of(e.args.begin(), e.args.end(), [functions](const expr_ptr& a) {
    return a && contains_aggregate(*a, functions);
  });
}

std::pair<value, data_type> interval_value(const expr& e) {
  static const std::map<std::string, std::int64_t> day_time = {
    {"SECOND", 1000}, {"MINUTE", 60'000}, {"HOUR", 3'600'000}, {"DAY", ms_per_day}};
  static const std::map<std::string, std::int64_t> year_month = {{"MONTH", 1}, {"YEAR", 12}};
  const auto& unit = e.name.at(0);
  auto text = e.text;
  bool negative = !text.empty() && text.front() == '-';
  if (negative)
    text.erase(0, 1);
  if (unit.find(" TO ") != std::string::npos)
    throw sql_error(e.at, "INTERVAL '...' " + unit +
                            " is not supported yet: write the interval in one unit "
                            "(e.g. INTERVAL '90' SECOND)");
  auto count = parse_value(text, make_decimal(18, 3));
  if (!count || count->is_null())
    throw sql_error(e.at, "the interval's count '" + e.text + "' is not a number");
  auto scaled = count->integer; // thousandths of a unit
  if (auto it = day_time.find(unit); it != day_time.end())
    return {value::of((negative ? -scaled : scaled) * it->second / 1000),
            make_type(type_root::interval_day_time)};
  if (auto it = year_month.find(unit); it != year_month.end())
    return {value::of((negative ? -scaled : scaled) * it->second / 1000),
            make_type(type_root::interval_year_month)};
  throw sql_error(e.at, "unknown interval unit " + unit +
                          ": expected SECOND, MINUTE, HOUR, DAY, MONTH or YEAR");
}

scalar_ptr compile_scalar(const expr& e, const scope& columns) {
  switch (e.what) {
    case expr::kind::null_literal:
      return constant(value{}, make_type(type_root::null));
    case expr::kind::boolean_literal: {
      auto t = make_type(type_root::boolean);
      t.nullable = false;
      return constant(value::of_bool(e.text == "TRUE"), t);
    }
    case expr::kind::number_literal:
      return number_literal(e);
    case expr::kind::string_literal: {
      auto t = make_type(type_root::char_);
      t.length = std::max<std::int64_t>(1, static_cast<std::int64_t>(e.text.size()));
      t.nullable = false;
      return constant(value::of_text(e.text), t);
    }
    case expr::kind::typed_literal: {
      auto t = e.type.kind == "DATE"   ? make_type(type_root::date)
               : e.type.kind == "TIME" ? make_type(type_root::time)
                                       : make_timestamp(3);
      auto v = parse_value(e.text, t);
      if (!v || v->is_null())
        throw sql_error(e.at, "'" + e.text + "' is no " + e.type.kind + " literal: expected " +
                                (e.type.kind == "DATE"   ? "'yyyy-MM-dd'"
                                 : e.type.kind == "TIME" ? "'HH:mm:ss'"
                                                         : "'yyyy-MM-dd HH:mm:ss[.SSS]'"));
      t.nullable = false;
      return constant(*v, t);
    }
    case expr::kind::interval_literal: {
      auto [v, t] = interval_value(e);
      return constant(v, t);
    }
    case expr::kind::column: {
      if (!columns.has(e.name) && e.name.size() == 1) {
        auto niladic = upper_case(e.name[0]);
        if (is_niladic_function(niladic))
          return compile_function(niladic, {}, e, columns);
      }
      auto index = columns.resolve(e.name, e.at);
      return field_reference(index, columns.columns[index].type);
    }
    case expr::kind::call: {
      const auto& name = e.name[0];
      if (is_aggregate_function(name, columns.functions) && !e.over)
        throw sql_error(e.at, "the aggregate function " + name +
                                " is allowed only in the SELECT list or HAVING clause of a "
                                "grouped query");
      if (e.over)
        throw sql_error(e.at, "OVER windows are supported only as ROW_NUMBER() OVER (PARTITION "
                              "BY ... ORDER BY ...) in a Top-N or deduplication query");
      if (e.distinct || e.filter)
        throw sql_error(e.at, std::string{e.distinct ? "DISTINCT" : "FILTER"} +
                                " applies to "
                                "aggregate functions only, not to " +
                                name);
      return compile_function(name, e.args, e, columns);
    }
    case expr::kind::cast: {
      auto inner = compile_scalar(*e.args.at(0), columns);
      auto to = resolve_type(e.type);
      return compile_cast(inner, to, e.distinct, e.at);
    }
    case expr::kind::case_when:
      return compile_case(e, columns);
    case expr::kind::star:
      throw sql_error(e.at, "'*' is allowed only in a SELECT list and in COUNT(*)");
    case expr::kind::subquery:
      throw sql_error(e.at, "subqueries in expressions are not supported yet");
    case expr::kind::table_argument:
    case expr::kind::descriptor:
      throw sql_error(e.at, "TABLE and DESCRIPTOR arguments belong to window table functions "
                            "(TUMBLE, HOP, CUMULATE, SESSION) in FROM");
    case expr::kind::named_argument:
      throw sql_error(e.at, "named arguments (=>) are allowed only in window table functions");
  }
  throw sql_error(e.at, "unsupported expression");
}

} // namespace flinkcpp::sql

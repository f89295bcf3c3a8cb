// Flink SQL's built-in scalar functions, by name.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "sql/functions/operators.hpp"
#include "sql/functions/scalar_support.hpp"
#include "sql/functions/sql_regex.hpp"
#include "sql/functions/time_format.hpp"
#include "sql/functions/user_functions.hpp"
#include "sql/functions/value_text.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

using args_t = std::vector<scalar_ptr>;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

data_type nullable_type(type_root root, bool nullable = true) {
  auto t = make_type(root);
  t.nullable = nullable;
  return t;
}

bool any_nullable(const args_t& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const scalar_ptr& a) { return a->type().nullable; });
}

std::string signature(const std::string& name, const args_t& args) {
  std::string out = name + "(";
  for (std::size_t i = 0; i < args.size(); ++i)
    out += (i ? ", " : "") + to_string(args[i]->type());
  return out + ")";
}

struct call_checker {
  const std::string& name;
  const args_t& args;
  position at;

  void count(std::size_t least, std::size_t most) const {
    if (args.size() < least || args.size() > most)
      throw sql_error(at,
                      "no match for " + signature(name, args) + ": " + name + " takes " +
                        (least == most ? std::to_string(least)
                                       : std::to_string(least) + " to " + std::to_string(most)) +
                        " argument" + (most == 1 ? "" : "s"));
  }

  void expect(std::size_t i, bool ok, const char* what) const {
    if (!ok)
      throw sql_error(at, "no match for " + signature(name, args) + ": argument " +
                            std::to_string(i + 1) + " must be " + what);
  }

  bool is(std::size_t i, bool (*test)(type_root)) const {
    auto root = args[i]->type().root;
    return root == type_root::null || test(root);
  }

  void text(std::size_t i) const { expect(i, is(i, is_text), "a string"); }
  void integer(std::size_t i) const { expect(i, is(i, is_integer), "an integer"); }
  void numeric(std::size_t i) const { expect(i, is(i, is_numeric), "a number"); }
  void time_point(std::size_t i) const {
    auto root = args[i]->type().root;
    expect(i, root == type_root::null || is_timestamp(root) || root == type_root::date,
           "a TIMESTAMP or DATE");
  }
};

/// A function of evaluated arguments: NULL when any argument is NULL.
template <class F>
scalar_ptr strict(data_type type, args_t args, F fn) {
  return make_scalar(type, [args = std::move(args), fn](const row& in) {
    std::vector<value> vs;
    vs.reserve(args.size());
    for (const auto& a : args) {
      vs.push_back(a->eval(in));
      if (vs.back().is_null())
        return value{};
    }
    return fn(vs);
  });
}

std::string to_upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string to_lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// A regular expression compiled once when its pattern is a constant.
std::shared_ptr<const sql_regex> constant_regex(const scalar_ptr& pattern, position at) {
  row none;
  value v;
  try {
    v = pattern->eval(none);
  } catch (const std::exception&) {
    return nullptr; // not a constant
  }
  if (v.what != value::tag::text)
    return nullptr;
  try {
    return std::make_shared<const sql_regex>(v.text);
  } catch (const std::invalid_argument& e) {
    throw sql_error(at, std::string{"invalid regular expression: "} + e.what());
  }
}

std::int64_t time_field(std::int64_t ms, const std::string& name) {
  auto t = civil_from_ms(ms);
  if (name == "YEAR")
    return t.year;
  if (name == "MONTH")
    return t.month;
  if (name == "DAYOFMONTH")
    return t.day;
  if (name == "HOUR")
    return t.hour;
  if (name == "MINUTE")
    return t.minute;
  return t.second;
}

scalar_ptr timestamp_now(const std::string& name) {
  auto type = name == "CURRENT_DATE"     ? make_type(type_root::date)
              : name == "LOCALTIMESTAMP" ? make_timestamp(3)
                                         : make_type(type_root::timestamp_ltz);
  if (type.root == type_root::timestamp_ltz)
    type.precision = 3;
  type.nullable = false;
  bool date = name == "CURRENT_DATE";
  return make_scalar(type, [date](const row&) {
    auto ms = now_ms();
    return value::of(date ? ms / ms_per_day : ms);
  });
}

scalar_ptr string_function(const std::string& name, args_t args, const call_checker& check);
scalar_ptr numeric_function(const std::string& name, args_t args, const call_checker& check);
scalar_ptr time_function(const std::string& name, args_t args, const call_checker& check);

} // namespace

bool is_niladic_function(const std::string& name) {
  return name == "CURRENT_TIMESTAMP" || name == "LOCALTIMESTAMP" || name == "CURRENT_DATE" ||
         name == "CURRENT_ROW_TIMESTAMP";
}

scalar_ptr compile_function(const std::string& name, const std::vector<expr_ptr>& arg_exprs,
                            const expr& call, const scope& columns) {
  args_t args;
  for (const auto& a : arg_exprs) {
    if (a->what == expr::kind::star)
      throw sql_error(a->at, "'*' is allowed only in COUNT(*)");
    args.push_back(compile_scalar(*a, columns));
  }
  auto at = call.at;
  call_checker check{name, args, at};
  if (name == "+" || name == "-" || name == "*" || name == "/" || name == "%")
    return arithmetic(name, args[0], args[1], at);
  if (name == "NEGATE")
    return negate_number(args[0], at);
  if (name == "=" || name == "<>" || name == "<" || name == ">" || name == "<=" || name == ">=")
    return comparison(name, args[0], args[1], at);
  if (name == "AND" || name == "OR")
    return logic(name, args[0], args[1], at);
  if (name == "NOT")
    return logical_not(args[0], at);
  if (name.rfind("IS ", 0) == 0)
    return truth_test(name, args[0], at);
  if (name == "BETWEEN")
    return logic("AND", comparison(">=", args[0], args[1], at),
                 comparison("<=", args[0], args[2], at), at);
  if (name == "LIKE")
    return like(args[0], args[1], at);
  if (name == "IN") {
    if (arg_exprs[1]->what == expr::kind::subquery)
      throw sql_error(arg_exprs[1]->at, "IN (SELECT ...) is not supported yet");
    return in_list(args[0], args_t(args.begin() + 1, args.end()), at);
  }
  if (name == "EXISTS")
    throw sql_error(at, "EXISTS (SELECT ...) is not supported yet");
  if (name == "MOD") {
    check.count(2, 2);
    return arithmetic("%", args[0], args[1], at);
  }
  if (name == "COALESCE" || name == "IFNULL") {
    check.count(name == "IFNULL" ? 2 : 1, name == "IFNULL" ? 2 : 64);
    std::vector<data_type> types;
    for (const auto& a : args)
      types.push_back(a->type());
    auto t = common_type(types, at, name.c_str());
    t.nullable =
      std::all_of(args.begin(), args.end(), [](const scalar_ptr& a) { return a->type().nullable; });
    return make_scalar(t, [args, t](const row& in) {
      for (const auto& a : args)
        if (auto v = a->eval(in); !v.is_null())
          return widen(v, a->type(), t);
      return value{};
    });
  }
  if (name == "IF") {
    check.count(3, 3);
    auto t = common_type({args[1]->type(), args[2]->type()}, at, "IF");
    return make_scalar(t, [args, t](const row& in) {
      auto c = args[0]->eval(in);
      const auto& chosen = !c.is_null() && c.integer != 0 ? args[1] : args[2];
      return widen(chosen->eval(in), chosen->type(), t);
    });
  }
  if (name == "NULLIF") {
    check.count(2, 2);
    auto equal = comparison("=", args[0], args[1], at);
    auto t = args[0]->type();
    t.nullable = true;
    return make_scalar(t, [a = args[0], equal](const row& in) {
      auto e = equal->eval(in);
      return !e.is_null() && e.integer != 0 ? value{} : a->eval(in);
    });
  }
  if (is_niladic_function(name) || name == "NOW") {
    check.count(0, 0);
    return timestamp_now(name == "NOW" ? "CURRENT_TIMESTAMP" : name);
  }
  if (auto s = string_function(name, args, check))
    return s;
  if (auto s = numeric_function(name, args, check))
    return s;
  if (auto s = time_function(name, args, check))
    return s;
  if (columns.functions)
    if (const auto* f = columns.functions->find(name))
      return compile_user_function(name, *f, args, at);
  if (name == "ROW_NUMBER" || name == "RANK" || name == "DENSE_RANK")
    throw sql_error(at, name + " needs an OVER (PARTITION BY ... ORDER BY ...) window");
  if (name == "TUMBLE" || name == "HOP" || name == "CUMULATE" || name == "SESSION")
    throw sql_error(at, name + " is a window table function: use it in FROM, as TABLE(" + name +
                          "(TABLE t, DESCRIPTOR(time_column), ...)); the legacy GROUP BY " + name +
                          "(...) windows are not supported");
  throw sql_error(at, "no function " + signature(name, args) +
                        ": no such built-in function (user-defined functions are registered "
                        "with CREATE FUNCTION)");
}

namespace {

scalar_ptr string_function(const std::string& name, args_t args, const call_checker& check) {
  auto text_type = make_varchar();
  text_type.nullable = any_nullable(args);
  if (name == "UPPER" || name == "LOWER" || name == "TRIM" || name == "LTRIM" || name == "RTRIM" ||
      name == "INITCAP" || name == "REVERSE") {
    check.count(1, 1);
    check.text(0);
    return strict(text_type, args, [name](const std::vector<value>& v) {
      auto s = v[0].text;
      if (name == "UPPER")
        return value::of_text(to_upper(std::move(s)));
      if (name == "LOWER")
        return value::of_text(to_lower(std::move(s)));
      if (name == "REVERSE")
        return value::of_text(std::string(s.rbegin(), s.rend()));
      if (name == "INITCAP") {
        bool start = true;
        for (auto& c : s) {
          auto u = static_cast<unsigned char>(c);
          c = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
          start = !std::isalnum(u);
        }
        return value::of_text(std::move(s));
      }
      std::size_t b = 0;
      std::size_t e = s.size();
      if (name != "RTRIM")
        while (b < e && s[b] == ' ')
          ++b;
      if (name != "LTRIM")
        while (e > b && s[e - 1] == ' ')
          --e;
      return value::of_text(s.substr(b, e - b));
    });
  }
  if (name == "CHAR_LENGTH" || name == "CHARACTER_LENGTH") {
    check.count(1, 1);
    check.text(0);
    return strict(nullable_type(type_root::integer, any_nullable(args)), args,
                  [](const std::vector<value>& v) {
                    std::int64_t n = 0;
                    for (unsigned char c : v[0].text)
                      n += (c & 0xC0) != 0x80 ? 1 : 0;
                    return value::of(n);
                  });
  }
  if (name == "CONCAT" || name == "||") {
    check.count(name == "||" ? 2 : 1, 254);
    for (std::size_t i = 0; i < args.size(); ++i)
      check.text(i);
    return strict(text_type, args, [](const std::vector<value>& v) {
      std::string out;
      for (const auto& x : v)
        out += x.text;
      return value::of_text(std::move(out));
    });
  }
  if (name == "CONCAT_WS") {
    check.count(2, 254);
    for (std::size_t i = 0; i < args.size(); ++i)
      check.text(i);
    auto t = make_varchar();
    t.nullable = args[0]->type().nullable;
    return make_scalar(t, [args](const row& in) {
      auto sep = args[0]->eval(in);
      if (sep.is_null())
        return value{};
      std::string out;
      bool first = true;
      for (std::size_t i = 1; i < args.size(); ++i) {
        auto v = args[i]->eval(in);
        if (v.is_null())
          continue;
        out += (first ? "" : sep.text) + v.text;
        first = false;
      }
      return value::of_text(std::move(out));
    });
  }
  if (name == "SUBSTRING" || name == "SUBSTR") {
    check.count(2, 3);
    check.text(0);
    check.integer(1);
    if (args.size() == 3)
      check.integer(2);
    return strict(text_type, args, [](const std::vector<value>& v) {
      const auto& s = v[0].text;
      auto n = static_cast<std::int64_t>(s.size());
      auto start = v[1].integer;
      // SQL positions count from 1; 0 reads as 1, negatives from the end.
      auto begin = start > 0 ? start - 1 : start < 0 ? std::max<std::int64_t>(0, n + start) : 0;
      auto length = v.size() > 2 ? v[2].integer : n;
      if (length < 0)
        throw std::runtime_error("SUBSTRING's length must not be negative");
      if (begin >= n)
        return value::of_text("");
      return value::of_text(s.substr(static_cast<std::size_t>(begin),
                                     static_cast<std::size_t>(std::min(length, n - begin))));
    });
  }
  if (name == "REPLACE") {
    check.count(3, 3);
    for (std::size_t i = 0; i < 3; ++i)
      check.text(i);
    return strict(text_type, args, [](const std::vector<value>& v) {
      auto s = v[0].text;
      const auto& from = v[1].text;
      if (from.empty())
        return value::of_text(std::move(s));
      std::string out;
      std::size_t pos = 0;
      for (auto hit = s.find(from); hit != std::string::npos; hit = s.find(from, pos)) {
        out += s.substr(pos, hit - pos) + v[2].text;
        pos = hit + from.size();
      }
      return value::of_text(out + s.substr(pos));
    });
  }
  if (name == "LPAD" || name == "RPAD") {
    check.count(3, 3);
    check.text(0);
    check.integer(1);
    check.text(2);
    bool left = name == "LPAD";
    return strict(text_type, args, [left](const std::vector<value>& v) {
      auto s = v[0].text;
      auto n = v[1].integer;
      if (n < 0)
        return value{};
      auto len = static_cast<std::size_t>(n);
      if (s.size() >= len || v[2].text.empty())
        return value::of_text(s.substr(0, len));
      std::string pad;
      while (pad.size() < len - s.size())
        pad += v[2].text;
      pad.resize(len - s.size());
      return value::of_text(left ? pad + s : s + pad);
    });
  }
  if (name == "POSITION" || name == "LOCATE") {
    check.count(2, 2);
    check.text(0);
    check.text(1);
    return strict(
      nullable_type(type_root::integer, any_nullable(args)), args, [](const std::vector<value>& v) {
        auto hit = v[1].text.find(v[0].text);
        return value::of(hit == std::string::npos ? 0 : static_cast<std::int64_t>(hit) + 1);
      });
  }
  if (name == "SPLIT_INDEX") {
    check.count(3, 3);
    check.text(0);
    check.text(1);
    check.integer(2);
    text_type.nullable = true;
    return strict(text_type, args, [](const std::vector<value>& v) {
      const auto& s = v[0].text;
      const auto& sep = v[1].text;
      auto index = v[2].integer;
      if (index < 0 || sep.empty())
        return value{};
      std::size_t pos = 0;
      for (std::int64_t i = 0;; ++i) {
        auto hit = s.find(sep, pos);
        if (i == index)
          return value::of_text(
            s.substr(pos, hit == std::string::npos ? std::string::npos : hit - pos));
        if (hit == std::string::npos)
          return value{};
        pos = hit + sep.size();
      }
    });
  }
  if (name == "REGEXP_EXTRACT" || name == "REGEXP_REPLACE" || name == "REGEXP") {
    bool extract = name == "REGEXP_EXTRACT";
    bool replace = name == "REGEXP_REPLACE";
    check.count(2, extract || replace ? 3 : 2);
    check.text(0);
    check.text(1);
    if (replace)
      check.text(2);
    else if (args.size() == 3)
      check.integer(2);
    auto compiled = constant_regex(args[1], check.at);
    auto type = replace ? text_type : extract ? make_varchar() : make_type(type_root::boolean);
    type.nullable = true;
    return strict(type, args, [compiled, extract, replace](const std::vector<value>& v) {
      // A pattern of the rows (no constant) is compiled per row; a bad one
      // fails the job (std::invalid_argument).
      auto re = compiled ? compiled : std::make_shared<const sql_regex>(v[1].text);
      if (replace)
        return value::of_text(re->replace_all(v[0].text, v[2].text));
      if (!extract)
        return value::of_bool(re->search(v[0].text));
      auto group = v.size() > 2 ? v[2].integer : 0;
      if (group < 0)
        return value{};
      auto found = re->extract(v[0].text, static_cast<std::size_t>(group));
      return found ? value::of_text(std::move(*found)) : value{};
    });
  }
  return nullptr;
}

scalar_ptr numeric_function(const std::string& name, args_t args, const call_checker& check) {
  if (name == "ABS") {
    check.count(1, 1);
    check.numeric(0);
    return make_scalar(args[0]->type(), [a = args[0]](const row& in) {
      auto v = a->eval(in);
      if (v.what == value::tag::floating)
        v.floating = std::fabs(v.floating);
      else if (v.what == value::tag::integer && v.integer < 0)
        v.integer = -v.integer;
      return v;
    });
  }
  if (name == "FLOOR" || name == "CEIL" || name == "CEILING") {
    check.count(1, 1);
    check.numeric(0);
    auto t = args[0]->type();
    bool floor = name == "FLOOR";
    if (t.root == type_root::decimal)
      t = make_decimal(std::min(18, t.precision - t.scale + 1), 0);
    t.nullable = args[0]->type().nullable;
    auto from = args[0]->type();
    return make_scalar(t, [a = args[0], floor, from](const row& in) {
      auto v = a->eval(in);
      if (v.what == value::tag::floating)
        v.floating = floor ? std::floor(v.floating) : std::ceil(v.floating);
      else if (v.what == value::tag::integer && from.root == type_root::decimal) {
        auto d = power_of_ten(from.scale);
        auto q = v.integer / d;
        auto r = v.integer % d;
        v.integer = q + (floor ? (r < 0 ? -1 : 0) : (r > 0 ? 1 : 0));
      }
      return v;
    });
  }
  if (name == "ROUND") {
    check.count(1, 2);
    check.numeric(0);
    if (args.size() == 2)
      check.integer(1);
    auto from = args[0]->type();
    row none;
    int digits = 0;
    if (args.size() == 2)
      digits = static_cast<int>(args[1]->eval(none).integer);
    auto t = from;
    if (t.root == type_root::decimal)
      t = make_decimal(t.precision, std::clamp(digits, 0, t.scale));
    return make_scalar(t, [a = args[0], from, t, digits](const row& in) {
      auto v = a->eval(in);
      if (v.is_null())
        return v;
      if (v.what == value::tag::floating) {
        auto scale = std::pow(10.0, digits);
        return value::of_double(std::round(v.floating * scale) / scale);
      }
      if (from.root == type_root::decimal)
        return value::of(to_unscaled(v, from, t.scale));
      if (digits >= 0)
        return v;
      auto d = power_of_ten(-digits);
      auto q = (v.integer + (v.integer < 0 ? -d / 2 : d / 2)) / d;
      return value::of(q * d);
    });
  }
  if (name == "POWER" || name == "SQRT" || name == "LN" || name == "LOG10" || name == "EXP" ||
      name == "LOG2") {
    bool power = name == "POWER";
    check.count(power ? 2 : 1, power ? 2 : 1);
    check.numeric(0);
    if (power)
      check.numeric(1);
    auto from0 = args[0]->type();
    auto from1 = power ? args[1]->type() : from0;
    return strict(nullable_type(type_root::double_, any_nullable(args)), args,
                  [name, from0, from1](const std::vector<value>& v) {
                    auto x = to_double(v[0], from0);
                    if (name == "POWER")
                      return value::of_double(std::pow(x, to_double(v[1], from1)));
                    if (name == "SQRT")
                      return value::of_double(std::sqrt(x));
                    if (name == "LN")
                      return value::of_double(std::log(x));
                    if (name == "LOG10")
                      return value::of_double(std::log10(x));
                    if (name == "LOG2")
                      return value::of_double(std::log2(x));
                    return value::of_double(std::exp(x));
                  });
  }
  return nullptr;
}

scalar_ptr time_function(const std::string& name, args_t args, const call_checker& check) {
  if (name == "DATE_FORMAT") {
    check.count(2, 2);
    check.text(1);
    auto from = args[0]->type();
    check.expect(0, is_timestamp(from.root) || is_text(from.root) || from.root == type_root::null,
                 "a TIMESTAMP or a string");
    auto t = make_varchar();
    t.nullable = true;
    return strict(t, args, [](const std::vector<value>& v) {
      std::int64_t ms = v[0].integer;
      if (v[0].what == value::tag::text) {
        auto parsed = parse_timestamp(v[0].text);
        if (!parsed)
          return value{};
        ms = *parsed;
      }
      try {
        return value::of_text(format_with_pattern(ms, v[1].text));
      } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string{"DATE_FORMAT: "} + e.what());
      }
    });
  }
  if (name == "TO_TIMESTAMP") {
    check.count(1, 2);
    check.text(0);
    if (args.size() == 2)
      check.text(1);
    return strict(make_timestamp(3), args, [](const std::vector<value>& v) {
      auto ms = v.size() == 2 ? parse_with_pattern(v[0].text, v[1].text)
                              : parse_with_pattern(v[0].text, "yyyy-MM-dd HH:mm:ss");
      if (!ms && v.size() == 1)
        ms = parse_timestamp(v[0].text);
      return ms ? value::of(*ms) : value{};
    });
  }
  if (name == "TO_TIMESTAMP_LTZ") {
    check.count(2, 2);
    check.numeric(0);
    check.integer(1);
    auto t = make_type(type_root::timestamp_ltz);
    t.precision = 3;
    auto from = args[0]->type();
    return strict(t, args, [from](const std::vector<value>& v) {
      auto precision = v[1].integer;
      if (precision != 0 && precision != 3)
        throw std::runtime_error("TO_TIMESTAMP_LTZ's precision must be 0 (seconds) or 3 "
                                 "(milliseconds)");
      auto x = to_double(v[0], from);
      return value::of(std::llround(precision == 0 ? x * 1000 : x));
    });
  }
  if (name == "UNIX_TIMESTAMP") {
    check.count(0, 2);
    for (std::size_t i = 0; i < args.size(); ++i)
      check.text(i);
    if (args.empty())
      return make_scalar(nullable_type(type_root::bigint, false),
                         [](const row&) { return value::of(now_ms() / 1000); });
    return strict(nullable_type(type_root::bigint), args, [](const std::vector<value>& v) {
      auto ms = parse_with_pattern(v[0].text, v.size() == 2 ? v[1].text : "yyyy-MM-dd HH:mm:ss");
      return ms ? value::of(*ms / 1000) : value{};
    });
  }
  if (name == "FROM_UNIXTIME") {
    check.count(1, 2);
    check.integer(0);
    if (args.size() == 2)
      check.text(1);
    return strict(make_varchar(), args, [](const std::vector<value>& v) {
      return value::of_text(format_with_pattern(v[0].integer * 1000,
                                                v.size() == 2 ? v[1].text : "yyyy-MM-dd HH:mm:ss"));
    });
  }
  if (name == "YEAR" || name == "MONTH" || name == "DAYOFMONTH" || name == "HOUR" ||
      name == "MINUTE" || name == "SECOND") {
    check.count(1, 1);
    check.time_point(0);
    bool date = args[0]->type().root == type_root::date;
    return strict(nullable_type(type_root::bigint, any_nullable(args)), args,
                  [name, date](const std::vector<value>& v) {
                    return value::of(
                      time_field(date ? v[0].integer * ms_per_day : v[0].integer, name));
                  });
  }
  return nullptr;
}

} // namespace
} // namespace flinkcpp::sql

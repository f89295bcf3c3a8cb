// Scalar expressions and values: types inferred as Flink infers them,
// results as Flink computes them (three-valued logic, integer arithmetic,
// casts, string and time functions), values written as Flink writes them.

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include "sql/functions/scalar.hpp"
#include "sql/functions/time_format.hpp"
#include "sql/functions/value_text.hpp"
#include "sql/parser/parse.hpp"
#include "sql/sql_error.hpp"

using namespace flinkcpp::sql;

namespace {

/// The columns the expressions below read: i INT = 7, n INT = NULL,
/// s STRING = 'Hello, World', ts TIMESTAMP(3) = 2020-04-15 08:05:01.500,
/// d DECIMAL(10, 2) = 12.50, f DOUBLE = 0.5.
struct fixture {
  scope columns;
  row input;

  fixture() {
    auto add = [&](const char* name, data_type type, value v) {
      columns.columns.push_back({name, "t", type});
      input.fields.push_back(std::move(v));
    };
    add("i", make_type(type_root::integer), value::of(7));
    add("n", make_type(type_root::integer), value{});
    add("s", make_varchar(), value::of_text("Hello, World"));
    add("ts", make_timestamp(3), value::of(*parse_timestamp("2020-04-15 08:05:01.500")));
    add("d", make_decimal(10, 2), value::of(1250));
    add("f", make_type(type_root::double_), value::of_double(0.5));
  }

  scalar_ptr compile(const std::string& expression) const {
    auto statements = parse_script("SELECT " + expression);
    const auto& q = *std::get<select_statement>(statements.at(0).body).body;
    return compile_scalar(*q.items.at(0).value, columns);
  }

  /// The expression's value, as the print connector writes it, and its type.
  std::string eval(const std::string& expression) const {
    auto s = compile(expression);
    return format_value(s->eval(input), s->type(), value_style::print) + " : " +
           to_string(s->type());
  }

  std::string error(const std::string& expression) const {
    try {
      compile(expression);
    } catch (const sql_error& e) {
      return e.what();
    }
    return "no error";
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(sql_functions, fixture)

BOOST_AUTO_TEST_CASE(arithmetic_keeps_flink_types) {
  BOOST_TEST(eval("i + 1") == "8 : INT");
  BOOST_TEST(eval("i / 2") == "3 : INT");
  BOOST_TEST(eval("i % 4") == "3 : INT");
  BOOST_TEST(eval("i * 3000000000") == "21000000000 : BIGINT");
  BOOST_TEST(eval("d * 2") == "25.00 : DECIMAL(18, 2)");
  BOOST_TEST(eval("0.908 * i") == "6.356 : DECIMAL(18, 3)");
  BOOST_TEST(eval("d + 0.005") == "12.505 : DECIMAL(18, 3)");
  BOOST_TEST(eval("f * i") == "3.5 : DOUBLE");
  BOOST_TEST(eval("-i") == "-7 : INT");
  BOOST_TEST(eval("i + n") == "null : INT");
  BOOST_TEST(eval("2147483647 + 1") == "-2147483648 : INT NOT NULL");
  BOOST_TEST(eval("ts + INTERVAL '1' MINUTE") == "2020-04-15T08:06:01.500 : TIMESTAMP(3)");
  BOOST_TEST(error("s + 1") == "cannot apply '+' to STRING and INT NOT NULL");
}

BOOST_AUTO_TEST_CASE(logic_is_three_valued) {
  BOOST_TEST(eval("n > 1 AND i > 100") == "false : BOOLEAN");
  BOOST_TEST(eval("n > 1 AND i > 1") == "null : BOOLEAN");
  BOOST_TEST(eval("n > 1 OR i > 1") == "true : BOOLEAN");
  BOOST_TEST(eval("NOT (n > 1)") == "null : BOOLEAN");
  BOOST_TEST(eval("n IS NULL") == "true : BOOLEAN NOT NULL");
  BOOST_TEST(eval("(n > 1) IS NOT TRUE") == "true : BOOLEAN NOT NULL");
  BOOST_TEST(eval("i BETWEEN 1 AND 7") == "true : BOOLEAN");
  BOOST_TEST(eval("i IN (1, n)") == "null : BOOLEAN");
  BOOST_TEST(eval("i IN (1, 7)") == "true : BOOLEAN");
  BOOST_TEST(eval("s LIKE 'Hello%d'") == "true : BOOLEAN");
  BOOST_TEST(eval("s LIKE 'H_llo'") == "false : BOOLEAN");
  BOOST_TEST(error("i AND TRUE") == "AND expects BOOLEAN operands, got INT");
}

BOOST_AUTO_TEST_CASE(case_coalesce_if_and_casts) {
  BOOST_TEST(eval("CASE WHEN i > 5 THEN 'big' ELSE 'small' END") == "big : VARCHAR(5) NOT NULL");
  BOOST_TEST(eval("CASE i WHEN 1 THEN 10 WHEN 7 THEN 70 END") == "70 : INT");
  BOOST_TEST(eval("COALESCE(n, i, 0)") == "7 : INT NOT NULL");
  BOOST_TEST(eval("IF(i > 1, f, 2)") == "0.5 : DOUBLE");
  BOOST_CHECK_THROW(compile("CAST(s AS INT)")->eval(input), std::runtime_error);
  BOOST_TEST(eval("TRY_CAST(s AS INT)") == "null : INT");
  BOOST_TEST(eval("CAST('42' AS BIGINT) + 1") == "43 : BIGINT");
  BOOST_TEST(eval("CAST(d AS INT)") == "12 : INT");
  BOOST_TEST(eval("CAST(f AS DECIMAL(5, 1))") == "0.5 : DECIMAL(5, 1)");
  BOOST_TEST(eval("CAST(ts AS STRING)") == "2020-04-15 08:05:01.500 : STRING");
  BOOST_TEST(eval("CAST(ts AS DATE)") == "2020-04-15 : DATE");
  BOOST_TEST(eval("CAST('2021-01-02 03:04:05' AS TIMESTAMP(3))") ==
             "2021-01-02T03:04:05 : TIMESTAMP(3)");
  BOOST_TEST(error("CAST(ts AS BOOLEAN)") == "cannot cast TIMESTAMP(3) to BOOLEAN");
  BOOST_TEST(error("CASE WHEN i > 1 THEN 1 ELSE 'x' END") ==
             "CASE mixes INT NOT NULL and CHAR(1) NOT NULL: give all of them one type (CAST)");
}

BOOST_AUTO_TEST_CASE(string_functions) {
  BOOST_TEST(eval("UPPER(s)") == "HELLO, WORLD : STRING");
  BOOST_TEST(eval("LOWER(s) || '!'") == "hello, world! : STRING");
  BOOST_TEST(eval("CHAR_LENGTH(s)") == "12 : INT");
  BOOST_TEST(eval("SUBSTRING(s, 8)") == "World : STRING");
  BOOST_TEST(eval("SUBSTRING(s, 1, 5)") == "Hello : STRING");
  BOOST_TEST(eval("CONCAT(s, '-', CAST(i AS STRING))") == "Hello, World-7 : STRING");
  BOOST_TEST(eval("CONCAT(s, CAST(n AS STRING))") == "null : STRING");
  BOOST_TEST(eval("CONCAT_WS('/', 'a', CAST(n AS STRING), 'b')") == "a/b : STRING NOT NULL");
  BOOST_TEST(eval("SPLIT_INDEX(s, ', ', 1)") == "World : STRING");
  BOOST_TEST(eval("SPLIT_INDEX(s, ', ', 2)") == "null : STRING");
  BOOST_TEST(eval("REGEXP_EXTRACT('channel_id=42&x=1', '(&|^)channel_id=([^&]*)', 2)") ==
             "42 : STRING");
  // Java's syntax, as Flink's: lookbehind, backreferences, \d; a group that
  // took no part or does not exist is NULL; REGEXP_REPLACE with $n.
  BOOST_TEST(eval("REGEXP_EXTRACT('price: 42 EUR', '(?<=price: )\\d+', 0)") == "42 : STRING");
  BOOST_TEST(eval("REGEXP_EXTRACT('abab', '(ab)\\1', 1)") == "ab : STRING");
  BOOST_TEST(eval("REGEXP_EXTRACT('b', '(a)?b', 1)") == "null : STRING");
  BOOST_TEST(eval("REGEXP_EXTRACT('b', '(a)?b', 3)") == "null : STRING");
  BOOST_TEST(eval("REGEXP_REPLACE(s, '(\\w+), (\\w+)', '$2 $1')") == "World Hello : STRING");
  BOOST_TEST(eval("REGEXP(s, '^H.*d$')") == "true : BOOLEAN");
  BOOST_TEST(error("REGEXP(s, 'a(b')")
               .find("invalid regular expression: missing closing "
                     "parenthesis at offset 3") == 0u);
  BOOST_TEST(eval("REPLACE(s, 'l', 'L')") == "HeLLo, WorLd : STRING");
  BOOST_TEST(eval("TRIM('  x  ')") == "x : STRING NOT NULL");
  BOOST_TEST(eval("LPAD('7', 3, '0')") == "007 : STRING NOT NULL");
  BOOST_TEST(error("UPPER(i)") == "no match for UPPER(INT): argument 1 must be a string");
  BOOST_TEST(error("NO_SUCH_FN(i)").find("no function NO_SUCH_FN(INT)") == 0u);
  BOOST_TEST(error("COUNT(i)").find("the aggregate function COUNT is allowed only") == 0u);
}

BOOST_AUTO_TEST_CASE(time_functions) {
  BOOST_TEST(eval("DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm')") == "2020-04-15 08:05 : STRING");
  BOOST_TEST(eval("DATE_FORMAT(ts, 'yyyy/MM/dd''T''HH:mm:ss.SSS')") ==
             "2020/04/15T08:05:01.500 : STRING");
  BOOST_TEST(eval("TO_TIMESTAMP('2020-04-15 08:05:01')") == "2020-04-15T08:05:01 : TIMESTAMP(3)");
  BOOST_TEST(eval("TO_TIMESTAMP('15.04.2020', 'dd.MM.yyyy')") == "2020-04-15T00:00 : TIMESTAMP(3)");
  BOOST_TEST(eval("TO_TIMESTAMP('nonsense')") == "null : TIMESTAMP(3)");
  BOOST_TEST(eval("HOUR(ts)") == "8 : BIGINT");
  BOOST_TEST(eval("TO_TIMESTAMP_LTZ(1586937901500, 3)") ==
             "2020-04-15T08:05:01.500Z : TIMESTAMP_LTZ(3)");
  BOOST_TEST(eval("FROM_UNIXTIME(0)") == "1970-01-01 00:00:00 : STRING");
  BOOST_TEST((compile("CURRENT_TIMESTAMP")->type().root == type_root::timestamp_ltz));
}

BOOST_AUTO_TEST_CASE(columns_resolve_by_name_and_qualifier) {
  BOOST_TEST(eval("t.i") == "7 : INT");
  BOOST_TEST(error("x").find("column 'x' not found; the columns here are: t.i, t.n") == 0u);
  BOOST_TEST(error("u.i").find("column 'u.i' not found") == 0u);
}

BOOST_AUTO_TEST_CASE(values_read_and_write_as_flink) {
  BOOST_TEST(java_double_string(1.0) == "1.0");
  BOOST_TEST(java_double_string(1e7) == "1.0E7");
  BOOST_TEST(java_double_string(0.001) == "0.001");
  BOOST_TEST(java_double_string(1.5e-4) == "1.5E-4");
  BOOST_TEST(format_decimal(-5, 2) == "-0.05");
  auto ts = *parse_timestamp("2020-04-15T08:05:00");
  BOOST_TEST(format_timestamp(ts, timestamp_style::iso, 3) == "2020-04-15T08:05");
  BOOST_TEST(format_timestamp(ts + 500, timestamp_style::sql, 3) == "2020-04-15 08:05:00.5");
  BOOST_TEST(format_timestamp(ts, timestamp_style::fixed, 3) == "2020-04-15 08:05:00.000");
  BOOST_TEST(format_timestamp(-1, timestamp_style::sql, 3) == "1969-12-31 23:59:59.999");
  BOOST_TEST(!parse_timestamp("2020-02-30 00:00:00").has_value());
  BOOST_TEST(parse_value(" 12.345 ", make_decimal(5, 2))->integer == 1235);
  BOOST_TEST(!parse_value("128", make_type(type_root::tinyint)).has_value());
  BOOST_TEST(parse_value("", make_type(type_root::integer))->is_null());
  BOOST_TEST(format_value(value::of_text("a,\"b\""), make_varchar(), value_style::csv) ==
             "\"a,\"\"b\"\"\"");
}

BOOST_AUTO_TEST_SUITE_END()

// The SQL parser: Flink SQL's statements and expressions become the tree of
// ast.hpp, and a script that does not parse fails at the right line and
// column with the offending token.

#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>

#include "sql/parser/parse.hpp"
#include "sql/parser/unparse.hpp"
#include "sql/sql_error.hpp"

using namespace flinkcpp::sql;

namespace {

/// The error parsing `script` throws, described as the client shows it.
std::string error_of(const std::string& script) {
  try {
    parse_script(script);
  } catch (const sql_error& e) {
    return describe(e, script, "s.sql");
  }
  return "no error";
}

const query& select_of(const statement& s) {
  return *std::get<select_statement>(s.body).body;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sql_parser)

BOOST_AUTO_TEST_CASE(a_script_is_statements_separated_by_semicolons_with_their_text) {
  auto statements = parse_script("-- a comment\n"
                                 "SET 'parallelism.default' = '2';;\n"
                                 "/* another\n comment */ SHOW TABLES;\n"
                                 "select 1");
  BOOST_TEST_REQUIRE(statements.size() == 3u);
  const auto& set = std::get<set_statement>(statements[0].body);
  BOOST_TEST(*set.key == "parallelism.default");
  BOOST_TEST(set.value == "2");
  BOOST_TEST(statements[0].at.line == 2);
  BOOST_TEST(statements[0].at.column == 1);
  BOOST_TEST(statements[0].text == "SET 'parallelism.default' = '2'");
  BOOST_TEST(std::get<show_statement>(statements[1].body).what == "TABLES");
  BOOST_TEST(statements[1].at.line == 4);
  BOOST_TEST(statements[1].at.column == 13);
  BOOST_TEST(statements[2].text == "select 1");
}

BOOST_AUTO_TEST_CASE(create_table_keeps_columns_watermark_key_and_options) {
  auto statements = parse_script("CREATE TEMPORARY TABLE IF NOT EXISTS `my table` (\n"
                                 "  id BIGINT NOT NULL,\n"
                                 "  name VARCHAR(20) COMMENT 'who',\n"
                                 "  price DECIMAL(10, 2),\n"
                                 "  ts TIMESTAMP(3),\n"
                                 "  ltz TIMESTAMP(3) WITH LOCAL TIME ZONE,\n"
                                 "  kafka_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,\n"
                                 "  doubled AS price * 2,\n"
                                 "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,\n"
                                 "  PRIMARY KEY (id) NOT ENFORCED\n"
                                 ") WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence')");
  const auto& t = std::get<create_table>(statements.at(0).body);
  BOOST_TEST(t.name.back() == "my table");
  BOOST_TEST(t.temporary);
  BOOST_TEST(t.if_not_exists);
  BOOST_TEST_REQUIRE(t.columns.size() == 7u);
  BOOST_TEST(t.columns[0].type.kind == "BIGINT");
  BOOST_TEST(t.columns[0].type.not_null);
  BOOST_TEST(t.columns[1].type.kind == "VARCHAR");
  BOOST_TEST(t.columns[1].type.parameters.at(0) == 20);
  BOOST_TEST(t.columns[1].comment == "who");
  BOOST_TEST(t.columns[2].type.parameters.size() == 2u);
  BOOST_TEST(t.columns[4].type.kind == "TIMESTAMP_LTZ");
  BOOST_TEST((t.columns[5].what == column_definition::kind::metadata));
  BOOST_TEST(t.columns[5].metadata_key == "timestamp");
  BOOST_TEST(t.columns[5].is_virtual);
  BOOST_TEST((t.columns[6].what == column_definition::kind::computed));
  BOOST_TEST(to_sql(*t.columns[6].expression) == "(`price` * 2)");
  BOOST_TEST_REQUIRE(t.watermark.has_value());
  BOOST_TEST(t.watermark->column == "ts");
  BOOST_TEST(to_sql(*t.watermark->expression) == "(`ts` - INTERVAL '5' SECOND)");
  BOOST_TEST(t.primary_key == std::vector<std::string>{"id"});
  BOOST_TEST_REQUIRE(t.options.size() == 2u);
  BOOST_TEST(t.options[1].first == "fields.id.kind");
  BOOST_TEST(t.options[1].second == "sequence");
}

BOOST_AUTO_TEST_CASE(keywords_are_case_insensitive_and_literals_read_as_flink_writes_them) {
  auto statements =
    parse_script("select a AS x, 'it''s', 1.50, 2e3, TIMESTAMP '2020-01-01 00:00:00', "
                 "INTERVAL '10' minute, cast(b as bigint), case when c then 1 else 2 end, "
                 "count(distinct d) filter (where e > 1), `select` from t where not f is null");
  const auto& q = select_of(statements.at(0));
  BOOST_TEST_REQUIRE(q.items.size() == 10u);
  BOOST_TEST(q.items[0].alias == "x");
  BOOST_TEST(q.items[1].value->text == "it's");
  BOOST_TEST(to_sql(*q.items[2].value) == "1.50");
  BOOST_TEST(to_sql(*q.items[3].value) == "2e3");
  BOOST_TEST(to_sql(*q.items[4].value) == "TIMESTAMP '2020-01-01 00:00:00'");
  BOOST_TEST(to_sql(*q.items[5].value) == "INTERVAL '10' MINUTE");
  BOOST_TEST(to_sql(*q.items[6].value) == "CAST(`b` AS BIGINT)");
  BOOST_TEST(to_sql(*q.items[7].value) == "CASE WHEN `c` THEN 1 ELSE 2 END");
  BOOST_TEST(to_sql(*q.items[8].value) == "COUNT(DISTINCT `d`) FILTER (WHERE (`e` > 1))");
  BOOST_TEST(q.items[9].value->name.back() == "select");
  BOOST_TEST(to_sql(*q.where) == "NOT (`f` IS NULL)");
}

BOOST_AUTO_TEST_CASE(operators_bind_as_in_sql) {
  auto q = parse_script("SELECT a + b * c - d, a OR b AND NOT c, x BETWEEN 1 AND 2 AND y, "
                        "a || b || c, -a * b, x NOT IN (1, 2), s NOT LIKE 'a%'");
  const auto& items = select_of(q.at(0)).items;
  BOOST_TEST(to_sql(*items[0].value) == "((`a` + (`b` * `c`)) - `d`)");
  BOOST_TEST(to_sql(*items[1].value) == "(`a` OR (`b` AND NOT `c`))");
  BOOST_TEST(to_sql(*items[2].value) == "((`x` BETWEEN 1 AND 2) AND `y`)");
  BOOST_TEST(to_sql(*items[3].value) == "((`a` || `b`) || `c`)");
  BOOST_TEST(to_sql(*items[4].value) == "(-`a` * `b`)");
  BOOST_TEST(to_sql(*items[5].value) == "NOT (`x` IN (1, 2))");
  BOOST_TEST(to_sql(*items[6].value) == "NOT (`s` LIKE 'a%')");
}

BOOST_AUTO_TEST_CASE(queries_have_window_functions_subqueries_unions_and_over) {
  auto statements = parse_script(
    "INSERT INTO sink SELECT window_start, COUNT(*) FROM TABLE(HOP(TABLE bid, "
    "DESCRIPTOR(dateTime), INTERVAL '2' SECOND, SIZE => INTERVAL '10' SECOND)) AS w "
    "GROUP BY window_start, window_end HAVING COUNT(*) > 1;\n"
    "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY a ORDER BY ts DESC) AS rn "
    "FROM t) WHERE rn <= 3 UNION ALL SELECT * FROM u;\n"
    "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END;\n"
    "EXPLAIN SELECT t.* FROM t");
  BOOST_TEST_REQUIRE(statements.size() == 4u);
  const auto& insert = std::get<insert_statement>(statements[0].body);
  BOOST_TEST(insert.table.back() == "sink");
  const auto& from = *insert.source->from;
  BOOST_TEST((from.what == table_ref::kind::function));
  BOOST_TEST(from.alias == "w");
  BOOST_TEST(to_sql(*from.function) == "HOP(TABLE `bid`, DESCRIPTOR(`dateTime`), INTERVAL '2' "
                                       "SECOND, SIZE => INTERVAL '10' SECOND)");
  BOOST_TEST(insert.source->group_by.size() == 2u);
  const auto& u = select_of(statements[1]);
  BOOST_TEST((u.what == query::kind::union_all));
  const auto& inner = *u.left->from->subquery;
  BOOST_TEST(to_sql(*inner.items[1].value) ==
             "ROW_NUMBER() OVER (PARTITION BY `a` ORDER BY `ts` DESC)");
  BOOST_TEST(std::get<statement_set>(statements[2].body).inserts.size() == 2u);
  BOOST_TEST(std::holds_alternative<std::shared_ptr<const explain_statement>>(statements[3].body));
  // OVER frames, the short form as the long one.
  auto frames = parse_script(
    "SELECT SUM(x) OVER (PARTITION BY a ORDER BY ts ROWS 5 PRECEDING), AVG(x) OVER (ORDER BY ts "
    "RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW), MIN(x) OVER (ORDER BY ts ROWS "
    "BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t");
  const auto& items = select_of(frames.at(0)).items;
  BOOST_TEST(to_sql(*items[0].value) ==
             "SUM(`x`) OVER (PARTITION BY `a` ORDER BY `ts` ROWS BETWEEN 5 PRECEDING AND "
             "CURRENT ROW)");
  BOOST_TEST(to_sql(*items[1].value) == "AVG(`x`) OVER (ORDER BY `ts` RANGE BETWEEN INTERVAL '1' "
                                        "HOUR PRECEDING AND CURRENT ROW)");
  BOOST_TEST(to_sql(*items[2].value) == "MIN(`x`) OVER (ORDER BY `ts` ROWS BETWEEN UNBOUNDED "
                                        "PRECEDING AND CURRENT ROW)");
  // Windows a query names, in place.
  auto named = parse_script("SELECT SUM(x) OVER w, LAG(x) OVER v + 1 FROM t WINDOW w AS (PARTITION "
                            "BY a ORDER BY ts ROWS 5 PRECEDING), v AS (ORDER BY ts)");
  const auto& uses = select_of(named.at(0)).items;
  BOOST_TEST(to_sql(*uses[0].value) == to_sql(*items[0].value));
  BOOST_TEST(to_sql(*uses[1].value) == "(LAG(`x`) OVER (ORDER BY `ts`) + 1)");
  BOOST_TEST(error_of("SELECT SUM(x) OVER v FROM t WINDOW w AS (ORDER BY ts)")
               .find("s.sql:1:8: the window 'v' is not defined: name it in the query's WINDOW v "
                     "AS (...)") == 0u);
  BOOST_TEST(error_of("SELECT 1 FROM t WINDOW w AS (ORDER BY ts), w AS (ORDER BY a)")
               .find("the window 'w' is named twice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_line_column_and_token_with_a_caret) {
  BOOST_TEST(error_of("SELECT a,\n  b FORM t;") ==
             "s.sql:2:10: syntax error at 't': unexpected identifier\n"
             "    b FORM t;\n"
             "           ^");
  BOOST_TEST(error_of("SELECT * FROM t MATCH_RECOGNIZE (x)") ==
             "s.sql:1:17: MATCH_RECOGNIZE is not supported\n"
             "  SELECT * FROM t MATCH_RECOGNIZE (x)\n"
             "                  ^");
  BOOST_TEST(error_of("SELECT 'abc FROM t").find("s.sql:1:8: a string literal is not closed") ==
             0u);
  BOOST_TEST(error_of("SELECT a FROM") ==
             "s.sql:1:14: the script ends in the middle of a statement\n"
             "  SELECT a FROM\n"
             "               ^");
  BOOST_TEST(error_of("SELECT \"a\" FROM t")
               .find("s.sql:1:8: double quotes are not string "
                     "quotes") == 0u);
  BOOST_TEST(error_of("CREATE TABLE t (a INT, PRIMARY KEY (a)) WITH ('connector' = 'x')")
               .find("s.sql:1:24: a primary key must be declared NOT ENFORCED") == 0u);
  BOOST_TEST(error_of("SELECT a ? b").find("s.sql:1:10: unexpected character '?'") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

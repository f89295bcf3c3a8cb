// The catalog and the planner: DDL checked when declared, queries checked
// when planned, each bad script refused with one line naming what is wrong,
// where, and what was expected; result columns typed as Flink types them.

#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>

#include "sql/parser/parse.hpp"
#include "sql/session.hpp"
#include "sql/sql_error.hpp"

using namespace flinkcpp::sql;

namespace {

const char* const tables =
  "CREATE TABLE orders (\n"
  "  id BIGINT NOT NULL, customer STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3),\n"
  "  doubled AS amount * 2,\n"
  "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,\n"
  "  PRIMARY KEY (id) NOT ENFORCED\n"
  ") WITH ('connector' = 'filesystem', 'path' = '/nonexistent/orders', 'format' = 'csv');\n"
  "CREATE TABLE gen (n INT, s STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10');\n"
  "CREATE TABLE out_csv (customer STRING, total DECIMAL(18, 2)) WITH ('connector' = "
  "'filesystem', 'path' = '/tmp/x', 'format' = 'csv');\n"
  "CREATE TABLE out_print (customer STRING, total DECIMAL(18, 2)) WITH ('connector' = 'print');\n"
  "CREATE VIEW big AS SELECT id, customer FROM orders WHERE amount > 100;\n";

struct fixture {
  session s;

  fixture() { run(tables); }

  /// Runs DDL, plans INSERTs, and for a SELECT gives its columns.
  std::string run(const std::string& script) {
    std::string out;
    for (const auto& st : parse_script(script)) {
      if (const auto* select = std::get_if<select_statement>(&st.body)) {
        for (const auto& c : s.result_columns(*select->body))
          out += (out.empty() ? "" : ", ") + c.name + " " + to_string(c.type);
      } else if (std::holds_alternative<insert_statement>(st.body)) {
        s.check(st);
      } else {
        s.apply_ddl(st);
      }
    }
    return out;
  }

  /// EXPLAIN's plan of `query`.
  std::string explain(const std::string& query) {
    auto statements = parse_script("EXPLAIN " + query);
    return s.explain(*std::get<std::shared_ptr<const explain_statement>>(statements.at(0).body));
  }

  std::string error(const std::string& script) {
    try {
      run(script);
    } catch (const sql_error& e) {
      return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + ": " +
             e.what();
    }
    return "no error";
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(sql_planner, fixture)

BOOST_AUTO_TEST_CASE(describe_shows_columns_as_flink_does) {
  auto t = s.describe(describe_statement{{"orders"}}, {});
  BOOST_TEST_REQUIRE(t.rows.size() == 5u);
  BOOST_TEST(t.header ==
             (std::vector<std::string>{"name", "type", "null", "key", "extras", "watermark"}));
  BOOST_TEST(t.rows[0] == (std::vector<std::string>{"id", "BIGINT", "FALSE", "PRI(id)", "", ""}));
  BOOST_TEST(t.rows[3] == (std::vector<std::string>{"ts", "TIMESTAMP(3) *ROWTIME*", "TRUE", "", "",
                                                    "(`ts` - INTERVAL '5' SECOND)"}));
  BOOST_TEST(t.rows[4] == (std::vector<std::string>{"doubled", "DECIMAL(18, 2)", "TRUE", "",
                                                    "AS (`amount` * 2)", ""}));
  auto shown = s.show(show_statement{"TABLES"}, {});
  BOOST_TEST(shown.rows.size() == 5u);
}

BOOST_AUTO_TEST_CASE(query_columns_are_typed_as_flink_types_them) {
  BOOST_TEST(run("SELECT customer, amount * 2 AS twice, COUNT(*) FROM orders GROUP BY "
                 "customer, amount") == "customer STRING, twice DECIMAL(18, 2), EXPR$2 BIGINT "
                                        "NOT NULL");
  BOOST_TEST(run("SELECT window_start, window_end, SUM(amount) AS total FROM TABLE(TUMBLE(TABLE "
                 "orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, "
                 "window_end") ==
             "window_start TIMESTAMP(3) NOT NULL, window_end TIMESTAMP(3) NOT NULL, total "
             "DECIMAL(18, 2)");
  BOOST_TEST(run("SELECT * FROM big") == "id BIGINT NOT NULL, customer STRING");
  BOOST_TEST(run("SELECT n FROM gen UNION ALL SELECT CAST(id AS INT) FROM orders") == "n INT");
}

BOOST_AUTO_TEST_CASE(row_columns_are_named_by_their_fields) {
  // The Nexmark suite's DDL: ROW columns, a computed column and views that
  // read their fields as row.field (table.row.field too); a SELECT names a
  // field's column by the field.
  run("CREATE TABLE events (kind INT, p ROW<id BIGINT, at TIMESTAMP(3), inner_row ROW<x INT>>,\n"
      "  b ROW<id BIGINT, price BIGINT, at TIMESTAMP(3)>,\n"
      "  at AS CASE WHEN kind = 0 THEN p.at ELSE b.at END,\n"
      "  WATERMARK FOR at AS at - INTERVAL '4' SECOND\n"
      ") WITH ('connector' = 'datagen');\n"
      "CREATE VIEW bids AS SELECT b.id, b.price, at FROM events WHERE kind = 2;\n");
  BOOST_TEST(run("SELECT * FROM bids") == "id BIGINT, price BIGINT, at TIMESTAMP(3) *ROWTIME*");
  BOOST_TEST(run("SELECT events.p.id, p.inner_row.x FROM events") == "id BIGINT, x INT");
  BOOST_TEST(run("SELECT e.b.price FROM events AS e") == "price BIGINT");
  BOOST_TEST(error("SELECT p.name FROM events").find("1:8: column 'p.name' not found") == 0u);
  BOOST_TEST(error("SELECT CAST(kind AS ROW<a INT>) FROM events")
               .find("ROW types are supported as the physical columns of a CREATE TABLE only") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_query_scans_only_the_columns_it_reads) {
  BOOST_TEST(explain("SELECT n FROM gen").find("datagen") == std::string::npos);
  BOOST_TEST(explain("SELECT n FROM gen").find("gen]], fields=[n])") != std::string::npos);
  BOOST_TEST(explain("SELECT * FROM gen").find("gen]], fields=[n, s])") != std::string::npos);
  // Through a view, and with what the WATERMARK and a computed column read.
  BOOST_TEST(explain("SELECT customer FROM big").find("orders]], fields=[customer, amount, ts])") !=
             std::string::npos);
  BOOST_TEST(
    explain("SELECT doubled FROM orders").find("orders]], fields=[amount, ts, doubled])") !=
    std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_window_aggregation_takes_over_its_window_function_when_it_can) {
  // Straight over the function, reading no window column but as group
  // keys: the rows before it, in slices. Otherwise each window's rows.
  auto sliced = [&](const std::string& columns, const std::string& rest) {
    auto plan = explain("SELECT " + columns +
                        " FROM TABLE(HOP(TABLE orders, DESCRIPTOR(ts), INTERVAL '5' SECOND, "
                        "INTERVAL '10' SECOND)) " +
                        rest + " GROUP BY customer, window_start, window_end");
    bool slices = plan.find("window=[HOP(size=[10000 ms], slide=[5000 ms])]") != std::string::npos;
    BOOST_TEST(slices == (plan.find("WindowTableFunction") == std::string::npos), plan);
    return slices;
  };
  BOOST_TEST(sliced("customer, window_end, SUM(amount), COUNT(*)", ""));
  BOOST_TEST(!sliced("customer, COUNT(DISTINCT id)", ""));
  BOOST_TEST(!sliced("customer, MAX(window_time)", ""));
  BOOST_TEST(!sliced("customer, SUM(amount) FILTER (WHERE window_start > ts)", ""));
  BOOST_TEST(!sliced("customer, SUM(amount)", "WHERE window_start IS NOT NULL"));
  BOOST_TEST(
    explain("SELECT window_end, COUNT(*) FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(ts), "
            "INTERVAL '1' MINUTE, INTERVAL '1' HOUR, INTERVAL '30' SECOND)) GROUP BY "
            "window_start, window_end")
      .find("window=[CUMULATE(max_size=[3600000 ms], step=[60000 ms], offset=[30000 "
            "ms])]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_table_read_twice_is_scanned_once) {
  auto count = [](const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
      ++n;
    return n;
  };
  // A view read twice alike: planned once.
  auto self_join = explain("SELECT a.customer FROM big a JOIN big b ON a.id = b.id");
  BOOST_TEST(count(self_join, "TableSourceScan") == 1u, self_join);
  BOOST_TEST(count(self_join, "(reuse_id=[1])") == 1u, self_join);
  BOOST_TEST(count(self_join, "Reused(reference_id=[1])") == 1u, self_join);
  // Other columns read: one scan of them all.
  auto unioned =
    explain("SELECT customer FROM orders UNION ALL SELECT CAST(id AS STRING) FROM orders");
  BOOST_TEST(count(unioned, "TableSourceScan") == 1u, unioned);
  BOOST_TEST(count(unioned, "fields=[id, customer, ts])") == 1u, unioned);
  BOOST_TEST(count(unioned, "Reused(reference_id=[1])") == 1u, unioned);
}

BOOST_AUTO_TEST_CASE(over_aggregations_are_planned_as_flink_plans_them) {
  BOOST_TEST(run("SELECT id, ts, COUNT(*) OVER (PARTITION BY customer ORDER BY ts) AS n, "
                 "MAX(amount) OVER (PARTITION BY customer ORDER BY ts) FROM orders") ==
             "id BIGINT NOT NULL, ts TIMESTAMP(3) *ROWTIME*, n BIGINT NOT NULL, EXPR$3 "
             "DECIMAL(10, 2)");
  auto plan = explain("SELECT id, SUM(amount) OVER (ORDER BY ts ROWS 2 PRECEDING) FROM orders");
  BOOST_TEST(
    plan.find("OverAggregate(partitionBy=[], orderBy=[`ts`], window=[W() OVER (ORDER BY "
              "`ts` ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)], select=[SUM(`amount`)])") !=
      std::string::npos,
    plan);
  auto refused = [&](const std::string& window, const std::string& why) {
    auto e = error("SELECT SUM(amount) OVER (" + window + ") FROM orders");
    BOOST_TEST(e.find(why) != std::string::npos, e);
  };
  refused("PARTITION BY customer ORDER BY id", "an OVER window is ordered by one time attribute "
                                               "ascending (the column of a WATERMARK)");
  refused("ORDER BY ts DESC", "is ordered by one time attribute ascending");
  refused("ORDER BY ts ROWS BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW",
          "a ROWS frame counts rows");
  refused("ORDER BY ts RANGE 3 PRECEDING", "a RANGE frame over time takes an interval");
  refused("ORDER BY ts ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW", "syntax error");
  BOOST_TEST(error("SELECT SUM(amount) OVER (ORDER BY ts), COUNT(*) OVER (PARTITION BY customer "
                   "ORDER BY ts) FROM orders")
               .find("the OVER windows of a query must be the same (as in Flink)") !=
             std::string::npos);
  BOOST_TEST(error("SELECT LAG(id, 0) OVER (ORDER BY ts) FROM orders")
               .find("LAG's offset is a positive whole number") != std::string::npos);
  BOOST_TEST(error("SELECT LAG(id, 1, 'none') OVER (ORDER BY ts) FROM orders")
               .find("LAG's default must have the type of its value (BIGINT NOT NULL), not "
                     "CHAR(4) NOT NULL") != std::string::npos);
  BOOST_TEST(run("SELECT LAG(customer) OVER (ORDER BY ts) AS before FROM orders") ==
             "before STRING");
  BOOST_TEST(error("SELECT COUNT(DISTINCT customer) OVER (ORDER BY ts) FROM orders")
               .find("DISTINCT in an OVER aggregation is not supported yet") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_inner_joins_conditions_on_one_side_filter_that_side_first) {
  auto inner = explain("SELECT a.id FROM orders a JOIN big b ON a.id = b.id WHERE a.amount > 10 "
                       "AND b.customer <> a.customer");
  // The one-sided condition under the join, on its side (the other one is
  // the join's).
  auto join = inner.find("Join(joinType=[InnerJoin]");
  auto filter = inner.find("Calc(where=[(`a`.`amount` > 10)])");
  BOOST_TEST((join != std::string::npos && filter != std::string::npos && join < filter), inner);
  // A LEFT JOIN's WHERE stays above it (it drops padded rows too).
  auto outer = explain("SELECT a.id FROM orders a LEFT JOIN big b ON a.id = b.id WHERE a.amount > "
                       "10");
  BOOST_TEST(
    outer.find("where=[(`a`.`amount` > 10)]") < outer.find("Join(joinType=[LeftOuterJoin]"), outer);
}

BOOST_AUTO_TEST_CASE(bad_ddl_is_refused_where_it_is_wrong) {
  BOOST_TEST(error("CREATE TABLE t (a INT, a STRING) WITH ('connector' = 'print')") ==
             "1:24: the column 'a' is declared twice");
  BOOST_TEST(error("CREATE TABLE t (a INT)") ==
             "1:1: the table 't' has no 'connector' option: expected WITH ('connector' = '...', "
             "...)");
  BOOST_TEST(error("CREATE TABLE t (a INT, WATERMARK FOR a AS a) WITH ('connector' = 'x')")
               .find("the rowtime column 'a' must be TIMESTAMP(3)") != std::string::npos);
  BOOST_TEST(error("CREATE TABLE t (a INT, b AS c + 1) WITH ('connector' = 'x')")
               .find("1:29: column 'c' not found") == 0u);
  BOOST_TEST(error("CREATE TABLE orders (a INT) WITH ('connector' = 'x')") ==
             "1:1: a table or view named 'orders' exists already");
  BOOST_TEST(
    error("CREATE TABLE t (a FOO) WITH ('connector' = 'x')").find("1:19: unknown type FOO") == 0u);
}

BOOST_AUTO_TEST_CASE(bad_queries_are_refused_before_anything_runs) {
  BOOST_TEST(error("SELECT * FROM nope") ==
             "1:15: object 'nope' not found: no table or view has that name");
  BOOST_TEST(error("SELECT customer, amount FROM orders GROUP BY customer") ==
             "1:18: expression '`amount`' is not being grouped: group by it, or aggregate it");
  BOOST_TEST(error("INSERT INTO out_csv SELECT customer, SUM(amount) FROM orders GROUP BY customer")
               .find("1:1: table sink 'out_csv' (filesystem) does not support consuming update "
                     "changes") == 0u);
  BOOST_TEST(error("INSERT INTO out_print SELECT customer, SUM(amount) FROM orders GROUP BY "
                   "customer") == "no error");
  BOOST_TEST(error("INSERT INTO out_print SELECT customer FROM orders")
               .find("1:1: column types of query result and sink for 'out_print' do not match: "
                     "different number of columns") == 0u);
  BOOST_TEST(error("INSERT INTO out_print SELECT customer, ts FROM orders") ==
             "1:1: incompatible types for sink column 'total' at position 1: the query gives "
             "TIMESTAMP(3) *ROWTIME*, the column is DECIMAL(18, 2)");
  BOOST_TEST(error("SELECT * FROM TABLE(TUMBLE(TABLE gen, DESCRIPTOR(s), INTERVAL '1' SECOND))")
               .find("the window function requires the time column 's' to be a time attribute") !=
             std::string::npos);
  // A column no query reads is checked all the same.
  BOOST_TEST(error("CREATE TABLE g3 (n INT, s STRING) WITH ('connector' = 'datagen', "
                   "'fields.s.length' = '-1'); SELECT n FROM g3")
               .find("expected a length of at least 0") != std::string::npos);
  BOOST_TEST(error("CREATE TABLE g2 (n INT) WITH ('connector' = 'datagen', 'rows-per-sec' = "
                   "'5'); SELECT * FROM g2")
               .find("unsupported option 'rows-per-sec' for the connector 'datagen' of table "
                     "'g2'") != std::string::npos);
  BOOST_TEST(error("SELECT * FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM orders)")
               .find("ROW_NUMBER() OVER needs a bound on its result in the outer query (WHERE rn "
                     "<= N)") != std::string::npos);
  BOOST_TEST(
    error("SELECT * FROM (SELECT LEAD(id) OVER (ORDER BY id) AS r FROM orders) WHERE r < 2")
      .find("LEAD() OVER is not supported yet: aggregate functions, LAG(), ROW_NUMBER(), "
            "RANK() and DENSE_RANK() are") != std::string::npos);
  BOOST_TEST(run("SELECT * FROM (SELECT customer, ROW_NUMBER() OVER (PARTITION BY customer ORDER "
                 "BY ts DESC) AS rn FROM orders) WHERE rn <= 3") ==
             "customer STRING, rn BIGINT NOT NULL");
  BOOST_TEST(error("SELECT customer, window_start, COUNT(*) FROM TABLE(SESSION(TABLE orders "
                   "PARTITION BY id, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY customer, "
                   "window_start, window_end")
               .find("groups by window_start, window_end and exactly SESSION's PARTITION BY "
                     "columns") != std::string::npos);
  BOOST_TEST(error("SELECT * FROM TABLE(SESSION(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' "
                   "MINUTE))")
               .find("SESSION windows are aggregated") != std::string::npos);
  BOOST_TEST(run("SELECT customer, TUMBLE_END(ts, INTERVAL '1' HOUR) AS e, COUNT(*) FROM orders "
                 "GROUP BY customer, TUMBLE(ts, INTERVAL '1' HOUR)") ==
             "customer STRING, e TIMESTAMP(3) NOT NULL, EXPR$2 BIGINT NOT NULL");
  BOOST_TEST(error("CREATE TABLE k1 (a STRING) WITH ('connector' = 'upsert-kafka', 'topic' = 't', "
                   "'properties.bootstrap.servers' = 'b:9092', 'key.format' = 'raw', "
                   "'value.format' = 'json'); SELECT * FROM k1")
               .find("the upsert-kafka connector needs a PRIMARY KEY") != std::string::npos);
  BOOST_TEST(error("CREATE TABLE k2 (a STRING, n BIGINT) WITH ('connector' = 'kafka', 'topic' = "
                   "'t', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json'); INSERT "
                   "INTO k2 SELECT customer, COUNT(*) FROM orders GROUP BY customer")
               .find("(kafka) does not support consuming update changes") != std::string::npos);
  BOOST_TEST(error("CREATE TABLE k3 (a STRING) WITH ('connector' = 'kafka', 'topic' = 't', "
                   "'properties.bootstrap.servers' = 'b:9092', 'format' = 'xml'); SELECT * FROM k3")
               .find("option 'format': expected one of 'csv', 'json', 'raw', got 'xml'") !=
             std::string::npos);
  BOOST_TEST(run("CREATE TABLE k4 (a STRING, t TIMESTAMP_LTZ(3) METADATA FROM 'timestamp') WITH "
                 "('connector' = 'kafka', 'topic' = 't', 'properties.bootstrap.servers' = "
                 "'b:9092', 'properties.linger.ms' = '5', 'format' = 'raw', 'scan.startup.mode' = "
                 "'earliest-offset'); SELECT * FROM k4") == "a STRING, t TIMESTAMP_LTZ(3)");
  BOOST_TEST(error("SELECT * FROM orders ORDER BY id") ==
             "1:31: ORDER BY in a streaming query must start with a time attribute ascending (the "
             "column of a WATERMARK), or come with a LIMIT");
  BOOST_TEST(error("SELECT * FROM orders ORDER BY ts DESC") ==
             "1:31: ORDER BY in a streaming query must start with a time attribute ascending (the "
             "column of a WATERMARK), or come with a LIMIT");
  BOOST_TEST(run("SELECT id, ts FROM orders ORDER BY ts, id") ==
             "id BIGINT NOT NULL, ts TIMESTAMP(3) *ROWTIME*");
  BOOST_TEST(error("SELECT a.id FROM orders a JOIN gen b ON a.id > b.n")
               .find("1:27: a join needs an equality condition between its two sides") == 0u);
  BOOST_TEST(run("SELECT a.id, b.s FROM orders a LEFT JOIN gen b ON a.id = b.n") ==
             "id BIGINT NOT NULL, s STRING");
  BOOST_TEST(run("SELECT a.id, b.n FROM orders a RIGHT JOIN gen b ON a.id = b.n") ==
             "id BIGINT, n INT");
  BOOST_TEST(error("SELECT SUM(customer) FROM orders") == "1:8: SUM expects a number, got STRING");
}

BOOST_AUTO_TEST_CASE(time_bounds_make_an_interval_join) {
  run("CREATE TABLE ships (oid BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH "
      "('connector' = 'filesystem', 'path' = '/nonexistent/s', 'format' = 'csv')");
  auto plan = [&](const std::string& query) {
    auto statements = parse_script("EXPLAIN " + query);
    return s.explain(*std::get<std::shared_ptr<const explain_statement>>(statements.at(0).body));
  };
  auto bounded = plan("SELECT o.id FROM orders o JOIN ships s ON o.id = s.oid AND s.ts BETWEEN "
                      "o.ts - INTERVAL '1' SECOND AND o.ts + INTERVAL '1' MINUTE");
  BOOST_TEST(bounded.find("IntervalJoin(joinType=[InnerJoin], where=[(`o`.`id` = `s`.`oid`)], "
                          "leftLowerBound=-60000, leftUpperBound=1000)") != std::string::npos,
             bounded);
  auto outer = plan("SELECT o.id FROM orders o LEFT JOIN ships s ON o.id = s.oid AND s.ts BETWEEN "
                    "o.ts AND o.ts + INTERVAL '1' MINUTE");
  BOOST_TEST(outer.find("IntervalJoin(joinType=[LeftOuterJoin]") != std::string::npos, outer);
  auto strict = plan("SELECT o.id FROM orders o, ships s WHERE o.id = s.oid AND o.ts > s.ts AND "
                     "o.ts < s.ts + INTERVAL '2' SECOND");
  BOOST_TEST(strict.find("leftLowerBound=1, leftUpperBound=1999") != std::string::npos, strict);
  // One bound only: a regular join.
  auto open_ended = plan("SELECT o.id FROM orders o JOIN ships s ON o.id = s.oid AND o.ts > s.ts");
  BOOST_TEST(open_ended.find("Join(joinType=[InnerJoin]") != std::string::npos, open_ended);
}

BOOST_AUTO_TEST_SUITE_END()

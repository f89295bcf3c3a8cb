// Flink SQL through the flink-cpp binary: scripts run as the built-in `sql`
// job (`run -t local sql --file`) and through `sql-client -f`, on both state
// backends and at several parallelisms; results against references computed
// here, changelogs against Flink's for the same input, bad scripts refused
// with line and column before anything runs.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "support/kafka_cluster.hpp"
#include "support/local_cluster.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// "2020-04-15 08:05:01.5" for ms since the epoch (Flink's csv format).
std::string sql_timestamp(std::int64_t ms) {
  auto seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &utc);
  std::string out = buf;
  if (auto fraction = ms % 1000; fraction != 0) {
    auto digits = std::to_string(1000 + fraction).substr(1);
    while (digits.back() == '0')
      digits.pop_back();
    out += "." + digits;
  }
  return out;
}

/// As the print connector writes a TIMESTAMP: "2020-04-15T08:05", seconds
/// only when not zero (the times here are whole seconds).
std::string iso_timestamp(std::int64_t ms) {
  auto text = sql_timestamp(ms).replace(10, 1, "T");
  return text.substr(text.size() - 3) == ":00" ? text.substr(0, text.size() - 3) : text;
}

std::string cents(std::int64_t c) {
  return std::to_string(c / 100) + "." + std::to_string(100 + c % 100).substr(1);
}

struct order {
  std::int64_t id;
  std::string customer;
  std::int64_t cents;
  std::int64_t ts;
};

/// Orders over ten minutes, out of order by less than the watermark's 5 s.
std::vector<order> make_orders(int n) {
  std::mt19937_64 random{42};
  std::vector<order> out;
  const std::int64_t start = 1586937600000; // 2020-04-15 08:00:00
  for (std::int64_t i = 0; i < n; ++i) {
    auto ts = start + i * 600'000 / n + static_cast<std::int64_t>(random() % 4000);
    out.push_back(
      {i, "c" + std::to_string(random() % 7), static_cast<std::int64_t>(random() % 100000), ts});
  }
  return out;
}

std::string orders_csv(const std::vector<order>& orders) {
  std::string out;
  for (const auto& o : orders)
    out += std::to_string(o.id) + "," + o.customer + "," + cents(o.cents) + "," +
           sql_timestamp(o.ts) + "\n";
  return out;
}

/// Per customer and 10-second tumbling window: count, sum and max amount.
std::vector<std::string> window_totals(const std::vector<order>& orders) {
  std::map<std::tuple<std::string, std::int64_t>,
           std::tuple<std::int64_t, std::int64_t, std::int64_t>>
    windows;
  for (const auto& o : orders) {
    auto& [count, sum, max] = windows[{o.customer, o.ts - o.ts % 10000}];
    ++count;
    sum += o.cents;
    max = std::max(max, o.cents);
  }
  std::vector<std::string> out;
  for (const auto& [key, v] : windows) {
    const auto& [customer, start] = key;
    const auto& [count, sum, max] = v;
    out.push_back(customer + "," + sql_timestamp(start) + "," + sql_timestamp(start + 10000) + "," +
                  std::to_string(count) + "," + cents(sum) + "," + cents(max));
  }
  return sorted(out);
}

/// The orders table over the CSV file `in`, with a 5-second watermark.
std::string orders_table(const std::string& in) {
  return "CREATE TABLE orders (\n"
         "  id BIGINT, customer STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3),\n"
         "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n"
         ") WITH ('connector' = 'filesystem', 'path' = '" +
         in + "', 'format' = 'csv');\n";
}

std::string window_script(const std::string& in, const std::string& out) {
  return "-- totals per customer and 10-second window\n" + orders_table(in) +
         "CREATE TABLE totals (\n"
         "  customer STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),\n"
         "  orders BIGINT, total DECIMAL(18, 2), biggest DECIMAL(10, 2)\n"
         ") WITH ('connector' = 'filesystem', 'path' = '" +
         out +
         "', 'format' = 'csv');\n"
         "INSERT INTO totals\n"
         "SELECT customer, window_start, window_end, COUNT(*), SUM(amount), MAX(amount)\n"
         "FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))\n"
         "GROUP BY customer, window_start, window_end;\n";
}

const char* const clicks_csv =
  "Mary,./home\nBob,./cart\nMary,./prod?id=1\nLiz,./home\nBob,./prod?id=3\n";

std::string clicks_table(const std::string& path) {
  return "CREATE TABLE clicks (user_name STRING, url STRING) WITH ('connector' = 'filesystem', "
         "'path' = '" +
         path + "', 'format' = 'csv');\n";
}

/// One-second tumbling windows over a datagen sequence 1..rows, one row
/// every 100 ms of event time, at `rate` rows per second.
std::string sequence_windows_script(int rows, int rate, const std::string& out) {
  return "CREATE TABLE gen (\n"
         "  n BIGINT,\n"
         "  ts AS TO_TIMESTAMP_LTZ(n * 100, 3),\n"
         "  WATERMARK FOR ts AS ts\n"
         ") WITH ('connector' = 'datagen', 'fields.n.kind' = 'sequence', 'fields.n.start' = '1',\n"
         "  'fields.n.end' = '" +
         std::to_string(rows) + "', 'rows-per-second' = '" + std::to_string(rate) +
         "');\n"
         "CREATE TABLE sums (window_end TIMESTAMP(3), cnt BIGINT, total BIGINT)\n"
         "  WITH ('connector' = 'filesystem', 'path' = '" +
         out +
         "', 'format' = 'csv');\n"
         "INSERT INTO sums SELECT window_end, COUNT(*), SUM(n)\n"
         "FROM TABLE(TUMBLE(TABLE gen, DESCRIPTOR(ts), INTERVAL '1' SECOND))\n"
         "GROUP BY window_start, window_end;\n";
}

/// What sequence_windows_script writes: window [k s, k+1 s) holds n with
/// n * 100 ms in it.
std::vector<std::string> sequence_windows(int rows) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> windows;
  for (std::int64_t n = 1; n <= rows; ++n) {
    auto& [count, sum] = windows[n * 100 / 1000];
    ++count;
    sum += n;
  }
  std::vector<std::string> out;
  for (const auto& [k, v] : windows)
    out.push_back(sql_timestamp((k + 1) * 1000) + "," + std::to_string(v.first) + "," +
                  std::to_string(v.second));
  return sorted(out);
}

struct sql_cluster {
  temp_dir dir;
  local_cluster cluster{
    {"execution.checkpointing.interval=100ms", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "state.savepoints.dir=" + dir.file("savepoints"), "restart-strategy.type=fixed-delay",
     "restart-strategy.fixed-delay.attempts=100", "restart-strategy.fixed-delay.delay=10ms"}};
  std::vector<std::size_t> alive;

  sql_cluster() {
    cluster.start_jobmanager();
    alive = {cluster.start_taskmanager(2), cluster.start_taskmanager(2)};
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  }

  /// Submits `script` (written to a file) detached; returns the job's id.
  std::string submit(const std::string& script, std::vector<std::string> options = {}) {
    write_file(dir.file("job.sql"), script);
    std::vector<std::string> args{"run", "-m", cluster.rest_address(), "-d"};
    args.insert(args.end(), options.begin(), options.end());
    for (const char* a : {"sql", "--file"})
      args.emplace_back(a);
    args.push_back(dir.file("job.sql"));
    auto r = run_flink_cpp(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return submitted_job_id(r);
  }

  std::string state(const std::string& job) {
    return cluster.get("/jobs/" + job).second.value("state", std::string{});
  }
};

/// A line the print connector wrote, without its subtask's prefix ("N> ").
std::string without_subtask(const std::string& line) {
  auto at = line.find("> ");
  return at == std::string::npos ? line : line.substr(at + 2);
}

/// Runs the SQL script at `path` as the `sql` job in the embedded
/// mini-cluster, at `parallelism`, on `backend`.
process_result run_sql(const std::string& path, const std::string& parallelism = "1",
                       const std::string& backend = "hashmap") {
  return run_flink_cpp({"run", "-t", "local", "-p", parallelism, "-D",
                        "state.backend.type=" + backend, "sql", "--file", path});
}

/// The lines the script at `path` prints, without subtask prefixes, on the
/// hashmap backend; the LevelDB backend must print the same (`sorted`:
/// compared, and returned, in sorted order).
std::vector<std::string> run_on_both_backends(const std::string& path,
                                              const std::string& parallelism, bool sort) {
  std::vector<std::string> outputs[2];
  for (int i = 0; i < 2; ++i) {
    auto r = run_sql(path, parallelism, i == 0 ? "hashmap" : "leveldb");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    for (const auto& line : lines_of(r.out))
      outputs[i].push_back(without_subtask(line));
    if (sort)
      outputs[i] = sorted(outputs[i]);
  }
  BOOST_TEST(outputs[1] == outputs[0], "leveldb differs: " << path);
  return outputs[0];
}

/// Bids of items a and b at seconds 1, 3, 4, 20, 6, 14, 30: out of order
/// within a 10-second watermark bound.
const char* const late_bids_csv =
  "1,a,10,2020-01-01 00:00:01\n2,a,30,2020-01-01 00:00:03\n3,b,5,2020-01-01 00:00:04\n"
  "4,a,20,2020-01-01 00:00:20\n5,b,7,2020-01-01 00:00:06\n6,a,40,2020-01-01 00:00:14\n"
  "7,b,1,2020-01-01 00:00:30\n";

/// The bids table over the CSV file `path`, its watermark `watermark`.
std::string bids_table(const std::string& path, const std::string& watermark) {
  return "CREATE TABLE bids (id INT, item STRING, price INT, ts TIMESTAMP(3),\n"
         "  WATERMARK FOR ts AS " +
         watermark + ") WITH ('connector' = 'filesystem', 'path' = '" + path +
         "', 'format' = 'csv');\n";
}

/// What `query` prints over the bids table of the CSV lines `bids`
/// (watermark at ts) at -p 1 on both backends (which must agree), in order.
std::vector<std::string> over_bids(const temp_dir& dir, const std::string& bids,
                                   const std::string& query) {
  write_file(dir.file("bids.csv"), bids);
  write_file(dir.file("job.sql"), bids_table(dir.file("bids.csv"), "ts") + query);
  return run_on_both_backends(dir.file("job.sql"), "1", false);
}

/// Queries over the bids of late_bids_csv (and `more` lines), the watermark
/// 10 s behind, at -p 2 on both backends (which must agree): their rows,
/// sorted.
class late_bids {
public:
  explicit late_bids(const std::string& more = "") {
    write_file(dir_.file("bids.csv"), late_bids_csv + more);
    table_ = bids_table(dir_.file("bids.csv"), "ts - INTERVAL '10' SECOND");
  }

  std::vector<std::string> run(const std::string& query) {
    write_file(dir_.file("job.sql"), table_ + query);
    return run_on_both_backends(dir_.file("job.sql"), "2", true);
  }

private:
  temp_dir dir_;
  std::string table_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(sql_jobs)

BOOST_AUTO_TEST_CASE(a_windowed_aggregation_from_csv_to_csv_is_exact) {
  auto orders = make_orders(3000);
  auto expected = window_totals(orders);
  for (const char* backend : {"hashmap", "leveldb"}) {
    for (const char* parallelism : {"1", "2"}) {
      temp_dir dir;
      write_file(dir.file("orders.csv"), orders_csv(orders));
      write_file(dir.file("job.sql"), window_script(dir.file("orders.csv"), dir.file("out")));
      auto r = run_sql(dir.file("job.sql"), parallelism, backend);
      BOOST_TEST_REQUIRE(r.exit_code == 0, backend << " -p " << parallelism << ": " << r.err);
      BOOST_TEST(sorted(output_lines(dir.file("out"))) == expected,
                 backend << " -p " << parallelism);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_group_by_prints_flinks_changelog) {
  temp_dir dir;
  write_file(dir.file("clicks.csv"), clicks_csv);
  write_file(dir.file("job.sql"),
             clicks_table(dir.file("clicks.csv")) +
               "CREATE TABLE counts (user_name STRING, cnt BIGINT) WITH ('connector' = 'print');\n"
               "INSERT INTO counts SELECT user_name, COUNT(url) AS cnt FROM clicks GROUP BY "
               "user_name;\n");
  for (const char* backend : {"hashmap", "leveldb"}) {
    auto r = run_sql(dir.file("job.sql"), "1", backend);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    // As Flink's documentation shows this query's changelog.
    BOOST_TEST(lines_of(r.out) == (std::vector<std::string>{
                                    "+I[Mary, 1]", "+I[Bob, 1]", "-U[Mary, 1]", "+U[Mary, 2]",
                                    "+I[Liz, 1]", "-U[Bob, 1]", "+U[Bob, 2]"}),
               backend);
  }
}

BOOST_AUTO_TEST_CASE(an_aggregation_of_a_changelog_retracts_and_deletes) {
  temp_dir dir;
  // Liz's second click takes the last user out of the group cnt = 1.
  write_file(dir.file("clicks.csv"), std::string{clicks_csv} + "Liz,./cart\n");
  write_file(dir.file("job.sql"),
             clicks_table(dir.file("clicks.csv")) +
               "SET 'parallelism.default' = '1';\n"
               "SELECT cnt, COUNT(*) AS users FROM (\n"
               "  SELECT user_name, COUNT(*) AS cnt FROM clicks GROUP BY user_name\n"
               ") GROUP BY cnt HAVING COUNT(*) < 3;\n");
  auto r = run_sql(dir.file("job.sql"));
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  // HAVING filters each change on its own, as Flink's Calc does: the -U of
  // [2, 2] passes, the +U of [2, 3] does not.
  BOOST_TEST(lines_of(r.out) ==
             (std::vector<std::string>{"+I[1, 1]", "-U[1, 1]", "+U[1, 2]", "-U[1, 2]", "+U[1, 1]",
                                       "+I[2, 1]", "-U[1, 1]", "+U[1, 2]", "-U[1, 2]", "+U[1, 1]",
                                       "-U[2, 1]", "+U[2, 2]", "-D[1, 1]", "-U[2, 2]"}));
}

BOOST_AUTO_TEST_CASE(outer_joins_retract_padded_rows_and_end_exact) {
  // 60 users, 400 orders of users 1..70 (some without a user), joined where
  // the order's amount is above 10: what the changelog leaves equals the
  // full outer join computed here, whatever order the two inputs interleave
  // in.
  std::mt19937_64 random{7};
  std::string users;
  std::string orders;
  std::map<int, std::vector<std::pair<int, int>>> orders_of; // uid -> (oid, amount)
  for (int u = 1; u <= 60; ++u)
    users += std::to_string(u) + ",user" + std::to_string(u) + "\n";
  for (int o = 1; o <= 400; ++o) {
    auto uid = static_cast<int>(random() % 70) + 1;
    auto amount = static_cast<int>(random() % 20);
    orders += std::to_string(o) + "," + std::to_string(uid) + "," + std::to_string(amount) + "\n";
    orders_of[uid].emplace_back(o, amount);
  }
  std::vector<std::string> expected;
  std::map<int, bool> order_matched;
  for (int u = 1; u <= 60; ++u) {
    bool matched = false;
    for (auto [o, amount] : orders_of[u])
      if (amount > 10) {
        expected.push_back("user" + std::to_string(u) + ", " + std::to_string(o));
        matched = order_matched[o] = true;
      }
    if (!matched)
      expected.push_back("user" + std::to_string(u) + ", null");
  }
  for (const auto& [uid, list] : orders_of)
    for (auto [o, amount] : list)
      if (!order_matched[o])
        expected.push_back("null, " + std::to_string(o));
  temp_dir dir;
  write_file(dir.file("users.csv"), users);
  write_file(dir.file("orders.csv"), orders);
  write_file(dir.file("job.sql"),
             "CREATE TABLE users (id INT, name STRING) WITH ('connector' = 'filesystem',\n"
             "  'path' = '" +
               dir.file("users.csv") +
               "', 'format' = 'csv');\n"
               "CREATE TABLE orders (oid INT, uid BIGINT, amount INT) WITH (\n"
               "  'connector' = 'filesystem', 'path' = '" +
               dir.file("orders.csv") +
               "', 'format' = 'csv');\n"
               "SELECT u.name, o.oid FROM users u FULL OUTER JOIN orders o\n"
               "  ON o.uid = u.id AND o.amount > 10;\n");
  for (const char* backend : {"hashmap", "leveldb"}) {
    auto r = run_sql(dir.file("job.sql"), "2", backend);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    std::multiset<std::string> result;
    for (auto line : lines_of(r.out)) {
      line = without_subtask(line);
      auto fields = line.substr(3, line.size() - 4);
      if (line[0] == '+') {
        result.insert(fields);
      } else {
        auto it = result.find(fields);
        BOOST_TEST_REQUIRE((it != result.end()), "retracted before added: " << line);
        result.erase(it);
      }
    }
    BOOST_TEST(sorted(std::vector<std::string>(result.begin(), result.end())) == sorted(expected),
               backend);
  }
}

BOOST_AUTO_TEST_CASE(top_n_and_deduplication_emit_flinks_changelogs) {
  temp_dir dir;
  auto run = [&](const std::string& query) {
    return over_bids(dir,
                     "1,a,10,2020-01-01 00:00:01\n2,a,30,2020-01-01 00:00:02\n"
                     "3,b,5,2020-01-01 00:00:03\n4,a,20,2020-01-01 00:00:04\n"
                     "5,b,7,2020-01-01 00:00:05\n6,a,40,2020-01-01 00:00:06\n",
                     query);
  };
  // The top 2 prices per item with their rank: ranks that change are
  // updated, a new rank inserted.
  BOOST_TEST(run("SELECT * FROM (SELECT item, price, ROW_NUMBER() OVER (PARTITION BY item "
                 "ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 2;") ==
             (std::vector<std::string>{
               "+I[a, 10, 1]", "-U[a, 10, 1]", "+U[a, 30, 1]", "+I[a, 10, 2]", "+I[b, 5, 1]",
               "-U[a, 10, 2]", "+U[a, 20, 2]", "-U[b, 5, 1]", "+U[b, 7, 1]", "+I[b, 5, 2]",
               "-U[a, 30, 1]", "+U[a, 40, 1]", "-U[a, 20, 2]", "+U[a, 30, 2]"}));
  // Without the rank: rows enter and leave.
  BOOST_TEST(run("SELECT item, price FROM (SELECT item, price, ROW_NUMBER() OVER (PARTITION BY "
                 "item ORDER BY price DESC) AS rn FROM bids) WHERE rn < 3;") ==
             (std::vector<std::string>{"+I[a, 10]", "+I[a, 30]", "+I[b, 5]", "-D[a, 10]",
                                       "+I[a, 20]", "+I[b, 7]", "-D[a, 20]", "+I[a, 40]"}));
  // Deduplication by a time attribute: the last row updates, the first
  // stays (append-only).
  BOOST_TEST(
    run("SELECT id, item FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY item ORDER BY "
        "ts DESC) AS rn FROM bids) WHERE rn = 1;") ==
    (std::vector<std::string>{"+I[1, a]", "-U[1, a]", "+U[2, a]", "+I[3, b]", "-U[2, a]",
                              "+U[4, a]", "-U[3, b]", "+U[5, b]", "-U[4, a]", "+U[6, a]"}));
  BOOST_TEST(run("SELECT id, item FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY item ORDER BY "
                 "ts) AS rn FROM bids) WHERE 1 >= rn;") ==
             (std::vector<std::string>{"+I[1, a]", "+I[3, b]"}));
}

BOOST_AUTO_TEST_CASE(a_top_n_over_a_changelog_lets_the_next_row_in) {
  // The top 2 items by their total, which a GROUP BY updates: a row whose
  // total is retracted leaves, the next one enters (Flink's
  // RetractableTopN).
  temp_dir dir;
  auto run = [&](const std::string& columns) {
    return over_bids(dir,
                     "1,a,10,2020-01-01 00:00:01\n2,b,20,2020-01-01 00:00:02\n"
                     "3,c,15,2020-01-01 00:00:03\n4,a,15,2020-01-01 00:00:04\n"
                     "5,c,10,2020-01-01 00:00:05\n6,b,1,2020-01-01 00:00:06\n",
                     "SELECT " + columns +
                       " FROM (SELECT item, total, ROW_NUMBER() OVER (ORDER BY total DESC) AS rn\n"
                       "  FROM (SELECT item, SUM(price) AS total FROM bids GROUP BY item))\n"
                       "WHERE rn <= 2;\n");
  };
  BOOST_TEST(run("*") == (std::vector<std::string>{"+I[a, 10, 1]", "-U[a, 10, 1]", "+U[b, 20, 1]",
                                                   "+I[a, 10, 2]", "-U[a, 10, 2]", "+U[c, 15, 2]",
                                                   "-U[b, 20, 1]", "+U[a, 25, 1]", "-U[c, 15, 2]",
                                                   "+U[b, 20, 2]", "-U[b, 20, 2]", "+U[c, 25, 2]"}),
             boost::test_tools::per_element());
  BOOST_TEST(run("item, total") ==
               (std::vector<std::string>{"+I[a, 10]", "+I[b, 20]", "-D[a, 10]", "+I[c, 15]",
                                         "-D[c, 15]", "+I[a, 25]", "-D[b, 20]", "+I[c, 25]"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rank_and_dense_rank_number_ties_alike) {
  // Prices 20, 30, 20, 10, 30 in that order: RANK numbers them 1, 1, 3, 3
  // (its top 3 keeps both 20s), DENSE_RANK 1, 1, 2, 2, 3.
  temp_dir dir;
  auto run = [&](const std::string& function, const std::string& columns) {
    return over_bids(dir,
                     "1,a,20,2020-01-01 00:00:01\n2,a,30,2020-01-01 00:00:02\n"
                     "3,a,20,2020-01-01 00:00:03\n4,a,10,2020-01-01 00:00:04\n"
                     "5,a,30,2020-01-01 00:00:05\n",
                     "SELECT " + columns + " FROM (SELECT id, price, " + function +
                       "() OVER (PARTITION BY item ORDER BY price DESC) AS r FROM bids) WHERE "
                       "r <= 3;");
  };
  BOOST_TEST(
    run("RANK", "id, price, r") ==
      (std::vector<std::string>{"+I[1, 20, 1]",                 // 20
                                "-U[1, 20, 1]", "+U[2, 30, 1]", // 30 20
                                "+I[1, 20, 2]",                 //
                                "+I[3, 20, 2]",                 // 30 20 20
                                "-U[1, 20, 2]", "+U[5, 30, 1]", // 30 30 20 20: the 20s third
                                "-U[3, 20, 2]", "+U[1, 20, 3]", //
                                "+I[3, 20, 3]"}),
    boost::test_tools::per_element());
  BOOST_TEST(
    run("DENSE_RANK", "id, price") ==
      (std::vector<std::string>{"+I[1, 20]", "+I[2, 30]", "+I[3, 20]", "+I[4, 10]", "+I[5, 30]"}),
    boost::test_tools::per_element());
  BOOST_TEST(run("RANK", "id") == (std::vector<std::string>{"+I[1]", "+I[2]", "+I[3]", "+I[5]"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(session_windows_and_group_windows_aggregate_as_flink) {
  // a at 14 is late by 6 s, within the 10 s bound.
  late_bids bids;
  auto run = [&](const std::string& query) { return bids.run(query); };
  // Sessions of 5 s per item: [1, 3] merge, [4, 6] merge, the rest alone.
  std::vector<std::string> sessions = {"+I[a, 2020-01-01T00:00:01, 2020-01-01T00:00:08, 2, 40]",
                                       "+I[a, 2020-01-01T00:00:14, 2020-01-01T00:00:19, 1, 40]",
                                       "+I[a, 2020-01-01T00:00:20, 2020-01-01T00:00:25, 1, 20]",
                                       "+I[b, 2020-01-01T00:00:04, 2020-01-01T00:00:11, 2, 12]",
                                       "+I[b, 2020-01-01T00:00:30, 2020-01-01T00:00:35, 1, 1]"};
  BOOST_TEST(run("SELECT item, window_start, window_end, COUNT(*), SUM(price) FROM "
                 "TABLE(SESSION(TABLE bids PARTITION BY item, DESCRIPTOR(ts), INTERVAL '5' "
                 "SECOND)) GROUP BY item, window_start, window_end;") == sessions);
  BOOST_TEST(run("SELECT item, SESSION_START(ts, INTERVAL '5' SECOND), SESSION_END(ts, INTERVAL "
                 "'5' SECOND), COUNT(*), SUM(price) FROM bids GROUP BY item, SESSION(ts, "
                 "INTERVAL '5' SECOND);") == sessions);
  // DISTINCT calls over merging sessions: the values of both sides, once.
  BOOST_TEST(
    run("SELECT window_start, COUNT(DISTINCT item), SUM(DISTINCT price / 10), COUNT(*) FROM "
        "TABLE(SESSION(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, "
        "window_end;") == (std::vector<std::string>{"+I[2020-01-01T00:00:01, 2, 4, 4]",
                                                    "+I[2020-01-01T00:00:14, 1, 4, 1]",
                                                    "+I[2020-01-01T00:00:20, 1, 2, 1]",
                                                    "+I[2020-01-01T00:00:30, 1, 0, 1]"}));
  // Sessions over all rows: a and b's first rows touch.
  BOOST_TEST(
    run("SELECT window_start, COUNT(*) FROM TABLE(SESSION(TABLE bids, DESCRIPTOR(ts), "
        "INTERVAL '5' SECOND)) GROUP BY window_start, window_end;") ==
    (std::vector<std::string>{"+I[2020-01-01T00:00:01, 4]", "+I[2020-01-01T00:00:14, 1]",
                              "+I[2020-01-01T00:00:20, 1]", "+I[2020-01-01T00:00:30, 1]"}));
  BOOST_TEST(run("SELECT item, TUMBLE_START(ts, INTERVAL '10' SECOND), TUMBLE_ROWTIME(ts, "
                 "INTERVAL '10' SECOND), MAX(price) FROM bids GROUP BY TUMBLE(ts, INTERVAL '10' "
                 "SECOND), item;") ==
             (std::vector<std::string>{"+I[a, 2020-01-01T00:00, 2020-01-01T00:00:09.999, 30]",
                                       "+I[a, 2020-01-01T00:00:10, 2020-01-01T00:00:19.999, 40]",
                                       "+I[a, 2020-01-01T00:00:20, 2020-01-01T00:00:29.999, 20]",
                                       "+I[b, 2020-01-01T00:00, 2020-01-01T00:00:09.999, 7]",
                                       "+I[b, 2020-01-01T00:00:30, 2020-01-01T00:00:39.999, 1]"}));
  BOOST_TEST(
    run("SELECT HOP_END(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND), COUNT(*) FROM "
        "bids GROUP BY HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND);") ==
    (std::vector<std::string>{"+I[2020-01-01T00:00:05, 3]", "+I[2020-01-01T00:00:10, 4]",
                              "+I[2020-01-01T00:00:15, 2]", "+I[2020-01-01T00:00:20, 1]",
                              "+I[2020-01-01T00:00:25, 1]", "+I[2020-01-01T00:00:30, 1]",
                              "+I[2020-01-01T00:00:35, 1]", "+I[2020-01-01T00:00:40, 1]"}));
}

BOOST_AUTO_TEST_CASE(over_aggregations_aggregate_each_rows_window_in_time_order) {
  // Per item, in time order (out of order by up to 6 s, within the
  // watermark's 10 s): a at 1 (10), 3 (30), 14 (40 and 5: peers), 20 (20);
  // b at 4 (5), 6 (7), 30 (1).
  late_bids bids{"8,a,5,2020-01-01 00:00:14\n"};
  auto run = [&](const std::string& window, const std::string& aggregates) {
    return bids.run("SELECT id, " + aggregates + " OVER (PARTITION BY item ORDER BY ts" + window +
                    ") FROM bids;");
  };
  using rows = std::vector<std::string>;
  // RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (the default): peers
  // alike.
  BOOST_TEST(run("", "COUNT(*) OVER (PARTITION BY item ORDER BY ts), SUM(price)") ==
               (rows{"+I[1, 1, 10]", "+I[2, 2, 40]", "+I[3, 1, 5]", "+I[4, 5, 105]", "+I[5, 2, 12]",
                     "+I[6, 4, 85]", "+I[7, 3, 13]", "+I[8, 4, 85]"}),
             boost::test_tools::per_element());
  // ROWS: each row up to itself, in arrival order among peers.
  BOOST_TEST(run(" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", "SUM(price)") ==
               (rows{"+I[1, 10]", "+I[2, 40]", "+I[3, 5]", "+I[4, 105]", "+I[5, 12]", "+I[6, 80]",
                     "+I[7, 13]", "+I[8, 85]"}),
             boost::test_tools::per_element());
  BOOST_TEST(bids.run("SELECT id, MAX(price) OVER w FROM bids WINDOW w AS (PARTITION BY item "
                      "ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW);") ==
             run(" ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "MAX(price)"));
  BOOST_TEST(run(" ROWS BETWEEN 1 PRECEDING AND CURRENT ROW", "MAX(price)") ==
               (rows{"+I[1, 10]", "+I[2, 30]", "+I[3, 5]", "+I[4, 20]", "+I[5, 7]", "+I[6, 40]",
                     "+I[7, 7]", "+I[8, 40]"}),
             boost::test_tools::per_element());
  // LAG: the value 1 or 2 rows before (or the default), whatever the frame.
  BOOST_TEST(run("", "LAG(price) OVER (PARTITION BY item ORDER BY ts), LAG(price, 2, -1)") ==
               (rows{"+I[1, null, -1]", "+I[2, 10, -1]", "+I[3, null, -1]", "+I[4, 5, 40]",
                     "+I[5, 5, -1]", "+I[6, 30, 10]", "+I[7, 7, 5]", "+I[8, 40, 30]"}),
             boost::test_tools::per_element());
  // RANGE of 10 s: the rows from 10 s before the row's time to its peers.
  BOOST_TEST(run(" RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW", "SUM(price)") ==
               (rows{"+I[1, 10]", "+I[2, 40]", "+I[3, 5]", "+I[4, 65]", "+I[5, 12]", "+I[6, 45]",
                     "+I[7, 1]", "+I[8, 45]"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(window_table_functions_aggregate_in_slices_as_in_windows) {
  // A window aggregation straight over TUMBLE, HOP or CUMULATE takes the
  // rows before the function and adds each to one slice of its windows;
  // with a WHERE on a window column between them, every window's rows are
  // aggregated on their own. Both give the same rows (out-of-order input,
  // offsets, group keys in any order, window_time as a key).
  late_bids bids;
  auto run = [&](const std::string& query) { return bids.run(query); };
  auto both_ways = [&](const std::string& columns, const std::string& windows,
                       const std::string& keys) {
    auto sliced = run("SELECT " + columns + " FROM TABLE(" + windows + ") GROUP BY " + keys + ";");
    auto each = run("SELECT " + columns + " FROM TABLE(" + windows +
                    ") WHERE window_start IS NOT NULL GROUP BY " + keys + ";");
    BOOST_TEST(sliced == each, boost::test_tools::per_element());
    BOOST_TEST(!sliced.empty());
    return sliced;
  };
  both_ways("item, window_start, window_end, COUNT(*), SUM(price), MIN(price), MAX(price), "
            "AVG(price), COUNT(*) FILTER (WHERE price > 10)",
            "HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '15' SECOND)",
            "item, window_start, window_end");
  both_ways("window_time, item, MAX(price), COUNT(*)",
            "TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '3' SECOND)",
            "window_start, item, window_end, window_time");
  both_ways("window_end, SUM(price)",
            "HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '4' SECOND, INTERVAL '12' SECOND, "
            "INTERVAL '1' SECOND)",
            "window_end, window_start");
  // CUMULATE: windows of 5, 10, 15, 20 s from each 20 s.
  BOOST_TEST(
    both_ways("window_start, window_end, COUNT(*), SUM(price)",
              "CUMULATE(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '20' SECOND)",
              "window_start, window_end") ==
      (std::vector<std::string>{"+I[2020-01-01T00:00, 2020-01-01T00:00:05, 3, 45]",
                                "+I[2020-01-01T00:00, 2020-01-01T00:00:10, 4, 52]",
                                "+I[2020-01-01T00:00, 2020-01-01T00:00:15, 5, 92]",
                                "+I[2020-01-01T00:00, 2020-01-01T00:00:20, 5, 92]",
                                "+I[2020-01-01T00:00:20, 2020-01-01T00:00:25, 1, 20]",
                                "+I[2020-01-01T00:00:20, 2020-01-01T00:00:30, 1, 20]",
                                "+I[2020-01-01T00:00:20, 2020-01-01T00:00:35, 2, 21]",
                                "+I[2020-01-01T00:00:20, 2020-01-01T00:00:40, 2, 21]"}),
    boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(kafka_and_upsert_kafka_tables_read_and_write_as_flink) {
  // Orders as JSON in a topic of 3 partitions, read bounded; totals per
  // customer and 10-second window written exactly once as CSV (the
  // window's end as the record's timestamp metadata), and counts per
  // customer upserted (key: the customer, raw) into another topic.
  flinkcpp::testing::kafka_cluster kafka;
  kafka.create_topic("orders", 3);
  kafka.create_topic("totals", 2);
  kafka.create_topic("counts", 2);
  auto orders = make_orders(3000);
  std::map<std::string, int> counts;
  for (int p = 0; p < 3; ++p) {
    std::vector<std::string> values;
    for (std::size_t i = static_cast<std::size_t>(p); i < orders.size(); i += 3) {
      const auto& o = orders[i];
      values.push_back("{\"id\": " + std::to_string(o.id) + ", \"customer\": \"" + o.customer +
                       "\", \"amount\": " + cents(o.cents) + ", \"ts\": \"" + sql_timestamp(o.ts) +
                       "\"}");
      ++counts[o.customer];
    }
    kafka.produce("orders", p, values);
  }
  temp_dir dir;
  auto servers = kafka.bootstrap_servers();
  write_file(
    dir.file("job.sql"),
    "SET 'execution.checkpointing.interval' = '50 ms';\n"
    "CREATE TABLE orders (\n"
    "  id BIGINT, customer STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3),\n"
    "  part INT METADATA FROM 'partition' VIRTUAL,\n"
    "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n"
    ") WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = '" +
      servers +
      "',\n"
      "  'properties.group.id' = 'sql', 'scan.startup.mode' = 'earliest-offset',\n"
      "  'scan.bounded.mode' = 'latest-offset', 'format' = 'json');\n"
      "CREATE TABLE totals (customer STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),\n"
      "  orders BIGINT, total DECIMAL(18, 2), biggest DECIMAL(10, 2),\n"
      "  ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp')\n"
      "WITH ('connector' = 'kafka', 'topic' = 'totals', 'properties.bootstrap.servers' = '" +
      servers +
      "',\n"
      "  'format' = 'csv', 'sink.delivery-guarantee' = 'exactly-once',\n"
      "  'sink.transactional-id-prefix' = 'sql-totals');\n"
      "CREATE TABLE counts (customer STRING, orders BIGINT, PRIMARY KEY (customer) NOT ENFORCED)\n"
      "WITH ('connector' = 'upsert-kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = "
      "'" +
      servers +
      "',\n"
      "  'key.format' = 'raw', 'value.format' = 'json');\n"
      "EXECUTE STATEMENT SET BEGIN\n"
      "INSERT INTO totals SELECT customer, window_start, window_end, COUNT(*), SUM(amount),\n"
      "  MAX(amount), window_end FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' "
      "SECOND))\n"
      "  GROUP BY customer, window_start, window_end;\n"
      "INSERT INTO counts SELECT customer, COUNT(*) FROM orders WHERE part >= 0 GROUP BY "
      "customer;\n"
      "END;\n");
  auto r = run_sql(dir.file("job.sql"), "2");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(sorted(kafka.consume("totals")) == window_totals(orders));
  // The upserts: the last value of each key is its count.
  std::map<std::string, std::string> last;
  for (const auto& record : kafka.consume("counts", "%k %s"))
    last[record.substr(0, record.find(' '))] = record.substr(record.find(' ') + 1);
  BOOST_TEST(last.size() == counts.size());
  for (const auto& [customer, n] : counts)
    BOOST_TEST(last[customer] ==
                 "{\"customer\":\"" + customer + "\",\"orders\":" + std::to_string(n) + "}",
               customer);
  // Read back as a changelog: what it leaves is the last count per customer.
  write_file(dir.file("read.sql"),
             "CREATE TABLE counts (customer STRING, orders BIGINT, PRIMARY KEY (customer) NOT "
             "ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'counts',\n"
             "  'properties.bootstrap.servers' = '" +
               servers +
               "', 'key.format' = 'raw', 'value.format' = 'json',\n"
               "  'scan.bounded.mode' = 'latest-offset');\n"
               "SELECT customer, orders FROM counts;\n");
  r = run_sql(dir.file("read.sql"), "1");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  std::map<std::string, std::string> rows;
  for (const auto& line : lines_of(r.out)) {
    auto fields = line.substr(3, line.size() - 4);
    auto customer = fields.substr(0, fields.find(','));
    if (line[0] == '+')
      rows[customer] = fields.substr(fields.find(',') + 2);
    else
      rows.erase(customer);
  }
  BOOST_TEST(rows.size() == counts.size());
  for (const auto& [customer, n] : counts)
    BOOST_TEST(rows[customer] == std::to_string(n), customer);
}

BOOST_AUTO_TEST_CASE(user_defined_functions_come_from_a_job_library) {
  temp_dir dir;
  write_file(dir.file("people.csv"), "1,Ada Lovelace,1000\n2,,250\n3,Alan Mathison Turing,99\n");
  auto library = std::string{"local://"} + FLINKCPP_SQL_FUNCTIONS;
  write_file(dir.file("job.sql"),
             "CREATE FUNCTION with_tax AS 'test.WithTax' LANGUAGE CPP USING JAR '" + library +
               "';\n"
               "CREATE TEMPORARY FUNCTION initials AS 'test.Initials' USING JAR '" +
               library +
               "';\n"
               "CREATE FUNCTION IF NOT EXISTS is_even AS 'test.IsEven' USING JAR '" +
               library +
               "';\n"
               "CREATE TABLE people (id INT, name STRING, cents BIGINT) WITH (\n"
               "  'connector' = 'filesystem', 'path' = '" +
               dir.file("people.csv") +
               "', 'format' = 'csv');\n"
               "SELECT id, initials(name), with_tax(cents), with_tax(id) FROM people WHERE "
               "NOT is_even(id);\n");
  auto r = run_sql(dir.file("job.sql"), "1");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(lines_of(r.out) ==
             (std::vector<std::string>{"+I[1, AL, 1190, 1]", "+I[3, AMT, 117, 3]"}));
  // A function no library registers, and arguments of the wrong type.
  write_file(dir.file("bad.sql"),
             "CREATE FUNCTION f AS 'test.Missing' USING JAR '" + library + "';\nSELECT 1;\n");
  r = run_sql(dir.file("bad.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find(":1:1: no library registers the function 'test.Missing'") !=
               std::string::npos,
             r.err);
  write_file(dir.file("types.sql"), "CREATE FUNCTION initials AS 'test.Initials' USING JAR '" +
                                      library + "';\nSELECT initials(42);\n");
  r = run_sql(dir.file("types.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find(":2:8: no match for INITIALS(INT NOT NULL): argument 1 must be STRING") !=
               std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(user_defined_aggregate_functions_come_from_a_job_library) {
  // test.WeightedAvg (retracts, merges) and test.Joined (neither): in
  // windows, in a group aggregation, over a changelog, on both backends.
  temp_dir dir;
  write_file(dir.file("sales.csv"), "a,10,1,2026-01-01 00:00:00\n"
                                    "a,20,3,2026-01-01 00:00:01\n"
                                    "b,5,2,2026-01-01 00:00:02\n"
                                    "b,,1,2026-01-01 00:00:03\n"
                                    "a,40,1,2026-01-01 00:00:12\n");
  auto library = std::string{"local://"} + FLINKCPP_SQL_FUNCTIONS;
  auto script = [&](const std::string& query) {
    return "CREATE FUNCTION wavg AS 'test.WeightedAvg' LANGUAGE CPP USING JAR '" + library +
           "';\n"
           "CREATE FUNCTION joined AS 'test.Joined' USING JAR '" +
           library +
           "';\n"
           "CREATE TABLE sales (k STRING, v BIGINT, w INT, ts TIMESTAMP(3),\n"
           "  WATERMARK FOR ts AS ts) WITH ('connector' = 'filesystem', 'path' = '" +
           dir.file("sales.csv") + "', 'format' = 'csv');\n" + query;
  };
  write_file(dir.file("windows.sql"),
             script("SELECT window_start, k, wavg(v, w), joined(CAST(v AS STRING)),\n"
                    "  wavg(v, w) FILTER (WHERE w > 1)\n"
                    "FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '10' SECOND))\n"
                    "GROUP BY window_start, window_end, k;\n"));
  BOOST_TEST(run_on_both_backends(dir.file("windows.sql"), "1", true) ==
               (std::vector<std::string>{"+I[2026-01-01T00:00, a, 17, 10|20, 20]",
                                         "+I[2026-01-01T00:00, b, 5, 5, 5]",
                                         "+I[2026-01-01T00:00:10, a, 40, 40, null]"}),
             boost::test_tools::per_element());
  // Over a changelog (each key's sum updated): WeightedAvg retracts.
  write_file(
    dir.file("changelog.sql"),
    script("SELECT wavg(total, 1) FROM (SELECT k, SUM(v) AS total FROM sales GROUP BY k);\n"));
  auto rows = run_on_both_backends(dir.file("changelog.sql"), "1", false);
  BOOST_TEST_REQUIRE(!rows.empty());
  BOOST_TEST(rows.back() == "+U[37]"); // (70 + 5) / 2: a's 10 + 20 + 40, b's 5
  // Joined cannot take a changelog, nor merge session windows.
  write_file(dir.file("retract.sql"),
             script("SELECT joined(k) FROM (SELECT k, COUNT(*) AS n FROM sales GROUP BY k);\n"));
  auto r = run_sql(dir.file("retract.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(
    r.err.find("aggregate functions without retract over a changelog") != std::string::npos, r.err);
  write_file(dir.file("session.sql"),
             script("SELECT k, joined(k) FROM TABLE(SESSION(TABLE sales PARTITION BY k, "
                    "DESCRIPTOR(ts), INTERVAL '5' SECOND))\n"
                    "GROUP BY window_start, window_end, k;\n"));
  r = run_sql(dir.file("session.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("the aggregate function JOINED has no merge") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(an_interval_join_matches_within_its_bounds) {
  // Orders, and shipments 0 to 20 s after them (some of no order); a
  // shipment matches when it lies within [order, order + 10 s]. The
  // shipments arrive out of order by up to 3 s, within their watermark's.
  std::mt19937_64 random{11};
  const std::int64_t start = 1586937600000;
  std::string orders;
  std::string shipments;
  std::vector<std::string> expected;
  std::vector<std::string> full_outer;                     // as CSV lines: NULL is an empty field
  std::vector<std::pair<std::int64_t, std::string>> timed; // shipments by arrival
  for (int o = 0; o < 500; ++o) {
    auto ts = start + std::int64_t{o} * 1000;
    orders += std::to_string(o) + "," + sql_timestamp(ts) + "\n";
    bool shipped = false;
    for (int k = 0; k < 2; ++k) {
      auto delay = static_cast<std::int64_t>(random() % 20000);
      auto id = o * 2 + k;
      auto order = random() % 10 == 0 ? 100000 + o : o; // a tenth ship no order
      timed.emplace_back(ts + delay + static_cast<std::int64_t>(random() % 3000),
                         std::to_string(id) + "," + std::to_string(order) + "," +
                           sql_timestamp(ts + delay));
      if (order == o && delay <= 10000) {
        expected.push_back("+I[" + std::to_string(o) + ", " + std::to_string(id) + "]");
        full_outer.push_back(std::to_string(o) + "," + std::to_string(id));
        shipped = true;
      } else {
        full_outer.push_back("," + std::to_string(id));
      }
    }
    if (!shipped)
      full_outer.push_back(std::to_string(o) + ",");
  }
  std::sort(timed.begin(), timed.end());
  for (const auto& [arrival, line] : timed)
    shipments += line + "\n";
  temp_dir dir;
  write_file(dir.file("orders.csv"), orders);
  write_file(dir.file("shipments.csv"), shipments);
  write_file(dir.file("job.sql"),
             "CREATE TABLE orders (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL "
             "'5' SECOND)\n"
             "  WITH ('connector' = 'filesystem', 'path' = '" +
               dir.file("orders.csv") +
               "', 'format' = 'csv');\n"
               "CREATE TABLE shipments (id INT, order_id INT, ts TIMESTAMP(3),\n"
               "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)\n"
               "  WITH ('connector' = 'filesystem', 'path' = '" +
               dir.file("shipments.csv") +
               "', 'format' = 'csv');\n"
               "SELECT o.id, s.id FROM orders o, shipments s\n"
               "WHERE o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '10' SECOND;\n");
  for (const char* parallelism : {"1", "2"}) {
    auto r = run_sql(dir.file("job.sql"), parallelism);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    std::vector<std::string> rows;
    for (const auto& line : lines_of(r.out))
      rows.push_back(line.substr(line.find("+I")));
    BOOST_TEST(sorted(rows) == sorted(expected), parallelism);
  }
  // FULL OUTER: each order and shipment that matched nothing comes once,
  // padded with NULLs, when the watermark passes its interval: append-only,
  // so a filesystem table takes it.
  auto script = read_file(dir.file("job.sql"));
  script = script.substr(0, script.find("SELECT"));
  write_file(dir.file("outer.sql"),
             script +
               "CREATE TABLE pairs (order_id INT, shipment_id INT) WITH ('connector' = "
               "'filesystem', 'path' = '" +
               dir.file("pairs") +
               "', 'format' = 'csv');\n"
               "INSERT INTO pairs SELECT o.id, s.id FROM orders o FULL JOIN shipments s\n"
               "ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '10' SECOND;\n");
  for (const char* parallelism : {"1", "2"}) {
    std::filesystem::remove_all(dir.file("pairs"));
    auto r = run_sql(dir.file("outer.sql"), parallelism);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(sorted(output_lines(dir.file("pairs"))) == sorted(full_outer), parallelism);
  }
}

BOOST_AUTO_TEST_CASE(a_window_join_pairs_the_rows_of_one_window) {
  // Each customer's orders paired with its later orders of the same
  // 10-second window, then counted per window.
  auto orders = make_orders(2000);
  std::map<std::pair<std::string, std::int64_t>, std::vector<std::int64_t>> windows;
  for (const auto& o : orders)
    windows[{o.customer, o.ts - o.ts % 10000}].push_back(o.id);
  std::vector<std::string> expected;
  for (const auto& [key, ids] : windows)
    if (ids.size() > 1)
      expected.push_back("+I[" + key.first + ", " + iso_timestamp(key.second + 10000) + ", " +
                         std::to_string(ids.size() * (ids.size() - 1) / 2) + "]");
  temp_dir dir;
  write_file(dir.file("orders.csv"), orders_csv(orders));
  write_file(dir.file("job.sql"),
             orders_table(dir.file("orders.csv")) +
               "SELECT a.customer, a.window_end, COUNT(*) FROM\n"
               "  TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) a JOIN\n"
               "  TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) b\n"
               "  ON a.customer = b.customer AND a.window_start = b.window_start\n"
               "  AND a.window_end = b.window_end AND a.id < b.id\n"
               "GROUP BY a.customer, a.window_start, a.window_end;\n");
  auto r = run_sql(dir.file("job.sql"), "2");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  std::vector<std::string> rows;
  for (const auto& line : lines_of(r.out))
    rows.push_back(without_subtask(line));
  BOOST_TEST(sorted(rows) == sorted(expected));
}

BOOST_AUTO_TEST_CASE(an_outer_window_join_pads_what_a_window_did_not_match) {
  // Each order with each later order of its customer and window; an order
  // with none comes once, padded, when its window ends (append-only).
  auto orders = make_orders(300);
  std::map<std::pair<std::string, std::int64_t>, std::vector<std::int64_t>> windows;
  for (const auto& o : orders)
    windows[{o.customer, o.ts - o.ts % 10000}].push_back(o.id);
  std::vector<std::string> expected;
  for (const auto& [key, ids] : windows)
    for (auto a : ids) {
      bool matched = false;
      for (auto b : ids)
        if (a < b) {
          expected.push_back("+I[" + std::to_string(a) + ", " + std::to_string(b) + "]");
          matched = true;
        }
      if (!matched)
        expected.push_back("+I[" + std::to_string(a) + ", null]");
    }
  temp_dir dir;
  write_file(dir.file("orders.csv"), orders_csv(orders));
  write_file(dir.file("job.sql"),
             orders_table(dir.file("orders.csv")) +
               "SELECT a.id, b.id FROM\n"
               "  TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) a LEFT JOIN\n"
               "  TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) b\n"
               "  ON a.customer = b.customer AND a.window_start = b.window_start\n"
               "  AND a.window_end = b.window_end AND a.id < b.id;\n");
  BOOST_TEST(run_on_both_backends(dir.file("job.sql"), "2", true) == sorted(expected));
}

BOOST_AUTO_TEST_CASE(order_by_time_and_limit_run_as_flinks) {
  temp_dir dir;
  write_file(dir.file("bids.csv"), late_bids_csv);
  auto table = bids_table(dir.file("bids.csv"), "ts - INTERVAL '10' SECOND");
  auto run = [&](const std::string& query) {
    write_file(dir.file("job.sql"), table + query);
    auto r = run_sql(dir.file("job.sql"), "2");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    // One subtask sorts; its print subtask prefixes its lines.
    std::vector<std::string> rows;
    for (const auto& line : lines_of(r.out))
      rows.push_back(without_subtask(line));
    return rows;
  };
  // In time order, whatever order the rows came in.
  BOOST_TEST(
    run("SELECT id FROM bids ORDER BY ts;") ==
    (std::vector<std::string>{"+I[1]", "+I[2]", "+I[3]", "+I[5]", "+I[6]", "+I[4]", "+I[7]"}));
  // The two highest prices so far: rows enter and leave.
  BOOST_TEST(run("SELECT id, price FROM bids ORDER BY price DESC LIMIT 2;") ==
             (std::vector<std::string>{"+I[1, 10]", "+I[2, 30]", "-D[1, 10]", "+I[4, 20]",
                                       "-D[4, 20]", "+I[6, 40]"}));
  // The first three rows.
  BOOST_TEST(run("SELECT id FROM bids LIMIT 3;") ==
             (std::vector<std::string>{"+I[1]", "+I[2]", "+I[3]"}));
}

BOOST_AUTO_TEST_CASE(datagen_sequences_and_expressions_print_as_flink) {
  temp_dir dir;
  write_file(dir.file("job.sql"),
             "CREATE TABLE gen (n INT, s STRING) WITH ('connector' = 'datagen',\n"
             "  'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '4',\n"
             "  'fields.s.length' = '3');\n"
             "CREATE TABLE out (n INT, label STRING, half DOUBLE, t TIMESTAMP(3)) WITH (\n"
             "  'connector' = 'print', 'print-identifier' = 'seq');\n"
             "INSERT INTO out SELECT n, CASE WHEN n % 2 = 0 THEN 'even' ELSE 'odd' END,\n"
             "  n / 2.0E0, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL '90' SECOND\n"
             "FROM gen WHERE CHAR_LENGTH(s) = 3;\n");
  auto r = run_sql(dir.file("job.sql"), "1");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(lines_of(r.out) ==
             (std::vector<std::string>{"seq> +I[1, odd, 0.5, 2020-01-01T00:01:30]",
                                       "seq> +I[2, even, 1.0, 2020-01-01T00:01:30]",
                                       "seq> +I[3, odd, 1.5, 2020-01-01T00:01:30]",
                                       "seq> +I[4, even, 2.0, 2020-01-01T00:01:30]"}));
  // A query that reads only s: the sequence it does not read still ends
  // the rows (columns no query reads are not made, but still bound them).
  write_file(dir.file("pruned.sql"),
             "CREATE TABLE gen (n INT, s STRING) WITH ('connector' = 'datagen',\n"
             "  'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '4',\n"
             "  'fields.s.length' = '3');\n"
             "SELECT CHAR_LENGTH(s) FROM gen;\n");
  r = run_sql(dir.file("pruned.sql"), "1");
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(lines_of(r.out) == (std::vector<std::string>(4, "+I[3]")));
}

BOOST_AUTO_TEST_CASE(the_sql_client_runs_ddl_shows_and_queries) {
  temp_dir dir;
  write_file(dir.file("clicks.csv"), clicks_csv);
  write_file(dir.file("client.sql"),
             clicks_table(dir.file("clicks.csv")) +
               "SHOW TABLES;\n"
               "DESCRIBE clicks;\n"
               "SELECT user_name, COUNT(*) AS cnt FROM clicks GROUP BY user_name;\n"
               "SET 'sql-client.execution.result-mode' = 'changelog';\n"
               "SELECT UPPER(user_name) AS u FROM clicks WHERE url LIKE '%prod%';\n");
  auto r = run_flink_cpp({"sql-client", "-f", dir.file("client.sql")});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out << r.err);
  auto expected = "[INFO] Execute statement succeeded.\n"
                  "+------------+\n"
                  "| table name |\n"
                  "+------------+\n"
                  "|     clicks |\n"
                  "+------------+\n"
                  "1 row in set\n"
                  "+-----------+--------+------+-----+--------+-----------+\n"
                  "|      name |   type | null | key | extras | watermark |\n"
                  "+-----------+--------+------+-----+--------+-----------+\n"
                  "| user_name | STRING | TRUE |     |        |           |\n"
                  "|       url | STRING | TRUE |     |        |           |\n"
                  "+-----------+--------+------+-----+--------+-----------+\n"
                  "2 rows in set\n";
  BOOST_TEST(r.out.substr(0, std::string{expected}.size()) == expected);
  // The GROUP BY's final table: one row per user, in their order of arrival.
  BOOST_TEST(r.out.find("+-----------+-----+\n"
                        "| user_name | cnt |\n"
                        "+-----------+-----+\n"
                        "|      Mary |   2 |\n"
                        "|       Liz |   1 |\n"
                        "|       Bob |   2 |\n"
                        "+-----------+-----+\n"
                        "3 rows in set\n") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("+----+------+\n"
                        "| op |    u |\n"
                        "+----+------+\n"
                        "| +I | MARY |\n"
                        "| +I |  BOB |\n"
                        "+----+------+\n"
                        "Received a total of 2 rows\n") != std::string::npos,
             r.out);
}

BOOST_AUTO_TEST_CASE(bad_scripts_fail_with_line_and_column_before_running) {
  temp_dir dir;
  write_file(dir.file("syntax.sql"), "CREATE TABLE t (a INT) WITH ('connector' = 'print');\n"
                                     "INSERT INTO t SELEC 1;\n");
  auto r = run_sql(dir.file("syntax.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find(dir.file("syntax.sql") + ":2:15: syntax error at 'SELEC'") !=
               std::string::npos,
             r.err);
  write_file(dir.file("unknown.sql"), "CREATE TABLE t (a INT) WITH ('connector' = 'print');\n"
                                      "INSERT INTO t SELECT b FROM t;\n");
  r = run_sql(dir.file("unknown.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find(dir.file("unknown.sql") +
                        ":2:29: table 't': the print connector can only be written") !=
               std::string::npos,
             r.err);
  r = run_sql(dir.file("missing.sql"));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("cannot read the SQL script '" + dir.file("missing.sql") + "'") !=
               std::string::npos,
             r.err);
  r = run_flink_cpp({"sql-client", "-f", dir.file("unknown.sql")});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out.find("[ERROR] " + dir.file("unknown.sql") + ":2:") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(sql_on_a_cluster, sql_cluster)

BOOST_AUTO_TEST_CASE(a_windowed_insert_is_exactly_once_through_killed_taskmanagers) {
  // 10^6 orders at -p 3 on two taskmanagers checkpointing every 100 ms; a
  // taskmanager is SIGKILLed after each of two checkpoints.
  auto orders = make_orders(1000000); // the job must outlast both kills
  write_file(dir.file("orders.csv"), orders_csv(orders));
  auto job = submit(window_script(dir.file("orders.csv"), dir.file("out")), {"-p", "3"});
  BOOST_TEST(kill_after_checkpoints(cluster, job, alive, 2) == 2);
  BOOST_REQUIRE(wait_until([&] { return state(job) == "FINISHED"; }, std::chrono::seconds{120}));
  BOOST_TEST(sorted(output_lines(dir.file("out"))) == window_totals(orders));
}

BOOST_AUTO_TEST_CASE(the_sql_client_submits_inserts_to_a_cluster) {
  // sql-client -m: the DDL stays in the client, the INSERT goes to the
  // cluster as a sql job with it (and the session's SETs); with
  // table.dml-sync the client waits for the job's end.
  const int rows = 600;
  write_file(dir.file("client.sql"), "SET 'table.dml-sync' = 'true';\n" +
                                       sequence_windows_script(rows, 100000, dir.file("out")));
  auto r =
    run_flink_cpp({"sql-client", "-m", cluster.rest_address(), "-f", dir.file("client.sql")});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.out << r.err);
  BOOST_TEST(r.out.find("[INFO] SQL update statement has been successfully executed.") !=
               std::string::npos,
             r.out);
  BOOST_TEST(sorted(output_lines(dir.file("out"))) == sequence_windows(rows));
  // A SELECT's rows come back in the embedded mode only.
  write_file(dir.file("select.sql"), "SELECT 1;\n");
  r = run_flink_cpp({"sql-client", "-m", cluster.rest_address(), "-f", dir.file("select.sql")});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out.find("a SELECT's results come back to the client in the embedded mode only") !=
               std::string::npos,
             r.out);
}

BOOST_AUTO_TEST_CASE(the_same_script_resumes_from_a_savepoint) {
  // 2000 rows at 500 per second: the stop comes with windows open, their
  // sums and the source's position in the savepoint. Resumed at -p 3: the
  // pieces of the two readers' ranges are dealt over three, and no window
  // may lose a row (a reader reading a later range first made rows late).
  const int rows = 2000;
  auto script = sequence_windows_script(rows, 500, dir.file("out"));
  auto job = submit(script, {"-p", "2"});
  BOOST_REQUIRE(wait_until([&] {
    auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
    return state(job) == "RUNNING" && body["counts"].value("completed", 0) > 0;
  }));
  auto r = run_flink_cpp({"stop", "-m", cluster.rest_address(), job});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const std::string marker = "Savepoint completed. Path: ";
  auto at = r.out.find(marker);
  BOOST_REQUIRE(at != std::string::npos);
  auto savepoint = r.out.substr(at + marker.size(), r.out.find('\n', at) - at - marker.size());
  BOOST_REQUIRE(wait_until([&] { return state(job) == "FINISHED"; }));
  BOOST_TEST(output_lines(dir.file("out")).size() < sequence_windows(rows).size());
  auto resumed = submit(script, {"-p", "3", "-s", savepoint});
  BOOST_REQUIRE(wait_until([&] { return state(resumed) == "FINISHED"; }, std::chrono::seconds{60}));
  auto got = sorted(output_lines(dir.file("out")));
  auto expected = sequence_windows(rows);
  std::vector<std::string> missing;
  std::vector<std::string> extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  BOOST_TEST(got == expected,
             "missing " << missing.size() << " (first: " << (missing.empty() ? "" : missing.front())
                        << "), extra " << extra.size()
                        << " (first: " << (extra.empty() ? "" : extra.front()) << ")");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sql_application_mode)

BOOST_AUTO_TEST_CASE(a_script_runs_in_application_mode_as_the_chart_runs_it) {
  // As the chart's jobmanager: standalone-job sql --script, high
  // availability on; the script's SET turns checkpoints on. The jobmanager
  // is SIGKILLed and started again (a pod replaced): the job resumes from
  // its checkpoint and its output stays exact.
  temp_dir dir;
  const std::string job_id = "5a15a15a15a15a15a15a15a15a15a15a";
  local_cluster cluster{
    {"execution.shutdown-on-application-finish=false", "high-availability.type=filesystem",
     "high-availability.storageDir=" + dir.file("ha"),
     "state.checkpoints.dir=" + dir.file("checkpoints"), "restart-strategy.type=fixed-delay",
     "restart-strategy.fixed-delay.attempts=100", "restart-strategy.fixed-delay.delay=100ms"}};
  const int rows = 2000;
  auto script = "SET 'execution.checkpointing.interval' = '100 ms';\n" +
                sequence_windows_script(rows, 500, dir.file("out"));
  std::vector<std::string> application{"--job-id", job_id, "-p", "2", "sql", "--script", script};
  cluster.start_application(application);
  cluster.start_taskmanager(2);
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto state = [&] {
    auto job = cluster.get("/jobs/" + job_id).second; // null until the job is there
    return job.is_object() ? job.value("state", std::string{}) : std::string{};
  };
  BOOST_REQUIRE(wait_until([&] {
    auto [status, body] = cluster.get("/jobs/" + job_id + "/checkpoints");
    return state() == "RUNNING" && body["counts"].value("completed", 0) > 0;
  }));
  BOOST_TEST(cluster.stop_jobmanager(SIGKILL).exit_code == 128 + SIGKILL);
  cluster.start_application(application);
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }, std::chrono::seconds{60}));
  BOOST_TEST(sorted(output_lines(dir.file("out"))) == sequence_windows(rows));
}

BOOST_AUTO_TEST_SUITE_END()

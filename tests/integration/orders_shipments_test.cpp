// The built-in `orders-shipments` example through the flink-cpp binary: an
// interval join of out-of-order orders and shipments, at several
// parallelisms and through taskmanager SIGKILLs with checkpoints, against
// the matches counted here; bad lines and arguments refused saying why.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "support/local_cluster.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;

namespace {

struct order {
  std::int64_t id;
  std::int64_t time;
  std::int64_t customer;
  std::int64_t amount;
};

struct shipment {
  std::int64_t id;
  std::int64_t order_id;
  std::int64_t time;
};

/// `n` orders, 200 ms apart and up to 4 s out of order, and 0 to 3
/// shipments each, from 3 s before to 15 s after their order, in the order
/// of their time give or take 4 s (both within the example's 5 s
/// out-of-orderness); written to dir/orders.csv and dir/shipments.csv.
struct input {
  std::vector<order> orders;
  std::vector<shipment> shipments;

  input(int n, unsigned seed, const temp_dir& dir) {
    std::mt19937_64 random{seed};
    auto below = [&](std::int64_t bound) { return static_cast<std::int64_t>(random() % bound); };
    std::vector<std::pair<std::int64_t, shipment>> shuffled;
    for (std::int64_t i = 0; i < n; ++i) {
      auto time = 1'700'000'000'000 + i * 200 + below(4000);
      orders.push_back({i, time, below(50), 1 + below(1000)});
      for (auto s = below(4); s > 0; --s) {
        shipment sh{static_cast<std::int64_t>(shuffled.size()), i, time - 3000 + below(18001)};
        shuffled.emplace_back(sh.time + below(4000), sh);
      }
    }
    std::sort(shuffled.begin(), shuffled.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [at, s] : shuffled)
      shipments.push_back(s);
    std::string text;
    for (const auto& o : orders)
      text += std::to_string(o.id) + "," + std::to_string(o.time) + "," +
              std::to_string(o.customer) + "," + std::to_string(o.amount) + "\n";
    write_file(dir.file("orders.csv"), text);
    text.clear();
    for (const auto& s : shipments)
      text += std::to_string(s.id) + "," + std::to_string(s.order_id) + "," +
              std::to_string(s.time) + "\n";
    write_file(dir.file("shipments.csv"), text);
  }

  /// The example's output for bounds [lower, upper] ms, sorted.
  std::vector<std::string> matches(std::int64_t lower, std::int64_t upper) const {
    std::vector<std::string> out;
    for (const auto& s : shipments) {
      const auto& o = orders[static_cast<std::size_t>(s.order_id)];
      auto delay = s.time - o.time;
      if (delay >= lower && delay <= upper)
        out.push_back(std::to_string(o.id) + "," + std::to_string(s.id) + "," +
                      std::to_string(o.customer) + "," + std::to_string(o.amount) + "," +
                      std::to_string(delay));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::vector<std::string> arguments(const temp_dir& dir, const std::string& lower,
                                   const std::string& upper) {
  return {"orders-shipments",
          "--orders",
          dir.file("orders.csv"),
          "--shipments",
          dir.file("shipments.csv"),
          "--lower",
          lower,
          "--upper",
          upper,
          "--output",
          dir.file("out")};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(orders_shipments)

BOOST_AUTO_TEST_CASE(the_matches_are_exact_at_every_parallelism) {
  for (auto [lower, upper] : {std::pair{"-1", "10"}, std::pair{"0.5", "2.25"}}) {
    for (int p : {1, 2, 4}) {
      temp_dir dir;
      input in{3000, 17, dir};
      auto expected = in.matches(static_cast<std::int64_t>(std::stod(lower) * 1000),
                                 static_cast<std::int64_t>(std::stod(upper) * 1000));
      BOOST_TEST_REQUIRE(expected.size() > 200u);
      auto r = run_flink_cpp(
        concat({"run", "-t", "local", "-p", std::to_string(p)}, arguments(dir, lower, upper)));
      BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
      BOOST_TEST(sorted(output_lines(dir.file("out"))) == expected,
                 "-p " << p << ", [" << lower << ", " << upper << "]");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_bad_line_fails_the_job_naming_file_and_line) {
  temp_dir dir;
  input in{100, 3, dir};
  auto text = read_file(dir.file("shipments.csv"));
  auto cut = text.find('\n', text.size() / 2) + 1;
  text.insert(cut, "7,abc,12\n");
  auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(cut), '\n') + 1;
  write_file(dir.file("shipments.csv"), text);
  auto r = run_flink_cpp(concat({"run", "-t", "local", "-p", "2"}, arguments(dir, "0", "10")));
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("cannot read line " + std::to_string(line) + " of " +
                        dir.file("shipments.csv") +
                        ": expected 3 comma-separated integers "
                        "(shipment_id,order_id,timestamp_ms), got '7,abc,12'") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused_saying_what_was_expected) {
  temp_dir dir;
  input in{10, 1, dir};
  auto r = run_flink_cpp(concat({"run", "-t", "local"}, arguments(dir, "soon", "10")));
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("--lower must be a number of seconds (decimals allowed), got 'soon'") !=
               std::string::npos,
             r.err);
  r = run_flink_cpp(concat({"run", "-t", "local"}, arguments(dir, "5", "1")));
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("--lower must not be above --upper") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(the_matches_stay_exact_through_killed_taskmanagers) {
  // 600000 orders at -p 3 on two taskmanagers checkpointing every 100 ms;
  // a taskmanager is SIGKILLed after each of two checkpoints, and the job
  // restarts from the latest: the committed output holds each match once.
  // (150000 orders took 0.6 s once the join got faster: the job finished
  // before the second kill.)
  temp_dir dir;
  input in{600000, 29, dir};
  local_cluster cluster{
    {"execution.checkpointing.interval=100ms", "state.checkpoints.dir=" + dir.file("checkpoints"),
     "restart-strategy.type=fixed-delay", "restart-strategy.fixed-delay.attempts=100",
     "restart-strategy.fixed-delay.delay=10ms"}};
  cluster.start_jobmanager();
  std::vector<std::size_t> alive{cluster.start_taskmanager(2), cluster.start_taskmanager(2)};
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  auto r = run_flink_cpp(
    concat({"run", "-m", cluster.rest_address(), "-d", "-p", "3"}, arguments(dir, "-1", "10")));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto job = submitted_job_id(r);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  auto killed = kill_after_checkpoints(cluster, job, alive, 2);
  BOOST_TEST(killed == 2); // the job outlasted both kills
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }, std::chrono::seconds{120}));
  BOOST_TEST(sorted(output_lines(dir.file("out"))) == in.matches(-1000, 10000));
}

BOOST_AUTO_TEST_SUITE_END()

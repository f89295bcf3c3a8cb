// Network faults between the processes of a cluster: the jobmanager and
// three one-slot taskmanagers, each in a network namespace of its own,
// joined by a router that makes the faults (test_network). The general-purpose
// exactly-once job runs at -p 2 with checkpoints through each fault and must
// finish with every record exactly once:
// - 20% of the packets lost;
// - every packet delayed by 200 ms (each way);
// - a taskmanager running subtasks cut off for 10 s: it is declared lost
//   after heartbeat.timeout, the job recovers on the others, and its slot
//   returns once the partition heals;
// - a taskmanager, then the jobmanager, frozen (SIGSTOP) for twice the
//   heartbeat timeout, then thawed: the same.
// Needs root (network namespaces, iptables).

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "support/local_cluster.hpp"
#include "support/sequence_output.hpp"
#include "support/test_network.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
using namespace std::chrono_literals;

namespace {

constexpr int keys = 10;
constexpr int per_key = 400;

/// The cluster on its network, with heartbeats every `interval` given up
/// after `timeout`, checkpoints every 200 ms and restarts without end.
struct faulty_cluster {
  temp_dir dir;
  test_network network{4};
  local_cluster cluster;
  std::string job;

  faulty_cluster(const std::string& interval, const std::string& timeout)
    : cluster{{"heartbeat.interval=" + interval, "heartbeat.timeout=" + timeout,
               "execution.checkpointing.interval=200ms",
               "state.checkpoints.dir=" + dir.file("checkpoints"),
               "restart-strategy.type=fixed-delay", "restart-strategy.fixed-delay.attempts=1000",
               "restart-strategy.fixed-delay.delay=100ms"},
              &network} {
    cluster.start_jobmanager();
    for (int i = 0; i < 3; ++i)
      cluster.start_taskmanager(1);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(3));
  }

  /// Submits the job: keys × per_key events at `rate` per second.
  void submit(int rate) {
    auto r = cluster.run_client({"run", "-m", cluster.rest_address(), "-d", "-p", "2",
                                 FLINKCPP_EXACTLY_ONCE_JOB, "--output", dir.file("out"), "--keys",
                                 std::to_string(keys), "--per-key", std::to_string(per_key),
                                 "--rate", std::to_string(rate)});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    job = submitted_job_id(r);
  }

  nlohmann::json details() const { return cluster.get("/jobs/" + job).second; }

  std::string state() const { return details().value("state", std::string{}); }

  bool restarted() const {
    return details()["timestamps"].value("RESTARTING", std::int64_t{0}) > 0;
  }

  long completed_checkpoints() const {
    auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
    return status == 200 ? body["counts"].value("completed", 0L) : 0L;
  }

  /// Waits until a checkpoint completes while the job runs, so that a
  /// restart after a fault restores state.
  void await_a_checkpoint() {
    auto before = completed_checkpoints();
    BOOST_REQUIRE(wait_until([&] { return completed_checkpoints() > before; }, 120s, 20ms));
  }

  /// Submits the job at `rate` events per second and waits until it runs
  /// and has a checkpoint.
  void start_job(int rate) {
    submit(rate);
    BOOST_REQUIRE(wait_until([&] { return state() == "RUNNING"; }));
    await_a_checkpoint();
  }

  /// Waits until a taskmanager is declared lost and the job runs again,
  /// restarted on the other two, with a checkpoint there.
  void await_recovery_without_one() {
    BOOST_TEST(cluster.wait_for_taskmanagers(2));
    BOOST_REQUIRE(wait_until([&] { return state() == "RUNNING" && restarted(); }, 60s, 20ms));
    await_a_checkpoint();
  }

  /// The index of a taskmanager that runs a subtask of the job, from the
  /// host in its id ("10.77.<host>.2:<port>-...").
  std::size_t busy_taskmanager() const {
    auto job_details = details(); // kept: a range-for keeps no temporary alive
    for (const auto& vertex : job_details["vertices"]) {
      auto subtasks =
        cluster.get("/jobs/" + job + "/vertices/" + vertex["id"].get<std::string>()).second;
      for (const auto& subtask : subtasks["subtasks"]) {
        auto id = subtask.value("taskmanager-id", std::string{});
        for (std::size_t index = 0; index < 3; ++index)
          if (subtask.value("status", std::string{}) == "RUNNING" &&
              id.rfind(network.address(index + 1) + ":", 0) == 0)
            return index;
      }
    }
    BOOST_FAIL("no taskmanager runs a subtask of job " << job);
    return 0;
  }

  /// Waits (bounded) for the job to finish; then its output must be exact.
  void expect_exact_output() {
    BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }, 300s, 50ms));
    BOOST_TEST(check_sequence_output(dir.file("out"), keys, per_key) == "");
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(network_faults)

BOOST_AUTO_TEST_CASE(a_fifth_of_the_packets_lost) {
  faulty_cluster c{"200ms", "10s"};
  c.network.set_loss(0.2);
  c.submit(2000);
  c.expect_exact_output();
  BOOST_TEST(c.network.packets_dropped() > 0u);
}

BOOST_AUTO_TEST_CASE(every_packet_delayed_by_200_ms) {
  faulty_cluster c{"200ms", "10s"};
  c.network.set_delay(200ms);
  c.submit(2000);
  c.expect_exact_output();
  BOOST_TEST(c.network.packets_delayed() > 0u);
}

BOOST_AUTO_TEST_CASE(a_taskmanager_cut_off_for_10_s_is_lost_then_returns) {
  faulty_cluster c{"200ms", "2s"};
  c.start_job(500);
  auto cut_off = c.busy_taskmanager();
  auto partitioned_at = std::chrono::steady_clock::now();
  c.network.partition(cut_off + 1);
  c.await_recovery_without_one(); // declared lost after heartbeat.timeout
  BOOST_TEST(c.network.packets_dropped() > 0u);
  // The partition lasts 10 s, whatever happened meanwhile.
  std::this_thread::sleep_until(partitioned_at + 10s);
  c.network.heal(cut_off + 1);
  BOOST_TEST(c.cluster.wait_for_taskmanagers(3)); // it registers again
  BOOST_TEST(c.cluster.get("/overview").second.value("slots-total", 0) == 3);
  c.expect_exact_output();
}

BOOST_AUTO_TEST_CASE(a_frozen_taskmanager_is_lost_then_returns) {
  faulty_cluster c{"200ms", "2s"};
  c.start_job(500);
  auto frozen = c.busy_taskmanager();
  c.cluster.signal_taskmanager(frozen, SIGSTOP);
  c.await_recovery_without_one();
  c.cluster.signal_taskmanager(frozen, SIGCONT);
  BOOST_TEST(c.cluster.wait_for_taskmanagers(3));
  c.expect_exact_output();
}

BOOST_AUTO_TEST_CASE(a_frozen_jobmanager_is_waited_for) {
  faulty_cluster c{"200ms", "2s"};
  c.start_job(500);
  ::kill(c.cluster.jobmanager_pid(), SIGSTOP);
  // Frozen for twice the heartbeat timeout: the taskmanagers miss its
  // heartbeats; it misses theirs.
  std::this_thread::sleep_for(4s);
  ::kill(c.cluster.jobmanager_pid(), SIGCONT);
  BOOST_TEST(c.cluster.wait_for_taskmanagers(3));
  c.expect_exact_output();
  BOOST_TEST_MESSAGE("the job " << (c.restarted() ? "restarted" : "did not restart")
                                << " after the jobmanager's freeze");
}

BOOST_AUTO_TEST_SUITE_END()

// LevelDB state several times larger than the memory a taskmanager may use:
// the taskmanager runs in a memory cgroup of 96 MB while its job writes
// 400 MB of incompressible keyed state and reads every value back; and in
// one of 256 MB while ten million timers wait in LevelDB and then fire.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <set>
#include <string>
#include <vector>

#include "support/local_cluster.hpp"
#include "support/memory_cgroup.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp::testing;

namespace {

/// A cluster on LevelDB state whose taskmanager (2 slots) runs in a memory
/// cgroup of `limit` bytes, its state on disk (in a tmpfs, files would be
/// memory too).
struct limited_cluster {
  temp_dir dir;
  temp_dir disk{temp_dir::disk_base()};
  memory_cgroup group;
  local_cluster cluster{
    {"state.backend.type=leveldb", "state.backend.leveldb.localdir=" + disk.file("leveldb")}};
  std::size_t tm = 0;

  explicit limited_cluster(std::uint64_t limit) : group(limit) {
    cluster.start_jobmanager();
    tm = cluster.start_taskmanager(2);
    group.add(cluster.taskmanager_pid(tm));
  }

  /// Runs job `name` of the large-state library with `args` at parallelism
  /// 2; returns the lines of its output.
  std::vector<std::string> run(const std::string& name, std::vector<std::string> args) {
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
    auto output = dir.file("out-" + name);
    std::vector<std::string> command{"run", "-m", cluster.rest_address(),  "-p", "2",
                                     "-c",  name, FLINKCPP_LARGE_STATE_JOB};
    command.insert(command.end(), args.begin(), args.end());
    command.insert(command.end(), {"--output", output});
    auto r = run_flink_cpp(command);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    return output_lines(output); // a file or a directory of parts
  }

  /// Stops the taskmanager, which must not have been killed for want of memory.
  void stop() {
    auto left = cluster.stop_taskmanager(tm, SIGTERM);
    BOOST_TEST(left.exit_code == 0, left.err);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(large_state)

BOOST_AUTO_TEST_CASE(leveldb_state_four_times_the_memory_limit_reads_back_exactly) {
  constexpr int keys = 400000; // of 1000 bytes: 400 MB
  limited_cluster c{96ull << 20};
  std::set<int> ok;
  std::string wrong;
  for (const auto& line :
       c.run("large_state", {"--keys", std::to_string(keys), "--value-bytes", "1000"})) {
    if (line.rfind("ok ", 0) == 0)
      ok.insert(std::stoi(line.substr(3)));
    else
      wrong += line + "\n";
  }
  BOOST_TEST(wrong.empty(), wrong);
  BOOST_TEST(ok.size() == static_cast<std::size_t>(keys));
  BOOST_TEST((ok.empty() || (*ok.begin() == 0 && *ok.rbegin() == keys - 1)));
  // The state did not fit: the kernel held the taskmanager to its limit.
  BOOST_TEST(c.group.times_limit_reached() > 0u);
  c.stop();
}

BOOST_AUTO_TEST_CASE(ten_million_timers_wait_in_leveldb_and_fire_in_order) {
  constexpr int timers = 10'000'000;
  limited_cluster c{256ull << 20};
  auto lines = c.run("many_timers", {"--timers", std::to_string(timers)});
  std::vector<std::string> want;
  for (int t = 0; t < timers; t += 1'000'000)
    want.push_back("at " + std::to_string(t));
  want.push_back("at " + std::to_string(timers - 1));
  BOOST_TEST(lines == want, "no timer out of order or lost");
  c.stop();
}

BOOST_AUTO_TEST_SUITE_END()

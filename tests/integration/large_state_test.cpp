// LevelDB state several times larger than the memory a taskmanager may use:
// the taskmanager runs in a memory cgroup of 96 MB while its job writes
// 400 MB of incompressible keyed state and reads every value back.

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "support/local_cluster.hpp"
#include "support/memory_cgroup.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(large_state)

BOOST_AUTO_TEST_CASE(leveldb_state_four_times_the_memory_limit_reads_back_exactly) {
  constexpr std::uint64_t limit = 96ull << 20;
  constexpr int keys = 400000; // of 1000 bytes: 400 MB
  temp_dir dir;
  temp_dir disk{temp_dir::disk_base()}; // in a tmpfs, files would be memory too
  memory_cgroup group{limit};
  local_cluster cluster{
    {"state.backend.type=leveldb", "state.backend.leveldb.localdir=" + disk.file("leveldb")}};
  cluster.start_jobmanager();
  auto tm = cluster.start_taskmanager(2);
  group.add(cluster.taskmanager_pid(tm));
  BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
  auto output = dir.file("out");
  auto r =
    run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "2", FLINKCPP_LARGE_STATE_JOB,
                   "--keys", std::to_string(keys), "--value-bytes", "1000", "--output", output});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);

  std::set<int> ok;
  std::string wrong;
  for (const auto& part : fs::directory_iterator(output)) {
    std::ifstream in{part.path()};
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("ok ", 0) == 0)
        ok.insert(std::stoi(line.substr(3)));
      else
        wrong += line + "\n";
    }
  }
  BOOST_TEST(wrong.empty(), wrong);
  BOOST_TEST(ok.size() == static_cast<std::size_t>(keys));
  BOOST_TEST((ok.empty() || (*ok.begin() == 0 && *ok.rbegin() == keys - 1)));
  // The state did not fit: the kernel held the taskmanager to its limit.
  BOOST_TEST(group.times_limit_reached() > 0u);
  auto left = cluster.stop_taskmanager(tm, SIGTERM);
  BOOST_TEST(left.exit_code == 0, left.err); // not killed for want of memory
}

BOOST_AUTO_TEST_SUITE_END()

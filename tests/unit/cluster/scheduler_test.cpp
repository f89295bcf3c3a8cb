// The job master's slot planning: how many slots a job asks for, what bounds
// a reactive job, and which taskmanagers connect to each other.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "cluster/scheduler.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;

namespace {

/// A source of parallelism 1 feeding a sink of parallelism `sink` (max
/// parallelism `max_sink`), built in reactive mode or not.
std::shared_ptr<const job_graph> graph_of(int sink, int max_sink, bool reactive) {
  job_settings settings;
  settings.reactive = reactive;
  settings.parallelism = sink;
  return testing::build_graph(
    [=](stream_environment& env) {
      env.from_sequence(1, 10)
        .set_parallelism(1)
        .rebalance()
        .discard()
        .set_parallelism(sink)
        .set_max_parallelism(max_sink);
    },
    settings);
}

slot_offer slot(std::string task_manager, std::uint16_t port, std::int32_t index) {
  slot_offer s;
  s.task_manager = std::move(task_manager);
  s.host = "127.0.0.1";
  s.data_port = port;
  s.slot = index;
  return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(scheduling)

BOOST_AUTO_TEST_CASE(a_job_asks_for_one_slot_per_subtask_of_its_widest_vertex) {
  scheduler s;
  auto graph = graph_of(3, 128, false);
  auto wanted = s.request(*graph);
  BOOST_TEST(wanted.needed == 3);
  BOOST_TEST(wanted.most == 3);
}

BOOST_AUTO_TEST_CASE(a_reactive_job_takes_what_there_is_up_to_its_bounds) {
  scheduler s;
  auto graph = graph_of(3, 5, true);
  auto wanted = s.request(*graph);
  BOOST_TEST(wanted.needed == 1);
  BOOST_TEST(wanted.most == 5); // the smallest max parallelism
  s.set_parallelism_bound(4);
  BOOST_TEST(s.request(*graph).most == 4); // the resource requirements' upper bound
  s.set_parallelism_bound(0);
  BOOST_TEST(s.parallelism_bound() == 1); // at least one slot
}

BOOST_AUTO_TEST_CASE(a_reactive_graph_fits_its_slots_when_it_has_one_subtask_per_slot) {
  scheduler s;
  auto graph = graph_of(2, 128, true);
  s.assign({slot("a", 1, 0), slot("a", 1, 1), slot("b", 2, 0)});
  BOOST_TEST(!s.fits_slots(*graph)); // rebuilt at parallelism 3 first
  s.assign({slot("a", 1, 0), slot("a", 1, 1)});
  BOOST_TEST(s.fits_slots(*graph));
}

BOOST_AUTO_TEST_CASE(subtask_k_of_every_vertex_runs_in_slot_k) {
  scheduler s;
  s.assign({slot("a", 1, 0), slot("b", 2, 0)});
  BOOST_TEST(s.runs_on(subtask_index{1}, "b"));
  BOOST_TEST(!s.runs_on(subtask_index{0}, "b"));
  BOOST_TEST(!s.runs_on(subtask_index{2}, "b")); // no such slot
  BOOST_TEST(location(s.slot_of(subtask_index{1})) == "127.0.0.1:2");
  BOOST_TEST(location(slot("local-tm", 0, 0)) == "local-tm");
  s.release();
  BOOST_TEST(s.slots().empty());
}

BOOST_AUTO_TEST_CASE(taskmanagers_with_a_data_port_are_peers_once_each) {
  scheduler s;
  s.assign({slot("a", 1, 0), slot("local", 0, 0), slot("a", 1, 1), slot("b", 2, 0)});
  auto plan = s.peers();
  BOOST_REQUIRE(plan.task_managers.size() == 2u);
  BOOST_TEST(plan.task_managers[0].task_manager == "a");
  BOOST_TEST(plan.task_managers[1].task_manager == "b");
  BOOST_REQUIRE(plan.addresses.size() == 2u);
  BOOST_TEST(plan.addresses[0].port == 1);
  BOOST_TEST(plan.addresses[1].port == 2);
}

BOOST_AUTO_TEST_CASE(a_taskmanager_joining_counts_until_the_next_slots_are_assigned) {
  scheduler s;
  s.assign({slot("a", 1, 0)});
  BOOST_TEST(!s.joined_since_assigned());
  s.note_joined(); // while the attempt starts
  BOOST_TEST(s.joined_since_assigned());
  s.assign({slot("a", 1, 0), slot("b", 2, 0)}); // the next attempt took it
  BOOST_TEST(!s.joined_since_assigned());
}

BOOST_AUTO_TEST_SUITE_END()

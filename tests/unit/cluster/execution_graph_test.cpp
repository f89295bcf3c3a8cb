// The job master's bookkeeping of an attempt, without actors: its phases as
// subtasks deploy, connect and finish; stopping once every subtask is done;
// the channels each subtask is wired with.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <utility>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "cluster/execution_graph.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/deterministic_actor_system.hpp"
#include "support/fake_cluster.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;

namespace {

/// Two vertices of parallelism 2 joined by a rebalance edge: 4 subtasks.
std::shared_ptr<const job_graph> two_by_two() {
  return testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(2);
  });
}

using phase = execution_graph::phase;

vertex_index vertex(int v) {
  return vertex_index{v};
}
subtask_index subtask(int i) {
  return subtask_index{i};
}

} // namespace

BOOST_AUTO_TEST_SUITE(execution_graphs)

BOOST_AUTO_TEST_CASE(an_attempt_moves_on_when_its_last_subtask_deployed_and_connected) {
  execution_graph g;
  BOOST_TEST((g.current() == phase::created));
  g.begin_attempt(two_by_two());
  BOOST_TEST(g.attempt() == 1);
  BOOST_TEST((g.current() == phase::scheduling));
  BOOST_TEST(g.total() == 4u);
  g.begin_deploying();
  BOOST_TEST(!g.deployed(vertex(0), subtask(0), {}));
  BOOST_TEST(!g.deployed(vertex(0), subtask(1), {}));
  BOOST_TEST(!g.deployed(vertex(1), subtask(0), {}));
  BOOST_TEST((g.current() == phase::deploying));
  BOOST_TEST(g.deployed(vertex(1), subtask(1), {}));
  BOOST_TEST((g.current() == phase::connecting));
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(!g.connected());
  BOOST_TEST(g.connected());
  BOOST_TEST((g.current() == phase::running));
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(!g.finished());
  BOOST_TEST(g.finished()); // all finished: they may commit
}

BOOST_AUTO_TEST_CASE(a_stopping_attempt_is_over_once_every_subtask_is_done) {
  execution_graph g;
  g.begin_attempt(two_by_two());
  g.begin_stopping(false);
  BOOST_TEST(g.stopping());
  BOOST_TEST(!g.rescaling());
  BOOST_TEST(g.mark_done(vertex(0), subtask(0)));
  BOOST_TEST(!g.mark_done(vertex(0), subtask(0))); // counted once
  BOOST_TEST(g.mark_done(vertex(0), subtask(1)));
  BOOST_TEST(g.mark_done(vertex(1), subtask(0)));
  BOOST_TEST(!g.finish_stopping()); // (1, 1) is not done
  BOOST_TEST(g.mark_done(vertex(1), subtask(1)));
  BOOST_TEST(g.all_done());
  BOOST_TEST(g.finish_stopping());
  BOOST_TEST(g.stopped());
  BOOST_TEST(!g.finish_stopping()); // once
}

BOOST_AUTO_TEST_CASE(the_next_attempt_starts_afresh) {
  execution_graph g;
  g.begin_attempt(two_by_two());
  g.begin_stopping(true);
  BOOST_TEST(g.rescaling());
  for (int v = 0; v < 2; ++v)
    for (int i = 0; i < 2; ++i)
      g.mark_done(vertex(v), subtask(i));
  BOOST_TEST(g.finish_stopping());
  g.begin_attempt(two_by_two());
  BOOST_TEST(g.attempt() == 2);
  BOOST_TEST((g.current() == phase::scheduling));
  BOOST_TEST(!g.rescaling());
  BOOST_TEST(!g.all_done());
  BOOST_TEST(!g.record(vertex(1), subtask(1)).done);
}

BOOST_AUTO_TEST_CASE(each_subtask_is_wired_to_every_peer_of_a_rebalance_edge) {
  execution_graph g;
  g.begin_attempt(two_by_two());
  auto source = g.connections_of(vertex(0), subtask(1));
  BOOST_TEST(source.partitions.size() == 1u); // one output edge
  BOOST_TEST(source.partitions[0].size() == 2u);
  BOOST_TEST(source.gates.empty());
  auto sink = g.connections_of(vertex(1), subtask(0));
  BOOST_TEST(sink.partitions.empty());
  BOOST_TEST(sink.gates.size() == 1u); // one input edge
  BOOST_TEST(sink.gates[0].size() == 2u);
  BOOST_TEST(g.task_name(vertex(1), subtask(0)) == g.graph().vertices()[1].name + " (1/2)");
}

BOOST_AUTO_TEST_CASE(live_subtasks_are_the_deployed_ones_not_done) {
  testing::deterministic_actor_system actors;
  auto script = std::make_shared<testing::cluster_script>();
  auto idle = [&](int v, int i) {
    return actors.system().spawn(testing::fake_subtask, script, task_listener_actor{},
                                 execution_attempt{vertex(v), subtask(i), 1});
  };
  execution_graph g;
  g.begin_attempt(two_by_two());
  g.deployed(vertex(0), subtask(0), idle(0, 0));
  g.deployed(vertex(1), subtask(0), idle(1, 0));
  g.deployed(vertex(1), subtask(1), idle(1, 1)); // (0, 1) is not deployed
  g.mark_done(vertex(1), subtask(0));
  std::vector<std::pair<int, int>> live;
  g.for_each_live([&](vertex_index v, subtask_index i, const subtask_record&) {
    live.emplace_back(v.value(), i.value());
  });
  BOOST_TEST((live == std::vector<std::pair<int, int>>{{0, 0}, {1, 1}}));
}

BOOST_AUTO_TEST_SUITE_END()

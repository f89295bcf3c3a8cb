// Which state each subtask restores: operator state stays or is dealt out,
// union state goes to all, keyed state follows key groups, and snapshots
// that do not fit the job are refused by name.

#include <boost/test/unit_test.hpp>

#include "checkpoint/restore_assignment.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;

namespace {

/// One operator ("src", parallelism p, max parallelism 128) and a sink.
std::shared_ptr<const job_graph> graph_at(int p) {
  return flinkcpp::testing::build_graph([p](stream_environment& env) {
    env.from_sequence(1, 100).uid("src").set_parallelism(p).discard().set_parallelism(p);
  });
}

operator_id source_id(const job_graph& g) {
  return g.node_operator_id(g.vertices().front().nodes.front());
}

/// A snapshot of "src" at parallelism `p`: split list "pos" with one entry
/// per subtask ("s<i>"), union list "all" ("u<i>"), keyed files by range.
restore_point snapshot_at(int p) {
  auto g = graph_at(p);
  restore_point point;
  point.directory = "/snap";
  point.metadata.id = checkpoint_id{3};
  operator_state op;
  op.op = source_id(*g);
  op.name = "src";
  op.parallelism = p;
  op.max_parallelism = 128;
  for (int i = 0; i < p; ++i) {
    operator_subtask_state s;
    s.op = op.op;
    s.subtask = i;
    s.lists.push_back({"pos", spi::redistribution::split, {"s" + std::to_string(i)}});
    s.lists.push_back({"all", spi::redistribution::union_all, {"u" + std::to_string(i)}});
    auto range = spi::key_groups_of_subtask(128, p, i);
    s.has_keyed = true;
    s.keyed.file = "k" + std::to_string(i);
    s.keyed.first_group = range.begin;
    s.keyed.end_group = range.end;
    op.subtasks.push_back(s);
  }
  point.metadata.operators.push_back(op);
  return point;
}

const operator_list_state& list(const operator_restore_spec& spec, const std::string& name) {
  for (const auto& l : spec.lists)
    if (l.name == name)
      return l;
  throw std::runtime_error("no list " + name);
}

} // namespace

BOOST_AUTO_TEST_SUITE(restore_assignment)

BOOST_AUTO_TEST_CASE(the_same_parallelism_keeps_each_subtasks_state) {
  auto g = graph_at(2);
  auto point = snapshot_at(2);
  for (int i = 0; i < 2; ++i) {
    auto r = restore_of(point, *g, 0, i);
    BOOST_TEST(r.restoring());
    BOOST_REQUIRE(r.operators.size() == 1u); // the sink has no state in the snapshot
    const auto& spec = r.operators[0];
    BOOST_TEST((list(spec, "pos").entries == std::vector<std::string>{"s" + std::to_string(i)}));
    BOOST_TEST((list(spec, "all").entries == std::vector<std::string>{"u0", "u1"}));
    BOOST_REQUIRE(spec.keyed.size() == 1u);
    BOOST_TEST(spec.keyed[0].file == "k" + std::to_string(i));
  }
}

BOOST_AUTO_TEST_CASE(another_parallelism_deals_state_out_and_follows_key_groups) {
  auto g = graph_at(3);
  auto point = snapshot_at(2);
  std::vector<std::string> dealt;
  for (int i = 0; i < 3; ++i) {
    auto r = restore_of(point, *g, 0, i);
    const auto& spec = r.operators.at(0);
    for (const auto& e : list(spec, "pos").entries)
      dealt.push_back(e);
    BOOST_TEST(list(spec, "all").entries.size() == 2u);
    // Subtask 1 of 3 owns groups [43, 86): both old halves overlap it.
    BOOST_TEST(spec.keyed.size() == (i == 1 ? 2u : 1u));
    BOOST_TEST(spec.first_group == spi::key_groups_of_subtask(128, 3, i).begin);
  }
  std::sort(dealt.begin(), dealt.end());
  BOOST_TEST((dealt == std::vector<std::string>{"s0", "s1"})); // each entry once
}

BOOST_AUTO_TEST_CASE(snapshots_that_do_not_fit_are_refused_by_name) {
  auto point = snapshot_at(2);
  auto other = flinkcpp::testing::build_graph(
    [](stream_environment& env) { env.from_sequence(1, 100).uid("renamed").discard(); });
  auto refused = check_restore(point.metadata, *other, false);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().find("state of operator 'src'") != std::string::npos);
  BOOST_TEST(refused.error().find("--allowNonRestoredState") != std::string::npos);
  BOOST_TEST(check_restore(point.metadata, *other, true).ok());

  auto g = graph_at(2);
  point.metadata.operators[0].max_parallelism = 64;
  auto rescaled = check_restore(point.metadata, *g, false);
  BOOST_REQUIRE(!rescaled);
  BOOST_TEST(rescaled.error().find("max parallelism 64") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "flinkcpp/flinkcpp.hpp"
#include "graph/channel_layout.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(channel_layout)

BOOST_AUTO_TEST_CASE(pointwise_groups_follow_flink) {
  BOOST_TEST((pointwise_consumers(2, 4, 0) == std::vector<int>{0, 1}));
  BOOST_TEST((pointwise_consumers(2, 4, 1) == std::vector<int>{2, 3}));
  BOOST_TEST((pointwise_producers(4, 2, 0) == std::vector<int>{0, 1}));
  BOOST_TEST((pointwise_producers(4, 2, 1) == std::vector<int>{2, 3}));
  BOOST_TEST((pointwise_producers(3, 2, 0) == std::vector<int>{0}));
  BOOST_TEST((pointwise_producers(3, 2, 1) == std::vector<int>{1, 2}));
  BOOST_TEST((pointwise_consumers(2, 3, 0) == std::vector<int>{0, 1}));
  BOOST_TEST((pointwise_consumers(2, 3, 1) == std::vector<int>{2}));
}

BOOST_AUTO_TEST_CASE(pointwise_sides_agree_and_cover_everyone) {
  for (int p = 1; p <= 9; ++p) {
    for (int q = 1; q <= 9; ++q) {
      std::vector<int> fed(static_cast<std::size_t>(q), 0);
      for (int i = 0; i < p; ++i) {
        auto consumers = pointwise_consumers(p, q, i);
        BOOST_TEST(!consumers.empty());
        for (int c : consumers) {
          ++fed[static_cast<std::size_t>(c)];
          auto producers = pointwise_producers(p, q, c);
          BOOST_TEST((std::find(producers.begin(), producers.end(), i) != producers.end()));
        }
      }
      for (int c = 0; c < q; ++c)
        BOOST_TEST(fed[static_cast<std::size_t>(c)] ==
                   static_cast<int>(pointwise_producers(p, q, c).size()));
    }
  }
}

BOOST_AUTO_TEST_CASE(channel_indexes_match_on_both_ends) {
  auto g = flinkcpp::testing::build_graph([](stream_environment& env) {
    auto s = env.from_sequence(1, 100).set_parallelism(3);
    s.rebalance().map([](std::int64_t x) { return x; }).set_parallelism(2).discard();
    s.rescale().map([](std::int64_t x) { return x; }).set_parallelism(5).discard();
  });
  for (const auto& edge : g->edges()) {
    int p = g->vertices()[static_cast<std::size_t>(edge.source_vertex)].parallelism;
    for (int producer = 0; producer < p; ++producer) {
      auto consumers = consumers_of(*g, edge, producer);
      for (std::uint32_t ch = 0; ch < consumers.size(); ++ch) {
        auto back = producers_of(*g, edge, consumers[ch].subtask);
        auto& mine = back.at(consumers[ch].channel);
        BOOST_TEST(mine.subtask == producer);
        BOOST_TEST(mine.channel == ch);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include "flinkcpp/flinkcpp.hpp"
#include "graph/plan_json.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(plan_json_shape)

BOOST_AUTO_TEST_CASE(plan_has_flinks_fields) {
  job_settings settings;
  settings.name = "plan-test";
  settings.parallelism = 4;
  auto g = flinkcpp::testing::build_graph(
    [](stream_environment& env) {
      env.from_sequence(1, 10)
        .name("src")
        .key_by([](std::int64_t x) { return x % 2; })
        .sum()
        .name("sum")
        .print()
        .name("out")
        .set_parallelism(1);
    },
    settings);
  auto id = job_id::random();
  auto json = plan_json(*g, id);
  const auto& plan = json.at("plan");
  BOOST_TEST(plan.at("jid").get<std::string>() == id.to_string());
  BOOST_TEST(plan.at("name").get<std::string>() == "plan-test");
  BOOST_TEST(plan.at("type").get<std::string>() == "STREAMING");
  const auto& nodes = plan.at("nodes");
  BOOST_REQUIRE(nodes.size() == 3u);
  BOOST_TEST(nodes[0].at("description").get<std::string>() == "Source: src");
  BOOST_TEST(nodes[0].at("parallelism").get<int>() == 4);
  BOOST_TEST(nodes[0].at("id").get<std::string>().size() == 32u);
  BOOST_TEST(!nodes[0].contains("inputs"));
  BOOST_TEST(nodes[0].at("operator").get<std::string>().empty());
  BOOST_TEST(nodes[0].at("operator_strategy").get<std::string>().empty());
  BOOST_TEST(nodes[0].at("optimizer_properties").is_object());
  const auto& input = nodes[1].at("inputs").at(0);
  BOOST_TEST(input.at("num").get<int>() == 0);
  BOOST_TEST(input.at("id") == nodes[0].at("id"));
  BOOST_TEST(input.at("ship_strategy").get<std::string>() == "HASH");
  BOOST_TEST(input.at("exchange").get<std::string>() == "pipelined_bounded");
  BOOST_TEST(nodes[2].at("inputs").at(0).at("ship_strategy").get<std::string>() == "REBALANCE");
  BOOST_TEST(nodes[2].at("description").get<std::string>() == "Sink: out");
}

BOOST_AUTO_TEST_CASE(descriptions_are_html_escaped_as_flink_does) {
  auto g = flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 2).name("a<b>").map([](std::int64_t x) { return x; }).name("m").discard();
  });
  auto json = plan_json(*g, job_id::random());
  BOOST_TEST(json["plan"]["nodes"][0]["description"].get<std::string>() ==
             "Source: a&lt;b&gt; -&gt; m -&gt; Sink: Discarding Sink");
}

BOOST_AUTO_TEST_SUITE_END()

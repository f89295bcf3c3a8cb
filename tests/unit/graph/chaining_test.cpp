#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "graph/job_graph.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;
using flinkcpp::testing::build_graph;
using flinkcpp::testing::try_build_graph;

namespace {

std::vector<std::string> vertex_names(const job_graph& g) {
  std::vector<std::string> out;
  for (const auto& v : g.vertices())
    out.push_back(v.name);
  return out;
}

job_settings parallel(int p) {
  job_settings s;
  s.name = "test";
  s.parallelism = p;
  return s;
}

void word_pipeline(stream_environment& env) {
  env.from_sequence(1, 100)
    .name("numbers")
    .map([](std::int64_t x) { return x * 2; })
    .name("double")
    .filter([](std::int64_t x) { return x % 3 != 0; })
    .name("not-3")
    .key_by([](std::int64_t x) { return x % 10; })
    .sum()
    .name("sum")
    .print()
    .name("out");
}

} // namespace

BOOST_AUTO_TEST_SUITE(chaining)

BOOST_AUTO_TEST_CASE(forward_neighbours_of_equal_parallelism_chain) {
  auto g = build_graph(word_pipeline, parallel(2));
  BOOST_TEST((vertex_names(*g) ==
              std::vector<std::string>{"Source: numbers -> double -> not-3", "sum -> Sink: out"}));
  BOOST_REQUIRE(g->edges().size() == 1u);
  BOOST_TEST((g->edges()[0].strategy == spi::ship_strategy::hash));
  BOOST_TEST(g->slots_needed() == 2);
}

BOOST_AUTO_TEST_CASE(disabled_chaining_gives_every_operator_a_task) {
  auto settings = parallel(2);
  settings.chaining = false;
  auto g = build_graph(word_pipeline, settings);
  BOOST_TEST(g->vertices().size() == 5u);
  auto env_off = build_graph(
    [](stream_environment& env) {
      env.disable_operator_chaining();
      word_pipeline(env);
    },
    parallel(2));
  BOOST_TEST(env_off->vertices().size() == 5u);
}

BOOST_AUTO_TEST_CASE(per_operator_chaining_controls) {
  auto g = build_graph(
    [](stream_environment& env) {
      env.from_sequence(1, 10)
        .name("src")
        .map([](std::int64_t x) { return x; })
        .name("a")
        .start_new_chain()
        .map([](std::int64_t x) { return x; })
        .name("b")
        .map([](std::int64_t x) { return x; })
        .name("c")
        .disable_chaining()
        .discard()
        .name("sink");
    },
    parallel(1));
  BOOST_TEST(
    (vertex_names(*g) == std::vector<std::string>{"Source: src", "a -> b", "c", "Sink: sink"}));
}

BOOST_AUTO_TEST_CASE(parallelism_changes_break_chains_with_rebalance) {
  auto g = build_graph(
    [](stream_environment& env) {
      env.from_sequence(1, 10)
        .name("src")
        .set_parallelism(1)
        .map([](std::int64_t x) { return x; })
        .name("m")
        .print()
        .name("p");
    },
    parallel(3));
  BOOST_TEST((vertex_names(*g) == std::vector<std::string>{"Source: src", "m -> Sink: p"}));
  BOOST_TEST((g->edges()[0].strategy == spi::ship_strategy::rebalance));
  BOOST_TEST(g->vertices()[0].parallelism == 1);
  BOOST_TEST(g->vertices()[1].parallelism == 3);
}

BOOST_AUTO_TEST_CASE(explicit_partitioning_breaks_chains) {
  for (auto strategy : {spi::ship_strategy::rebalance, spi::ship_strategy::rescale,
                        spi::ship_strategy::broadcast}) {
    auto g = build_graph(
      [strategy](stream_environment& env) {
        auto s = env.from_sequence(1, 10);
        auto p = strategy == spi::ship_strategy::rebalance ? s.rebalance()
                 : strategy == spi::ship_strategy::rescale ? s.rescale()
                                                           : s.broadcast();
        p.discard();
      },
      parallel(2));
    BOOST_REQUIRE(g->edges().size() == 1u);
    BOOST_TEST((g->edges()[0].strategy == strategy));
  }
}

BOOST_AUTO_TEST_CASE(unions_and_fanouts) {
  auto g = build_graph(
    [](stream_environment& env) {
      auto a = env.from_sequence(1, 10).name("a");
      auto b = env.from_sequence(11, 20).name("b");
      auto both = a.union_with(b).map([](std::int64_t x) { return x; }).name("m");
      both.print().name("p1");
      both.discard().name("p2");
    },
    parallel(1));
  // A union's consumer has two inputs and heads its own chain; the map feeds
  // two chained sinks.
  BOOST_TEST((vertex_names(*g) ==
              std::vector<std::string>{"Source: a", "Source: b", "m -> Sink: p1 -> Sink: p2"}));
  BOOST_TEST(g->vertices()[2].inputs.size() == 2u);
}

BOOST_AUTO_TEST_CASE(operators_that_reach_no_sink_are_dropped) {
  auto g = build_graph(
    [](stream_environment& env) {
      auto s = env.from_sequence(1, 10).name("src");
      s.map([](std::int64_t x) { return x; }).name("dangling");
      s.print().name("p");
    },
    parallel(1));
  BOOST_TEST((vertex_names(*g) == std::vector<std::string>{"Source: src -> Sink: p"}));
}

BOOST_AUTO_TEST_CASE(vertex_ids_are_stable_and_follow_uids) {
  auto a = build_graph(word_pipeline, parallel(2));
  auto b = build_graph(word_pipeline, parallel(2));
  for (std::size_t i = 0; i < a->vertices().size(); ++i)
    BOOST_TEST(a->vertices()[i].id.to_string() == b->vertices()[i].id.to_string());
  auto with_uid = [](const std::string& name) {
    return build_graph(
      [name](stream_environment& env) {
        env.from_sequence(1, 2).name(name).uid("source-uid").print();
      },
      parallel(1));
  };
  // The uid fixes the id whatever the name.
  BOOST_TEST(with_uid("x")->vertices()[0].id.to_string() ==
             with_uid("y")->vertices()[0].id.to_string());
}

BOOST_AUTO_TEST_CASE(invalid_graphs_are_rejected_with_the_operator_named) {
  auto no_sink = try_build_graph([](stream_environment& env) { env.from_sequence(1, 2); });
  BOOST_TEST(no_sink.error().find("no sink") != std::string::npos);

  auto forward = try_build_graph(
    [](stream_environment& env) {
      env.from_sequence(1, 2)
        .name("src")
        .set_parallelism(1)
        .forward()
        .map([](std::int64_t x) { return x; })
        .name("m")
        .set_parallelism(2)
        .discard();
    },
    parallel(1));
  BOOST_TEST(forward.error() == "forward partitioning needs equal parallelism, but 'Source: src' "
                                "has 1 and 'm' has 2");

  auto too_parallel = try_build_graph(
    [](stream_environment& env) {
      env.set_max_parallelism(4);
      env.from_sequence(1, 2).name("src").set_parallelism(8).discard();
    },
    parallel(1));
  BOOST_TEST(too_parallel.error().find("'Source: src' exceeds its max parallelism 4") !=
             std::string::npos);

  auto settings = parallel(1);
  settings.mode = runtime_mode::batch;
  auto unbounded = try_build_graph(
    [](stream_environment& env) {
      env.datagen([](std::int64_t i) { return i; }, stream_environment::unbounded).discard();
    },
    settings);
  BOOST_TEST(unbounded.error().find("BATCH needs bounded sources") != std::string::npos);

  auto no_side_outputs = try_build_graph([](stream_environment& env) {
    env.from_sequence(1, 2)
      .map([](std::int64_t x) { return x; })
      .name("m")
      .get_side_output(output_tag<std::int64_t>{"odd"})
      .discard();
  });
  BOOST_TEST(no_side_outputs.error() ==
             "'Sink: Discarding Sink' reads the side output 'odd' of 'm', which has no side "
             "outputs (process functions and windows have)");
}

BOOST_AUTO_TEST_CASE(side_outputs_chain_like_main_outputs_and_fan_out) {
  static const output_tag<std::int64_t> odd{"odd"};
  struct split_odd : keyed_process_function<std::int64_t, std::int64_t, std::int64_t> {
    void process_element(const std::int64_t& x, context& ctx,
                         collector<std::int64_t>& out) override {
      if (x % 2 != 0)
        ctx.output(odd, x);
      else
        out.collect(std::int64_t{x});
    }
  };
  auto g = build_graph(
    [](stream_environment& env) {
      auto split = env.from_sequence(1, 10)
                     .name("numbers")
                     .key_by([](std::int64_t x) { return x; })
                     .process(split_odd{})
                     .name("split");
      split.discard().name("even");
      split.get_side_output(odd).discard().name("odd-1");
      split.get_side_output(odd).rebalance().discard().name("odd-2");
    },
    parallel(2));
  BOOST_TEST((vertex_names(*g) == std::vector<std::string>{"Source: numbers",
                                                           "split -> Sink: even -> Sink: odd-1",
                                                           "Sink: odd-2"}));
  BOOST_TEST(g->edges().back().side_output == "odd");
  BOOST_TEST(g->edges().front().side_output.empty());
}

BOOST_AUTO_TEST_CASE(window_all_runs_in_one_subtask) {
  auto g = build_graph(
    [](stream_environment& env) {
      auto counts = env.from_sequence(1, 10)
                      .window_all(tumbling_processing_time_windows::of(std::chrono::seconds{1}))
                      .sum();
      BOOST_CHECK_THROW(counts.set_parallelism(2), std::invalid_argument);
      counts.discard();
    },
    parallel(4));
  BOOST_TEST((vertex_names(*g) ==
              std::vector<std::string>{
                "Source: Sequence Source",
                "Window(TumblingProcessingTimeWindows(1000), ProcessingTimeTrigger, Aggregation)",
                "Sink: Discarding Sink"}));
  BOOST_TEST(g->vertices()[1].parallelism == 1);
}

BOOST_AUTO_TEST_CASE(automatic_mode_follows_the_sources) {
  auto settings = parallel(1);
  settings.mode = std::nullopt;
  auto bounded =
    build_graph([](stream_environment& env) { env.from_sequence(1, 2).discard(); }, settings);
  BOOST_TEST((bounded->mode() == runtime_mode::batch));
  auto unbounded = build_graph(
    [](stream_environment& env) {
      env.datagen([](std::int64_t i) { return i; }, stream_environment::unbounded).discard();
    },
    settings);
  BOOST_TEST((unbounded->mode() == runtime_mode::streaming));
}

BOOST_AUTO_TEST_CASE(settings_on_streams_without_an_operator_are_rejected) {
  stream_environment env;
  auto s = env.from_sequence(1, 2);
  BOOST_CHECK_THROW(s.rebalance().set_parallelism(2), std::logic_error);
  BOOST_CHECK_THROW(s.set_parallelism(0), std::invalid_argument);
  BOOST_CHECK_THROW(env.from_elements(1, 2, 3).set_parallelism(2), std::invalid_argument);
  BOOST_CHECK_THROW(env.from_sequence(5, 1), std::invalid_argument);
  s.uid("one");
  BOOST_CHECK_THROW(s.map([](std::int64_t x) { return x; }).uid("one"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/detail/timestamps_and_watermarks.hpp"
#include "flinkcpp/flinkcpp.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

struct event {
  std::int64_t time = 0;
};

template <class Inspector>
auto inspect(Inspector& f, event& x) {
  return f(x.time);
}

struct recording final : collector<event> {
  using collector<event>::collect;
  std::vector<std::int64_t> times;
  void collect(event&& e) override { times.push_back(e.time); }
};

watermark_strategy<event> bounded(std::chrono::milliseconds bound) {
  return watermark_strategy<event>::for_bounded_out_of_orderness(bound).with_timestamp_assigner(
    [](const event& e) { return e.time; });
}

} // namespace

BOOST_AUTO_TEST_SUITE(watermark_strategies)

BOOST_AUTO_TEST_CASE(bounded_out_of_orderness_trails_the_largest_timestamp_by_the_bound_and_1_ms) {
  recording out;
  detail::timestamps_and_watermarks_operator<event> op{bounded(100ms)};
  op.set_output(detail::collector_ref::of<event>(&out));
  BOOST_TEST(op.generates_watermarks());
  BOOST_TEST(op.periodic_watermark() == min_watermark); // no record yet
  for (std::int64_t t : {1000, 1500, 1200})
    op.collect(event{t});
  BOOST_TEST((out.times == std::vector<std::int64_t>{1000, 1500, 1200})); // unchanged, in order
  BOOST_TEST(op.periodic_watermark() == 1399);
  BOOST_TEST(op.records_emitted() == 3);
}

BOOST_AUTO_TEST_CASE(monotonous_timestamps_trail_by_1_ms) {
  recording out;
  auto strategy = watermark_strategy<event>::for_monotonous_timestamps().with_timestamp_assigner(
    [](const event& e) { return e.time; });
  detail::timestamps_and_watermarks_operator<event> op{strategy};
  op.set_output(detail::collector_ref::of<event>(&out));
  op.collect(event{42});
  BOOST_TEST(op.periodic_watermark() == 41);
}

BOOST_AUTO_TEST_CASE(timestamps_near_the_start_of_time_give_no_watermark) {
  recording out;
  detail::timestamps_and_watermarks_operator<event> op{bounded(10ms)};
  op.set_output(detail::collector_ref::of<event>(&out));
  op.collect(event{min_watermark + 5});
  BOOST_TEST(op.periodic_watermark() == min_watermark);
}

BOOST_AUTO_TEST_CASE(upstream_watermarks_are_replaced_but_the_end_of_input_passes) {
  detail::timestamps_and_watermarks_operator<event> op{bounded(0ms)};
  BOOST_TEST(op.process_watermark(12345) == min_watermark);
  BOOST_TEST(op.process_watermark(max_watermark) == max_watermark);
}

BOOST_AUTO_TEST_CASE(a_negative_bound_or_a_missing_assigner_is_refused) {
  BOOST_CHECK_THROW(watermark_strategy<event>::for_bounded_out_of_orderness(-1ms),
                    std::invalid_argument);
  stream_environment env;
  auto events = env.from_elements(std::vector<event>{{1}});
  try {
    events.assign_timestamps_and_watermarks(watermark_strategy<event>::for_monotonous_timestamps());
    BOOST_FAIL("a strategy without an assigner was taken");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string{e.what()}.find("no timestamp assigner") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()

// A source's reader in its subtask's operator: it registers with the
// coordinator, asks for splits and reads those it gets, with their records'
// timestamps, until no more come; its splits' positions go into checkpoints
// and a reader restored from them reads exactly the rest; the subtask's
// watermark is the least of its splits'.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/source_reader_operator.hpp"
#include "support/inline_io.hpp"
#include "support/manual_clock.hpp"
#include "support/range_source.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;
using detail::from_bytes;
using detail::source_event;
using detail::to_bytes;
using flinkcpp::testing::inline_io;
using flinkcpp::testing::manual_clock;

namespace {

using flinkcpp::testing::range_checkpoint;
using flinkcpp::testing::range_source;
using flinkcpp::testing::range_split;

using reader_operator = detail::source_reader_operator<std::int64_t, range_split, range_checkpoint>;

/// Records with the timestamps they carried; with `restamp`, it then
/// stamps them anew, as an assigner chained after the source does.
struct recording_sink final : collector<std::int64_t> {
  using collector<std::int64_t>::collect;
  spi::record_timestamp* now = nullptr;
  std::optional<std::int64_t> restamp;
  std::vector<std::pair<std::int64_t, std::int64_t>> got; ///< (record, timestamp)
  void collect(std::int64_t&& record) override {
    got.emplace_back(record, now->value);
    if (restamp)
      now->value = *restamp;
  }
};

/// One subtask's reader operator and what it sent to the coordinator.
struct subtask {
  inline_io io;
  manual_clock clock;
  spi::record_timestamp now;
  recording_sink sink;
  std::vector<source_event> sent;
  metric_group metrics;
  std::unique_ptr<reader_operator> op;

  explicit subtask(const range_source& source, const spi::operator_restore* restore = nullptr) {
    spi::operator_context context;
    context.io = &io;
    context.clock = &clock;
    context.wake = [] {};
    context.location = "host-1";
    context.metrics = metrics;
    context.send_to_coordinator = [this](std::string bytes) {
      sent.push_back(from_bytes<source_event>(bytes));
    };
    op = std::make_unique<reader_operator>(
      source,
      watermark_strategy<std::int64_t>::for_bounded_out_of_orderness(std::chrono::milliseconds{0}),
      context);
    sink.now = &now;
    op->bind_timestamp(now);
    op->set_output(spi::collector_ref::of<std::int64_t>(&sink));
    if (restore != nullptr)
      op->restore_state(*restore);
    op->open();
  }

  void give(const std::vector<range_split>& splits) {
    op->handle_coordinator_event(flinkcpp::testing::add_splits_event(splits));
  }
  void no_more() { op->handle_coordinator_event(flinkcpp::testing::no_more_splits_event()); }
  spi::input_status poll() { return op->poll(100).status; }
  /// The operator's metric `name` now.
  double metric(const std::string& name) const {
    for (const auto& m : metrics.read(0))
      if (m.name == name)
        return m.value;
    BOOST_FAIL("no metric " + name);
    return 0;
  }
  std::vector<std::int64_t> records() const {
    std::vector<std::int64_t> out;
    for (const auto& [r, t] : sink.got)
      out.push_back(r);
    return out;
  }
};

using numbers = std::vector<std::int64_t>;

} // namespace

BOOST_AUTO_TEST_SUITE(source_reader_operators)

BOOST_AUTO_TEST_CASE(it_registers_asks_for_splits_and_reads_them_to_the_end) {
  range_source source{2};
  subtask s{source};
  BOOST_REQUIRE(s.sent.size() == 1u);
  BOOST_TEST(s.sent[0].what == source_event::reader_registration);
  BOOST_TEST(s.sent[0].host == "host-1");
  BOOST_TEST((s.poll() == input_status::nothing_available));
  BOOST_REQUIRE(s.sent.size() == 2u);
  BOOST_TEST(s.sent[1].what == source_event::split_request);
  s.give({{"a", 0, 3}});
  while (s.poll() == input_status::more_available) {
  }
  s.no_more();
  BOOST_TEST((s.poll() == input_status::end_of_input));
  BOOST_TEST((s.records() == numbers{0, 1, 2}));
  BOOST_TEST((s.sink.got[2] == std::pair<std::int64_t, std::int64_t>{2, 20})); // the reader's
}

BOOST_AUTO_TEST_CASE(it_reports_flinks_source_metrics) {
  range_source source{2};
  subtask s{source};
  s.clock.advance(500ms);
  s.poll(); // nothing yet
  BOOST_TEST(s.metric("sourceIdleTime") == 500);
  BOOST_TEST(std::isnan(s.metric("currentEmitEventTimeLag")));
  s.give({{"a", 0, 5}});
  BOOST_TEST(s.metric("pendingRecords") == 5); // the reader's own
  s.sink.restamp = 7; // what the source emitted counts, not what came of it
  s.poll();           // 0 and 1, stamped 0 and 10
  BOOST_TEST(s.metric("pendingRecords") == 3);
  BOOST_TEST(s.metric("sourceIdleTime") == 0);
  BOOST_TEST(s.metric("currentEmitEventTimeLag") == 1'000'500 - 10);
  s.clock.advance(200ms);
  BOOST_TEST(s.metric("sourceIdleTime") == 200);
}

BOOST_AUTO_TEST_CASE(a_reader_restored_from_a_checkpoint_reads_exactly_the_rest) {
  range_source source{1};
  subtask first{source};
  first.give({{"a", 0, 5}, {"b", 100, 103}});
  first.poll();
  first.poll(); // a: 0, 1; b: 100, 101
  spi::operator_snapshot snapshot;
  first.op->snapshot_state(checkpoint_id{1}, snapshot);
  const auto& list = snapshot.lists.at(reader_operator::splits_list);
  BOOST_TEST((list.mode == spi::redistribution::split));
  BOOST_REQUIRE(list.entries.size() == 2u);
  first.poll(); // read after the checkpoint: lost with the failure

  spi::operator_restore restore;
  restore.lists[reader_operator::splits_list] = list.entries;
  subtask second{source, &restore};
  second.no_more();
  while (second.poll() == input_status::more_available) {
  }
  BOOST_TEST((second.poll() == input_status::end_of_input));
  auto before = first.records();
  BOOST_TEST((numbers(before.begin(), before.begin() + 4) == numbers{0, 100, 1, 101}));
  BOOST_TEST((second.records() == numbers{2, 102, 3, 4}));
}

BOOST_AUTO_TEST_CASE(the_watermark_is_the_least_of_the_splits_until_one_is_done) {
  range_source source{1};
  subtask s{source};
  s.give({{"slow", 0, 3}, {"fast", 50, 100}});
  s.poll(); // slow 0 (time 0), fast 50 (time 500)
  s.op->emit_periodic_watermark();
  BOOST_TEST(s.op->generated().watermark == -1); // the slow split's 0, less 1
  s.poll();
  s.poll(); // slow is done (2, time 20): released
  s.poll();
  s.op->emit_periodic_watermark();
  BOOST_TEST(s.op->generated().watermark == 53 * 10 - 1); // fast alone: 53
  BOOST_TEST(!s.op->generated().idle);
}

BOOST_AUTO_TEST_SUITE_END()

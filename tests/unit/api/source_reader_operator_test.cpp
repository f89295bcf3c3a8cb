// A source's reader in its subtask's operator: it registers with the
// coordinator, asks for splits and reads those it gets, with their records'
// timestamps, until no more come; its splits' positions go into checkpoints
// and a reader restored from them reads exactly the rest; the subtask's
// watermark is the least of its splits'.

#include <boost/test/unit_test.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/source_reader_operator.hpp"
#include "support/inline_io.hpp"
#include "support/manual_clock.hpp"

using namespace flinkcpp;
using detail::from_bytes;
using detail::source_event;
using detail::to_bytes;
using flinkcpp::testing::inline_io;
using flinkcpp::testing::manual_clock;

namespace {

/// Numbers [next, end) of one split; each record's timestamp is 10 x it.
struct range_split {
  std::string name;
  std::int64_t next = 0;
  std::int64_t end = 0;
  std::string split_id() const { return name; }
};

template <class Inspector>
auto inspect(Inspector& f, range_split& x) {
  return f(x.name, x.next, x.end);
}

struct no_checkpoint {};

template <class Inspector>
auto inspect(Inspector& f, no_checkpoint&) {
  return f();
}

/// Asks for a split whenever it has none; reads `step` numbers of each of
/// its splits per poll, through the split's own output.
class range_reader final : public source_reader<std::int64_t, range_split> {
public:
  range_reader(source_reader_context& context, std::int64_t step)
    : context_(&context),
      step_(step) {}

  input_status poll_next(reader_output<std::int64_t>& output, std::size_t) override {
    for (auto& s : splits_) {
      auto& out = output.output_for_split(s.name);
      for (std::int64_t i = 0; i < step_ && s.next < s.end; ++i, ++s.next)
        out.collect(s.next, s.next * 10);
    }
    for (auto s = splits_.begin(); s != splits_.end();)
      if (s->next == s->end) {
        output.release_output_for_split(s->name);
        s = splits_.erase(s);
      } else {
        ++s;
      }
    if (!splits_.empty())
      return input_status::more_available;
    if (no_more_)
      return input_status::end_of_input;
    if (!asked_) {
      asked_ = true;
      context_->send_split_request();
    }
    return input_status::nothing_available;
  }
  std::vector<range_split> snapshot_state(checkpoint_id) override { return splits_; }
  void add_splits(std::vector<range_split> splits) override {
    asked_ = false;
    splits_.insert(splits_.end(), splits.begin(), splits.end());
  }
  void notify_no_more_splits() override { no_more_ = true; }

private:
  source_reader_context* context_;
  std::int64_t step_;
  std::vector<range_split> splits_;
  bool asked_ = false;
  bool no_more_ = false;
};

class range_source final : public source<std::int64_t, range_split, no_checkpoint> {
public:
  explicit range_source(std::int64_t step) : step_(step) {}
  boundedness get_boundedness() const override { return boundedness::bounded; }
  std::unique_ptr<source_reader<std::int64_t, range_split>>
  create_reader(source_reader_context& context) const override {
    return std::make_unique<range_reader>(context, step_);
  }
  std::unique_ptr<split_enumerator<range_split, no_checkpoint>>
  create_enumerator(split_enumerator_context<range_split>&) const override {
    return nullptr;
  }
  std::unique_ptr<split_enumerator<range_split, no_checkpoint>>
  restore_enumerator(split_enumerator_context<range_split>&, no_checkpoint) const override {
    return nullptr;
  }

private:
  std::int64_t step_;
};

using reader_operator = detail::source_reader_operator<std::int64_t, range_split, no_checkpoint>;

/// Records with the timestamps they carried.
struct recording_sink final : collector<std::int64_t> {
  using collector<std::int64_t>::collect;
  spi::record_timestamp* now = nullptr;
  std::vector<std::pair<std::int64_t, std::int64_t>> got; ///< (record, timestamp)
  void collect(std::int64_t&& record) override { got.emplace_back(record, now->value); }
};

/// One subtask's reader operator and what it sent to the coordinator.
struct subtask {
  inline_io io;
  manual_clock clock;
  spi::record_timestamp now;
  recording_sink sink;
  std::vector<source_event> sent;
  std::unique_ptr<reader_operator> op;

  explicit subtask(const range_source& source, const spi::operator_restore* restore = nullptr) {
    spi::operator_context context;
    context.io = &io;
    context.clock = &clock;
    context.wake = [] {};
    op = std::make_unique<reader_operator>(
      source,
      watermark_strategy<std::int64_t>::for_bounded_out_of_orderness(std::chrono::milliseconds{0}),
      context, "host-1",
      [this](std::string bytes) { sent.push_back(from_bytes<source_event>(bytes)); });
    sink.now = &now;
    op->bind_timestamp(now);
    op->set_output(spi::collector_ref::of<std::int64_t>(&sink));
    if (restore != nullptr)
      op->restore_state(*restore);
    op->open();
  }

  void give(std::vector<range_split> splits) {
    source_event e;
    e.what = source_event::add_splits;
    for (const auto& s : splits)
      e.splits.push_back({s.name, to_bytes(s)});
    op->handle_coordinator_event(to_bytes(e));
  }
  void no_more() {
    source_event e;
    e.what = source_event::no_more_splits;
    op->handle_coordinator_event(to_bytes(e));
  }
  spi::input_status poll() { return op->poll(100).status; }
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

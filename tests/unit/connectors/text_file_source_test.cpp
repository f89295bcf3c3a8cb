// The text file source of the source API: its enumerator lists the files
// off its thread and hands out their ranges in path order, one per request,
// then no more (bounded) or, watching, the ranges of files that appear
// later, each file once, also after a restore; its reader reads the ranges
// it gets and, restored from a snapshot taken mid-range, reads exactly the
// lines after it, numbered on from where it stopped.

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "connectors/file_split_enumerator.hpp"
#include "connectors/text_file_reader.hpp"
#include "flinkcpp/file_source.hpp"
#include "support/inline_io.hpp"
#include "support/manual_clock.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;

namespace {

/// An enumerator's context whose asynchronous calls the test runs.
struct fake_enumerator_context final : split_enumerator_context<file_source_split> {
  int parallelism = 2;
  std::vector<std::pair<int, file_source_split>> assigned;
  std::vector<int> told_no_more;
  std::function<std::function<void()>()> listing;
  std::chrono::milliseconds period{-1};
  metric_group group;

  int current_parallelism() const override { return parallelism; }
  std::map<int, reader_info> registered_readers() const override { return {}; }
  void assign_split(file_source_split split, int subtask) override {
    assigned.emplace_back(subtask, std::move(split));
  }
  void signal_no_more_splits(int subtask) override { told_no_more.push_back(subtask); }
  void call_async(std::function<std::function<void()>()> work,
                  std::chrono::milliseconds p) override {
    listing = std::move(work);
    period = p;
  }
  metric_group& metrics() override { return group; }

  /// Runs the listing as its thread and then its continuation would.
  void list() { listing()(); }
  std::vector<std::string> assigned_ids() const {
    std::vector<std::string> out;
    for (const auto& [subtask, split] : assigned)
      out.push_back(std::to_string(subtask) + " " + split.split_id());
    return out;
  }
};

using strings = std::vector<std::string>;

/// A reader's context: reads run inline, split requests are counted.
struct fake_reader_context final : source_reader_context {
  testing::inline_io io_executor;
  testing::manual_clock manual_clock;
  metric_group group;
  int requests = 0;

  int subtask_index() const override { return 0; }
  int parallelism() const override { return 1; }
  void send_split_request() override { ++requests; }
  std::function<void()> waker() const override {
    return [] {};
  }
  spi::io_executor& io() override { return io_executor; }
  const spi::processing_clock& clock() const override { return manual_clock; }
  metric_group& metrics() override { return group; }
};

/// Keeps what a reader emits.
template <class Line>
struct kept_output final : reader_output<Line> {
  std::vector<Line> lines;
  void collect(Line line) override { lines.push_back(std::move(line)); }
  void collect(Line line, std::int64_t) override { lines.push_back(std::move(line)); }
  void emit_watermark(std::int64_t) override {}
  void mark_idle() override {}
  void mark_active() override {}
  source_output<Line>& output_for_split(const std::string&) override { return *this; }
  void release_output_for_split(const std::string&) override {}
};

/// Polls `reader` for at most `max` lines until it has some or ends (its
/// first poll of a split only starts reading).
template <class Line>
input_status poll(text_file_reader<Line>& reader, kept_output<Line>& out, std::size_t max) {
  auto status = reader.poll_next(out, max);
  return status == input_status::nothing_available ? reader.poll_next(out, max) : status;
}

file_split_enumerator::settings settings_for(const std::string& path,
                                             std::chrono::milliseconds interval = 0ms) {
  file_split_enumerator::settings s;
  s.path = path;
  s.interval = interval;
  return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(text_file_sources)

BOOST_AUTO_TEST_CASE(a_bounded_enumerator_hands_out_ranges_in_path_order_then_no_more) {
  temp_dir dir;
  write_file(dir.file("b.txt"), "bb\nbb\n");
  write_file(dir.file("a.txt"), "a\n");
  fake_enumerator_context context;
  file_split_enumerator enumerator{context, settings_for(dir.path().string()), {}};
  enumerator.start();
  BOOST_TEST(context.period.count() == 0);
  enumerator.handle_split_request(1, "host");
  enumerator.handle_split_request(1, "host"); // asked again while waiting: one answer
  BOOST_TEST(context.assigned.empty());       // not listed yet: the reader waits
  context.list();
  enumerator.handle_split_request(0, "host");
  enumerator.handle_split_request(1, "host");
  BOOST_TEST(context.assigned_ids() ==
             (strings{"1 " + dir.file("a.txt") + ":0", "0 " + dir.file("a.txt") + ":1",
                      "1 " + dir.file("b.txt") + ":0"}));
  enumerator.add_splits_back({context.assigned[0].second}, 1);
  auto checkpoint = enumerator.snapshot_state(checkpoint_id{1});
  BOOST_TEST(checkpoint.listed);
  BOOST_TEST(checkpoint.pending.size() == 2u); // a.txt:0 back, b.txt:3 never given
  BOOST_TEST(checkpoint.pending[0].split_id() == dir.file("a.txt") + ":0");

  fake_enumerator_context restored_context;
  file_split_enumerator restored{restored_context, settings_for(dir.path().string()),
                                 std::move(checkpoint)};
  restored.start();
  BOOST_TEST(!restored_context.listing); // listed before: not again
  for (int i = 0; i < 3; ++i)
    restored.handle_split_request(0, "host");
  BOOST_TEST(restored_context.assigned.size() == 2u);
  BOOST_TEST(restored_context.told_no_more == std::vector<int>{0});
}

BOOST_AUTO_TEST_CASE(a_watching_enumerator_adds_each_new_file_once_also_after_a_restore) {
  temp_dir dir;
  write_file(dir.file("1.txt"), "one\n");
  fake_enumerator_context context;
  context.parallelism = 1;
  file_split_enumerator enumerator{context, settings_for(dir.path().string(), 250ms), {}};
  enumerator.start();
  BOOST_TEST(context.period.count() == 250);
  enumerator.handle_split_request(0, "host");
  context.list();
  enumerator.handle_split_request(0, "host");
  BOOST_TEST(context.assigned.size() == 1u);
  BOOST_TEST(context.told_no_more.empty()); // watching: a reader waits for new files
  write_file(dir.file("2.txt"), "two\n");
  write_file(dir.file(".2.txt.inprogress"), "hidden\n");
  context.list();
  BOOST_TEST(context.assigned_ids() ==
             (strings{"0 " + dir.file("1.txt") + ":0", "0 " + dir.file("2.txt") + ":0"}));

  auto checkpoint = enumerator.snapshot_state(checkpoint_id{1});
  BOOST_TEST(checkpoint.listed_paths == (strings{dir.file("1.txt"), dir.file("2.txt")}));
  fake_enumerator_context restored_context;
  restored_context.parallelism = 1;
  file_split_enumerator restored{restored_context, settings_for(dir.path().string(), 250ms),
                                 std::move(checkpoint)};
  restored.start();
  write_file(dir.file("3.txt"), "three\n");
  restored_context.list();
  restored.handle_split_request(0, "host");
  restored.handle_split_request(0, "host");
  BOOST_TEST(restored_context.assigned_ids() == strings{"0 " + dir.file("3.txt") + ":0"});
}

BOOST_AUTO_TEST_CASE(a_listing_that_fails_names_the_path) {
  temp_dir dir;
  fake_enumerator_context context;
  file_split_enumerator enumerator{context, settings_for(dir.file("missing")), {}};
  enumerator.start();
  try {
    context.list();
    BOOST_FAIL("the listing did not fail");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()}.find(dir.file("missing")) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_reader_restored_mid_file_reads_exactly_the_rest_numbered_on) {
  temp_dir dir;
  std::string text;
  for (int i = 1; i <= 10; ++i)
    text += "line " + std::to_string(i) + (i % 3 == 0 ? "\r\n" : "\n");
  write_file(dir.file("f.txt"), text);
  file_source_split whole{dir.file("f.txt"), 0, text.size(), 0, 0};

  fake_reader_context context;
  text_file_reader<text_line> reader{context};
  kept_output<text_line> out;
  BOOST_TEST((reader.poll_next(out, 10) == input_status::nothing_available));
  BOOST_TEST(context.requests == 1);
  reader.add_splits({whole});
  BOOST_TEST((poll(reader, out, 4) == input_status::more_available));
  BOOST_REQUIRE(out.lines.size() == 4u);
  BOOST_TEST(out.lines[2].text == "line 3");
  auto snapshot = reader.snapshot_state(checkpoint_id{1});
  BOOST_REQUIRE(snapshot.size() == 1u);
  BOOST_TEST(snapshot[0].lines == 4);

  text_file_reader<text_line> restored{context};
  kept_output<text_line> rest;
  restored.add_splits(snapshot);
  restored.notify_no_more_splits();
  BOOST_TEST((poll(restored, rest, 100) == input_status::end_of_input));
  BOOST_REQUIRE(rest.lines.size() == 6u);
  BOOST_TEST((rest.lines.front() == text_line{dir.file("f.txt"), 5, "line 5"}));
  BOOST_TEST((rest.lines.back() == text_line{dir.file("f.txt"), 10, "line 10"}));
}

BOOST_AUTO_TEST_CASE(readers_of_all_ranges_read_every_line_once) {
  temp_dir dir;
  std::string text;
  strings expected;
  for (int i = 0; i < 200; ++i) {
    expected.push_back(std::string(static_cast<std::size_t>(i % 17), 'x') + std::to_string(i));
    text += expected.back() + "\n";
  }
  write_file(dir.file("f.txt"), text);
  fake_enumerator_context enumerator_context;
  enumerator_context.parallelism = 3;
  file_split_enumerator enumerator{enumerator_context, settings_for(dir.file("f.txt")), {}};
  enumerator.start();
  enumerator_context.list();
  strings read;
  for (int i = 0; i < 3; ++i) {
    enumerator.handle_split_request(i, "host");
    fake_reader_context context;
    auto reader = std::make_unique<text_file_reader<std::string>>(context);
    kept_output<std::string> out;
    reader->add_splits({enumerator_context.assigned.back().second});
    reader->notify_no_more_splits();
    // A snapshot after every poll, and a reader restored from it, as a
    // job failing there would.
    while (poll(*reader, out, 7) != input_status::end_of_input) {
      auto snapshot = reader->snapshot_state(checkpoint_id{1});
      reader = std::make_unique<text_file_reader<std::string>>(context);
      reader->add_splits(snapshot);
      reader->notify_no_more_splits();
    }
    read.insert(read.end(), out.lines.begin(), out.lines.end());
  }
  BOOST_TEST(enumerator_context.assigned.size() == 3u);
  BOOST_TEST(read == expected);
}

BOOST_AUTO_TEST_SUITE_END()

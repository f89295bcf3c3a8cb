#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "connectors/file_splits.hpp"
#include "flinkcpp/detail/file_source.hpp"
#include "flinkcpp/detail/sink_writer_operator.hpp"
#include "flinkcpp/file_sink.hpp"
#include "runtime/io_thread_pool.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using namespace flinkcpp;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::wait_until;
using flinkcpp::testing::write_file;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

using text_file_sink = flinkcpp::file_sink<std::string>;
using file_sink_operator = detail::sink_writer_operator<text_file_sink>;

struct output_fixture {
  io_thread_pool io{2};
  std::atomic<int> wakes{0};

  /// The operator of subtask `subtask` of `parallelism` writing to `sink`.
  std::unique_ptr<file_sink_operator> sink_operator(const text_file_sink& sink, int subtask,
                                                    int parallelism) {
    spi::operator_context c;
    c.subtask_index = subtask;
    c.parallelism = parallelism;
    c.io = &io;
    c.wake = [this] { ++wakes; };
    return std::make_unique<file_sink_operator>(std::make_shared<const text_file_sink>(sink), c);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(file_splitting)

BOOST_AUTO_TEST_CASE(files_are_cut_into_ranges_in_the_order_of_their_paths) {
  temp_dir dir;
  write_file(dir.file("b.txt"), std::string(10, 'b'));
  write_file(dir.file("a.txt"), std::string(3, 'a'));
  write_file(dir.file("empty.txt"), "");
  write_file(dir.file(".hidden"), "x");
  write_file(dir.file("_SUCCESS"), "x");
  fs::create_directory(dir.path() / "sub");
  write_file((dir.path() / "sub" / "c.txt").string(), std::string(4, 'c'));
  auto splits = enumerate_file_splits(dir.path().string(), 4);
  BOOST_REQUIRE(splits);
  // a.txt: 3 ranges of 1 byte; b.txt: 4 ranges; sub/c.txt: 4 ranges.
  BOOST_TEST(splits->size() == 11u);
  BOOST_TEST((splits->front() == file_split{dir.file("a.txt"), 0, 1}));
  BOOST_TEST((splits->at(3) == file_split{dir.file("b.txt"), 0, 2}));
  std::uint64_t covered = 0;
  for (const auto& s : *splits)
    covered += s.end - s.start;
  BOOST_TEST(covered == 17u);
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_reported) {
  temp_dir dir;
  BOOST_TEST(!enumerate_file_splits(dir.file("missing"), 2));
  BOOST_TEST(*detail::validate_file_input(dir.file("missing")) ==
             "input '" + dir.file("missing") + "' cannot be read: No such file or directory");
  BOOST_TEST(!detail::validate_file_input(dir.path().string()));
  BOOST_TEST(detail::validate_file_input("/dev/null").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(part_files, output_fixture)

BOOST_AUTO_TEST_CASE(output_appears_only_when_committed) {
  temp_dir dir;
  auto target = dir.file("result.txt");
  auto out = sink_operator(text_file_sink::single_file_or_directory(target), 0, 1);
  out->open();
  out->collect(std::string{"line 1"});
  out->collect(std::string{"line 2"});
  BOOST_TEST(wait_until([&] { return out->end_input(); }));
  out->check();
  BOOST_TEST(out->needs_commit());
  auto hidden = names_in(dir.path());
  BOOST_REQUIRE(hidden.size() == 1u);
  BOOST_TEST(hidden[0].rfind(".result.txt.inprogress.", 0) == 0u);
  BOOST_TEST(!fs::exists(target));
  out->commit();
  BOOST_TEST(wait_until([&] { return out->quiescent(); }));
  out->check();
  BOOST_TEST(!out->needs_commit());
  BOOST_TEST((names_in(dir.path()) == std::vector<std::string>{"result.txt"}));
  BOOST_TEST(flinkcpp::testing::read_file(target) == "line 1\nline 2\n");
}

BOOST_AUTO_TEST_CASE(aborted_output_leaves_nothing) {
  temp_dir dir;
  auto target = dir.file("parts");
  auto first = sink_operator(text_file_sink{target}, 0, 2);
  auto second = sink_operator(text_file_sink{target}, 1, 2);
  first->open();
  second->open();
  first->collect(std::string{"x"});
  BOOST_TEST(wait_until([&] { return first->end_input(); }));
  BOOST_TEST(wait_until([&] { return second->end_input(); }));
  BOOST_TEST(names_in(fs::path{target}).size() == 1u); // a subtask without records writes none
  first->abort();
  second->abort();
  BOOST_TEST(wait_until([&] { return first->quiescent() && second->quiescent(); }));
  BOOST_TEST(!fs::exists(target)); // the directory of parts is gone too
  BOOST_TEST(wakes.load() > 0);
}

BOOST_AUTO_TEST_CASE(existing_output_is_never_overwritten) {
  temp_dir dir;
  write_file(dir.file("taken"), "precious");
  BOOST_TEST(detail::validate_file_output(dir.file("taken"), false).has_value());
  BOOST_TEST(!detail::validate_file_output(dir.file("new/deeper/out"), false).has_value());
  BOOST_TEST(detail::validate_file_output(dir.file("taken/below"), false).has_value());
  // Even if the path appears while the job runs, the commit refuses it.
  auto out = sink_operator(text_file_sink::single_file_or_directory(dir.file("late")), 0, 1);
  out->open();
  BOOST_TEST(wait_until([&] { return out->end_input(); }));
  write_file(dir.file("late"), "someone else's");
  out->commit();
  BOOST_TEST(wait_until([&] { return out->quiescent(); }));
  BOOST_CHECK_THROW(out->check(), std::runtime_error);
  BOOST_TEST(flinkcpp::testing::read_file(dir.file("late")) == "someone else's");
}

BOOST_AUTO_TEST_SUITE_END()

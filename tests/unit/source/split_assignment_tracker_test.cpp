// Which splits a reader gives back when it goes back to a checkpoint: those
// assigned to it after that checkpoint's snapshot, no matter how many
// snapshots came since, and none a completed checkpoint made safe.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "source/split_assignment_tracker.hpp"

using namespace flinkcpp;
using detail::split_bytes;

namespace {

split_bytes split(const std::string& id) {
  return {id, "bytes of " + id};
}

std::vector<std::string> ids(const std::vector<split_bytes>& splits) {
  std::vector<std::string> out;
  for (const auto& s : splits)
    out.push_back(s.id);
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(split_assignment_trackers)

BOOST_AUTO_TEST_CASE(a_reader_gives_back_what_it_got_after_the_checkpoint_it_goes_back_to) {
  split_assignment_tracker t;
  t.record_assignment(0, split("a"));
  t.record_assignment(1, split("b"));
  t.on_checkpoint(checkpoint_id{1});
  t.record_assignment(0, split("c"));
  t.on_checkpoint(checkpoint_id{2});
  t.record_assignment(0, split("d"));
  t.record_assignment(1, split("e"));
  BOOST_TEST(
    (ids(t.take_assigned_after(0, checkpoint_id{1})) == std::vector<std::string>{"c", "d"}));
  BOOST_TEST(t.take_assigned_after(0, checkpoint_id{1}).empty()); // taken
  BOOST_TEST((t.take_assigned_after(1, checkpoint_id{1})[0] == split("e")));
}

BOOST_AUTO_TEST_CASE(a_reader_without_state_gives_back_everything_it_got) {
  split_assignment_tracker t;
  t.record_assignment(0, split("a"));
  t.on_checkpoint(checkpoint_id{1});
  t.record_assignment(0, split("b"));
  BOOST_TEST(
    (ids(t.take_assigned_after(0, checkpoint_id{})) == std::vector<std::string>{"a", "b"}));
}

BOOST_AUTO_TEST_CASE(a_completed_checkpoint_keeps_what_came_after_its_snapshot) {
  split_assignment_tracker t;
  t.record_assignment(0, split("a"));
  t.on_checkpoint(checkpoint_id{1});
  t.record_assignment(0, split("b"));
  t.on_checkpoint(checkpoint_id{2});
  t.on_checkpoint_complete(checkpoint_id{1});
  BOOST_TEST((ids(t.take_assigned_after(0, checkpoint_id{1})) == std::vector<std::string>{"b"}));
  t.record_assignment(0, split("c"));
  t.clear();
  BOOST_TEST(t.take_assigned_after(0, checkpoint_id{}).empty());
}

BOOST_AUTO_TEST_SUITE_END()

// A source subtask's watermark from its splits': the least of the active
// ones, never going back; idle splits left out, idle when all are; a new
// split holds it back until its first watermark, a finished one no more.

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "flinkcpp/detail/watermark_multiplexer.hpp"

using namespace flinkcpp;
using detail::watermark_multiplexer;

namespace {

/// What the combined output was told, in order: "w<watermark>", "idle",
/// "active".
struct recorded_output final : watermark_output {
  std::vector<std::string> told;
  void emit_watermark(std::int64_t w) override { told.push_back("w" + std::to_string(w)); }
  void mark_idle() override { told.push_back("idle"); }
  void mark_active() override { told.push_back("active"); }
};

using said = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_SUITE(watermark_multiplexers)

BOOST_AUTO_TEST_CASE(the_least_watermark_of_the_splits_goes_on_and_never_back) {
  recorded_output combined;
  watermark_multiplexer m{combined};
  auto& a = m.output("a");
  auto& b = m.output("b");
  a.emit_watermark(10); // b has none yet: holds it back
  BOOST_TEST(combined.told.empty());
  b.emit_watermark(5);
  b.emit_watermark(20);
  a.emit_watermark(15);
  a.emit_watermark(12); // a watermark going back is no watermark
  BOOST_TEST((combined.told == said{"w5", "w10", "w15"}));
  BOOST_TEST(&m.output("a") == &a); // the same output again
}

BOOST_AUTO_TEST_CASE(idle_splits_hold_nothing_back_and_all_idle_is_idle) {
  recorded_output combined;
  watermark_multiplexer m{combined};
  auto& a = m.output("a");
  auto& b = m.output("b");
  a.emit_watermark(10);
  b.mark_idle(); // a alone counts
  a.mark_idle();
  b.emit_watermark(30); // a watermark makes b active again
  a.mark_active();      // a, still at 10, holds b back (the subtask does not go back)
  a.emit_watermark(40);
  BOOST_TEST((combined.told == said{"w10", "idle", "active", "w30"}));
}

BOOST_AUTO_TEST_CASE(a_finished_split_holds_nothing_back_and_a_new_one_holds_until_it_has_one) {
  recorded_output combined;
  watermark_multiplexer m{combined};
  m.output("a").emit_watermark(10);
  m.output("b").emit_watermark(50);
  m.unregister("a");
  m.unregister("nothing");
  auto& c = m.output("c");
  m.output("b").emit_watermark(60);
  c.emit_watermark(70);
  BOOST_TEST(m.size() == 2u);
  BOOST_TEST((combined.told == said{"w10", "w50", "w60"}));
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <utility>
#include <vector>

#include "runtime/credit_gate.hpp"

using namespace flinkcpp;

namespace {

struct sent_log {
  std::vector<std::pair<std::uint32_t, event_kind>> sent;
  std::vector<std::int64_t> backlogs; ///< of each batch sent
  credit_gate::send_function sender() {
    return [this](std::uint32_t channel, channel_event&& e) {
      sent.emplace_back(channel, e.kind);
      if (e.kind == event_kind::batch)
        backlogs.push_back(e.value);
    };
  }
};

channel_event a_batch() {
  return channel_event::of(nullptr);
}

} // namespace

BOOST_AUTO_TEST_SUITE(credit_gates)

BOOST_AUTO_TEST_CASE(batches_need_credit) {
  sent_log log;
  credit_gate gate{2, 2, log.sender()};
  gate.offer(0, a_batch());
  BOOST_TEST(log.sent.empty());
  BOOST_TEST(gate.queued(0) == 1u);
  gate.grant(0, 3);
  BOOST_TEST(log.sent.size() == 1u);
  BOOST_TEST(gate.credits(0) == 2u);
  gate.offer(0, a_batch());
  gate.offer(0, a_batch());
  BOOST_TEST(log.sent.size() == 3u);
  BOOST_TEST(gate.credits(0) == 0u);
  BOOST_TEST(gate.drained());
}

BOOST_AUTO_TEST_CASE(a_full_channel_makes_the_gate_unavailable) {
  sent_log log;
  credit_gate gate{2, 2, log.sender()};
  gate.grant(1, 100);
  gate.offer(0, a_batch());
  BOOST_TEST(gate.available());
  gate.offer(0, a_batch());
  BOOST_TEST(!gate.available()); // channel 0 holds two batches without credit
  gate.offer(1, a_batch());      // other channels still flow
  BOOST_TEST(log.sent.size() == 1u);
  gate.grant(0, 1);
  BOOST_TEST(gate.available());
  BOOST_TEST(gate.queued(0) == 1u);
}

BOOST_AUTO_TEST_CASE(events_wait_behind_queued_batches_but_need_no_credit) {
  sent_log log;
  credit_gate gate{1, 4, log.sender()};
  gate.offer(0, channel_event::end_of_input());
  BOOST_TEST(log.sent.size() == 1u); // nothing queued: goes at once, without credit
  gate.offer(0, a_batch());
  gate.offer(0, channel_event::end_of_input());
  BOOST_TEST(log.sent.size() == 1u);
  BOOST_TEST(!gate.drained());
  gate.grant(0, 1);
  BOOST_REQUIRE(log.sent.size() == 3u);
  BOOST_TEST((log.sent[1].second == event_kind::batch));
  BOOST_TEST((log.sent[2].second == event_kind::end_of_input));
  BOOST_TEST(gate.drained());
}

BOOST_AUTO_TEST_CASE(batches_announce_the_backlog_behind_them) {
  sent_log log;
  credit_gate gate{1, 10, log.sender()};
  for (int i = 0; i < 4; ++i)
    gate.offer(0, a_batch());
  gate.grant(0, 2);
  gate.grant(0, 5);
  gate.offer(0, a_batch()); // credit left, nothing queued
  BOOST_TEST((log.backlogs == std::vector<std::int64_t>{3, 2, 1, 0, 0}));
}

BOOST_AUTO_TEST_SUITE_END()

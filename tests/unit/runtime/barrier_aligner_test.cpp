#include <boost/test/unit_test.hpp>

#include "runtime/barrier_aligner.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(barrier_alignment)

BOOST_AUTO_TEST_CASE(exactly_once_blocks_channels_until_all_barriers_arrived) {
  barrier_aligner a{{2, 1}, true};
  auto d = a.on_barrier(0, 1, checkpoint_id{1});
  BOOST_TEST(d.block);
  BOOST_TEST(!d.snapshot);
  d = a.on_barrier(1, 0, checkpoint_id{1});
  BOOST_TEST(d.block);
  d = a.on_barrier(0, 0, checkpoint_id{1});
  BOOST_TEST(!d.block);
  BOOST_TEST((d.snapshot == checkpoint_id{1}));
  BOOST_TEST(!a.aligning());
}

BOOST_AUTO_TEST_CASE(at_least_once_never_blocks) {
  barrier_aligner a{{2}, false};
  BOOST_TEST(!a.on_barrier(0, 0, checkpoint_id{1}).block);
  BOOST_TEST((a.on_barrier(0, 1, checkpoint_id{1}).snapshot == checkpoint_id{1}));
}

BOOST_AUTO_TEST_CASE(ended_channels_count_as_aligned) {
  barrier_aligner a{{3}, true};
  BOOST_TEST(!a.on_channel_ended(0, 2).snapshot); // nothing being aligned
  a.on_barrier(0, 0, checkpoint_id{4});
  auto d = a.on_channel_ended(0, 1);
  BOOST_TEST((d.snapshot == checkpoint_id{4}));
  // A single remaining channel snapshots at once.
  BOOST_TEST((a.on_barrier(0, 0, checkpoint_id{5}).snapshot == checkpoint_id{5}));
}

BOOST_AUTO_TEST_CASE(a_newer_barrier_aborts_the_one_being_aligned) {
  barrier_aligner a{{2}, true};
  a.on_barrier(0, 0, checkpoint_id{1});
  auto d = a.on_barrier(0, 1, checkpoint_id{2});
  BOOST_TEST((d.aborted == checkpoint_id{1}));
  BOOST_TEST(!d.snapshot);
  BOOST_TEST(d.block);
  // The late barrier of the aborted checkpoint changes nothing.
  d = a.on_barrier(0, 0, checkpoint_id{1});
  BOOST_TEST(!d.block);
  BOOST_TEST(!d.snapshot);
  BOOST_TEST((a.on_barrier(0, 0, checkpoint_id{2}).snapshot == checkpoint_id{2}));
}

BOOST_AUTO_TEST_SUITE_END()

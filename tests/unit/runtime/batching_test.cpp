#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "flinkcpp/detail/partitioning.hpp"

using namespace flinkcpp::detail;
using namespace flinkcpp::spi;

namespace {

struct counting_sink final : batch_sink {
  std::vector<std::size_t> sizes;
  std::vector<std::uint32_t> channels;
  void emit(std::uint32_t channel, batch_ptr batch) override {
    sizes.push_back(batch->size());
    channels.push_back(channel);
  }
  void emit_watermark(std::int64_t) override {} // these edges carry records only
  void emit_watermark_status(bool) override {}
};

} // namespace

BOOST_AUTO_TEST_SUITE(batching)

BOOST_AUTO_TEST_CASE(batches_are_cut_at_the_segment_size) {
  counting_sink sink;
  writer_config config;
  config.batch_bytes = 64; // eight 8-byte records
  plain_partitioner<std::int64_t> p{ship_strategy::forward};
  auto w = p.create_writer(ship_strategy::forward, config, sink);
  auto* in = w->input().as<std::int64_t>();
  for (std::int64_t i = 0; i < 20; ++i)
    in->collect(std::int64_t{i});
  BOOST_TEST((sink.sizes == std::vector<std::size_t>{8, 8}));
  BOOST_TEST(w->has_buffered());
  w->flush();
  BOOST_TEST((sink.sizes == std::vector<std::size_t>{8, 8, 4}));
  BOOST_TEST(!w->has_buffered());
  w->flush(); // nothing buffered: nothing handed on
  BOOST_TEST(sink.sizes.size() == 3u);
}

BOOST_AUTO_TEST_CASE(large_records_fill_batches_sooner) {
  counting_sink sink;
  writer_config config;
  config.batch_bytes = 4096;
  plain_partitioner<std::string> p{ship_strategy::forward};
  auto w = p.create_writer(ship_strategy::forward, config, sink);
  auto* in = w->input().as<std::string>();
  for (int i = 0; i < 10; ++i)
    in->collect(std::string(3000, 'x')); // more than half a batch each
  BOOST_TEST((sink.sizes == std::vector<std::size_t>(5, 2)));
}

BOOST_AUTO_TEST_CASE(a_channel_can_get_its_own_batch_size) {
  counting_sink sink;
  writer_config config;
  config.channels = 2;
  config.batch_bytes = 32; // four records
  plain_partitioner<std::int64_t> p{ship_strategy::rebalance};
  auto w = p.create_writer(ship_strategy::rebalance, config, sink);
  w->set_batch_bytes(1, 64); // eight records: a channel to another process
  auto* in = w->input().as<std::int64_t>();
  for (std::int64_t i = 0; i < 16; ++i)
    in->collect(std::int64_t{i});
  BOOST_TEST((sink.sizes == std::vector<std::size_t>{4, 4, 8}));
  BOOST_TEST((sink.channels == std::vector<std::uint32_t>{0, 0, 1}));
}

BOOST_AUTO_TEST_CASE(batches_are_released_when_consumed) {
  auto before = record_batch::live_count();
  {
    counting_sink sink;
    writer_config config;
    plain_partitioner<std::int64_t> p{ship_strategy::forward};
    auto w = p.create_writer(ship_strategy::forward, config, sink);
    w->input().as<std::int64_t>()->collect(std::int64_t{1});
    BOOST_TEST(record_batch::live_count() == before + 1);
    w->flush();
  }
  BOOST_TEST(record_batch::live_count() == before);
}

BOOST_AUTO_TEST_SUITE_END()

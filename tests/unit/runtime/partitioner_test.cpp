#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

#include "flinkcpp/detail/partitioning.hpp"

using namespace flinkcpp::detail;
using namespace flinkcpp::spi;

namespace {

/// Keeps every batch a writer hands on, per channel.
struct recording_sink final : batch_sink {
  std::map<std::uint32_t, std::vector<batch_ptr>> batches;
  void emit(std::uint32_t channel, batch_ptr batch) override {
    batches[channel].push_back(std::move(batch));
  }
  void emit_watermark(std::int64_t) override {} // these edges carry records only
  void emit_watermark_status(bool) override {}
  std::vector<std::int64_t> records(std::uint32_t channel) {
    std::vector<std::int64_t> out;
    for (auto& b : batches[channel])
      for (auto r : records_of<std::int64_t>(*b))
        out.push_back(r);
    return out;
  }
};

writer_config config_for(std::uint32_t channels, int producer = 0) {
  writer_config c;
  c.channels = channels;
  c.producer_index = producer;
  c.batch_bytes = 1 << 20;
  return c;
}

void write_numbers(record_writer_base& w, std::int64_t n) {
  auto* in = w.input().as<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i)
    in->collect(std::int64_t{i});
  w.flush();
}

} // namespace

BOOST_AUTO_TEST_SUITE(partitioners)

BOOST_AUTO_TEST_CASE(forward_uses_the_single_channel) {
  recording_sink sink;
  plain_partitioner<std::int64_t> p{ship_strategy::forward};
  auto w = p.create_writer(ship_strategy::forward, config_for(1), sink);
  write_numbers(*w, 10);
  BOOST_TEST(sink.records(0).size() == 10u);
}

BOOST_AUTO_TEST_CASE(rebalance_spreads_round_robin_from_a_producer_offset) {
  recording_sink sink;
  plain_partitioner<std::int64_t> p{ship_strategy::rebalance};
  auto w = p.create_writer(ship_strategy::rebalance, config_for(3, 1), sink);
  write_numbers(*w, 9);
  BOOST_TEST((sink.records(1) == std::vector<std::int64_t>{0, 3, 6}));
  BOOST_TEST((sink.records(2) == std::vector<std::int64_t>{1, 4, 7}));
  BOOST_TEST((sink.records(0) == std::vector<std::int64_t>{2, 5, 8}));
}

BOOST_AUTO_TEST_CASE(rescale_round_robins_over_its_local_channels) {
  recording_sink sink;
  plain_partitioner<std::int64_t> p{ship_strategy::rescale};
  auto w = p.create_writer(ship_strategy::rescale, config_for(2), sink);
  write_numbers(*w, 6);
  BOOST_TEST((sink.records(0) == std::vector<std::int64_t>{0, 2, 4}));
  BOOST_TEST((sink.records(1) == std::vector<std::int64_t>{1, 3, 5}));
}

BOOST_AUTO_TEST_CASE(broadcast_gives_every_channel_its_own_copy) {
  recording_sink sink;
  plain_partitioner<std::int64_t> p{ship_strategy::broadcast};
  auto w = p.create_writer(ship_strategy::broadcast, config_for(3), sink);
  write_numbers(*w, 5);
  for (std::uint32_t c = 0; c < 3; ++c)
    BOOST_TEST((sink.records(c) == std::vector<std::int64_t>{0, 1, 2, 3, 4}));
  BOOST_TEST(sink.batches[0][0].get() != sink.batches[1][0].get());
}

BOOST_AUTO_TEST_CASE(hash_routes_by_key_group_and_carries_key_hashes) {
  recording_sink sink;
  auto key = [](const std::string& s) { return s.substr(0, 1); };
  key_partitioner<std::string, decltype(key)> p{key};
  auto config = config_for(4);
  config.max_parallelism = 128;
  auto w = p.create_writer(ship_strategy::hash, config, sink);
  auto* in = w->input().as<std::string>();
  std::vector<std::string> words{"apple", "avocado", "banana", "blueberry", "cherry", "date"};
  for (auto word : words)
    in->collect(std::move(word));
  w->flush();
  std::map<std::string, std::uint32_t> channel_of_key;
  for (auto& [channel, batches] : sink.batches) {
    for (auto& b : batches) {
      auto& records = records_of<std::string>(*b);
      BOOST_REQUIRE(b->key_hashes.size() == records.size());
      for (std::size_t i = 0; i < records.size(); ++i) {
        auto k = key(records[i]);
        BOOST_TEST(b->key_hashes[i] == key_hash(k));
        auto group = key_group_of(b->key_hashes[i], 128);
        BOOST_TEST(key_groups_of_subtask(128, 4, static_cast<int>(channel)).contains(group));
        auto [it, fresh] = channel_of_key.emplace(k, channel);
        BOOST_TEST(it->second == channel); // one key, one channel
      }
    }
  }
  BOOST_TEST(channel_of_key.size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()

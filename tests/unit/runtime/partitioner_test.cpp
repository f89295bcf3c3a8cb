#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "flinkcpp/detail/keyed_aggregation.hpp"
#include "flinkcpp/detail/partitioning.hpp"
#include "flinkcpp/detail/pre_aggregation.hpp"

using namespace flinkcpp::detail;
using namespace flinkcpp::spi;
using flinkcpp::event_time_session_windows;
using flinkcpp::sliding_event_time_windows;
using flinkcpp::tumbling_event_time_windows;
using namespace std::chrono_literals;

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

namespace {

using count_record = std::pair<std::string, std::int64_t>;
using count_key = std::string count_record::*;
using count_sum = sum_field<count_record, std::int64_t>;
using summing_partitioner = pre_aggregating_key_partitioner<count_record, count_key, count_sum>;

summing_partitioner summing() {
  return {&count_record::first, count_sum{&count_record::second}};
}

/// Every record a writer handed on, with its channel, key hash and timestamp.
struct handed_on {
  std::uint32_t channel;
  count_record record;
  std::uint64_t hash;
  std::int64_t timestamp;
};

std::vector<handed_on> handed_on_records(const recording_sink& sink) {
  std::vector<handed_on> out;
  for (const auto& [channel, batches] : sink.batches)
    for (const auto& b : batches) {
      const auto& records = records_of<count_record>(*b);
      for (std::size_t i = 0; i < records.size(); ++i)
        out.push_back({channel, records[i], b->key_hashes.at(i),
                       b->timestamps.empty() ? -1 : b->timestamps.at(i)});
    }
  return out;
}

/// Writes (word, 1) for every word, each with timestamp i.
void write_words(record_writer_base& w, record_timestamp& now,
                 const std::vector<std::string>& words) {
  auto* in = w.input().as<count_record>();
  for (std::size_t i = 0; i < words.size(); ++i) {
    now.value = static_cast<std::int64_t>(i);
    in->collect(count_record{words[i], 1});
  }
}

/// Writes ("k", t) at time t for each of `times` through a BATCH mode writer
/// summing by `groups`, and returns the (sum, timestamp) pairs handed on, sorted.
template <class Groups>
std::vector<std::pair<std::int64_t, std::int64_t>>
sums_handed_on(Groups groups, const std::vector<std::int64_t>& times) {
  recording_sink sink;
  record_timestamp now;
  auto config = config_for(2);
  config.timestamps = &now;
  config.batch_mode = true;
  pre_aggregating_key_partitioner<count_record, count_key, count_sum, Groups> p{
    &count_record::first, count_sum{&count_record::second}, std::move(groups)};
  auto w = p.create_writer(ship_strategy::hash, config, sink);
  auto* in = w->input().template as<count_record>();
  for (auto t : times) {
    now.value = t;
    in->collect(count_record{"k", t});
  }
  w->flush();
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : handed_on_records(sink))
    out.emplace_back(r.record.second, r.timestamp);
  std::sort(out.begin(), out.end());
  return out;
}

using sums = std::vector<std::pair<std::int64_t, std::int64_t>>;

} // namespace

BOOST_AUTO_TEST_CASE(a_batch_mode_writer_folds_each_keys_records_into_one_before_the_shuffle) {
  std::vector<std::string> words{"b", "a", "c", "a", "b", "a", "d", "c", "a"};
  std::map<std::string, std::int64_t> counts{{"a", 4}, {"b", 2}, {"c", 2}, {"d", 1}};
  std::map<std::string, std::int64_t> latest{{"a", 8}, {"b", 4}, {"c", 7}, {"d", 6}};
  record_timestamp now;
  auto config = config_for(3);
  config.timestamps = &now;
  config.batch_mode = true;

  recording_sink plain_sink;
  key_partitioner<count_record, count_key> plain{&count_record::first};
  auto plain_writer = plain.create_writer(ship_strategy::hash, config, plain_sink);
  write_words(*plain_writer, now, words);
  plain_writer->flush();
  std::map<std::string, std::uint32_t> channel_of;
  for (const auto& r : handed_on_records(plain_sink))
    channel_of[r.record.first] = r.channel;

  recording_sink sink;
  auto w = summing().create_writer(ship_strategy::hash, config, sink);
  write_words(*w, now, words);
  BOOST_TEST(w->has_buffered());
  BOOST_TEST(sink.batches.empty()); // held back until flushed
  w->flush();
  BOOST_TEST(!w->has_buffered());
  auto out = handed_on_records(sink);
  BOOST_TEST(out.size() == counts.size()); // one record per key
  for (const auto& r : out) {
    const auto& word = r.record.first;
    BOOST_TEST(r.record.second == counts.at(word));
    BOOST_TEST(r.hash == key_hash(word));
    BOOST_TEST(r.channel == channel_of.at(word)); // the channel a plain key_by gives it
    BOOST_TEST(r.timestamp == latest.at(word));   // its latest record's
  }
}

BOOST_AUTO_TEST_CASE(a_pre_aggregating_writer_holds_at_most_its_key_limit) {
  recording_sink sink;
  record_timestamp now;
  auto config = config_for(2);
  config.batch_bytes = 1; // every record handed on leaves at once
  pre_aggregating_writer<count_record, count_key, count_sum> w{
    &count_record::first, count_sum{&count_record::second}, {}, config, sink, 3};
  write_words(w, now, {"a", "b", "a", "c"}); // the third key fills the table
  BOOST_TEST(handed_on_records(sink).size() == 3u);
  BOOST_TEST(!w.has_buffered());
  write_words(w, now, {"a", "d", "d"});
  w.flush();
  std::map<std::string, std::int64_t> totals;
  for (const auto& r : handed_on_records(sink))
    totals[r.record.first] += r.record.second;
  BOOST_TEST(
    (totals == std::map<std::string, std::int64_t>{{"a", 3}, {"b", 1}, {"c", 1}, {"d", 2}}));
}

BOOST_AUTO_TEST_CASE(window_panes_fold_only_records_that_share_every_window) {
  // Tumbling windows of 10 ms: [0, 10) and [10, 20); a record back in an
  // earlier window hands on the key's aggregate of the later one.
  BOOST_TEST(
    (sums_handed_on(window_pane_groups<count_record>(tumbling_event_time_windows::of(10ms)),
                    {1, 5, 12, 13, 9}) == sums{{6, 5}, {9, 9}, {25, 13}}));
  // Sliding windows of 6 ms every 4 ms from offset 1: their bounds lie on
  // 1, 3, 5, ... (panes of gcd(6, 4) = 2 ms), so 1 and 2 fold, 3 and 4 fold.
  BOOST_TEST(
    (sums_handed_on(window_pane_groups<count_record>(sliding_event_time_windows::of(6ms, 4ms, 1ms)),
                    {1, 2, 3, 4, 5}) == sums{{3, 2}, {5, 5}, {7, 4}}));
  // Times before the epoch: windows start at ..., -17, -7, 3, 13.
  BOOST_TEST(
    (sums_handed_on(window_pane_groups<count_record>(tumbling_event_time_windows::of(10ms, 3ms)),
                    {-8, -1, 2, 3}) == sums{{-8, -8}, {1, 2}, {3, 3}}));
}

BOOST_AUTO_TEST_CASE(sessions_fold_records_less_than_a_gap_apart_and_hand_on_both_ends) {
  // Gap 10: 1, 4, 4 and 8 make one aggregate, handed on as the records at
  // 8 (with 8) and the rest (with 1), whose sessions [1, 11) and [8, 18)
  // merge into the records' own [1, 18). 11 is 10 past 1: a new aggregate.
  BOOST_TEST(
    (sums_handed_on(session_groups<count_record>(event_time_session_windows::with_gap(10ms)),
                    {4, 1, 8, 4, 11}) == sums{{8, 8}, {9, 1}, {11, 11}}));
  // Records at one time are one aggregate; an earlier one then moves them to the end.
  BOOST_TEST(
    (sums_handed_on(session_groups<count_record>(event_time_session_windows::with_gap(10ms)),
                    {5, 5}) == sums{{10, 5}}));
  BOOST_TEST(
    (sums_handed_on(session_groups<count_record>(event_time_session_windows::with_gap(10ms)),
                    {5, 5, 2, 3, 5}) == sums{{5, 2}, {15, 5}}));
  // A later record joins the end; the previous end joins the rest.
  BOOST_TEST(
    (sums_handed_on(session_groups<count_record>(event_time_session_windows::with_gap(10ms)),
                    {2, 5, 7, 7}) == sums{{7, 2}, {14, 7}}));
}

BOOST_AUTO_TEST_CASE(a_streaming_writer_of_the_same_partitioner_hands_on_every_record) {
  recording_sink sink;
  record_timestamp now;
  auto w = summing().create_writer(ship_strategy::hash, config_for(2), sink);
  write_words(*w, now, {"a", "a", "a"});
  w->flush();
  auto out = handed_on_records(sink);
  BOOST_TEST(out.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "flinkcpp/detail/partitioning.hpp"

using namespace flinkcpp::detail;
using namespace flinkcpp::spi;

namespace sample {

struct event {
  std::string user;
  std::int64_t time = 0;
  double amount = 0;
  bool flagged = false;
  std::vector<std::string> tags;
  std::optional<std::int32_t> region;
  std::pair<int, std::string> extra;
  friend bool operator==(const event&, const event&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, event& e) {
  return f(e.user, e.time, e.amount, e.flagged, e.tags, e.region, e.extra);
}

} // namespace sample

namespace {

std::vector<sample::event> events() {
  std::vector<sample::event> out;
  for (int i = 0; i < 300; ++i) {
    sample::event e;
    e.user = std::string(static_cast<std::size_t>(i % 40), 'u') + std::to_string(i);
    e.time = -1'000'000'000'000LL + i;
    e.amount = i * 0.25;
    e.flagged = i % 3 == 0;
    for (int t = 0; t < i % 4; ++t)
      e.tags.push_back("tag" + std::to_string(t));
    if (i % 2)
      e.region = i;
    e.extra = {i, std::string(1, static_cast<char>(i))}; // includes NUL and high bytes
    out.push_back(e);
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_serialization)

BOOST_AUTO_TEST_CASE(batches_round_trip_with_their_key_hashes_and_timestamps) {
  plain_partitioner<sample::event> codec{ship_strategy::rebalance};
  typed_batch<sample::event> batch;
  batch.records = events();
  for (std::size_t i = 0; i < batch.records.size(); ++i)
    batch.key_hashes.push_back(i * 0x9E3779B97F4A7C15ULL);
  batch.timestamps.assign(batch.records.size(), 1733000000000);
  batch.timestamps.front() = flinkcpp::min_watermark;
  std::string bytes;
  codec.serialize(batch, bytes);
  auto back = codec.deserialize(bytes);
  BOOST_TEST((records_of<sample::event>(*back) == batch.records));
  BOOST_TEST(back->key_hashes == batch.key_hashes);
  BOOST_TEST(back->timestamps == batch.timestamps);

  typed_batch<std::int64_t> plain;
  plain.records = {1, -2, 3};
  plain_partitioner<std::int64_t> numbers{ship_strategy::forward};
  std::string number_bytes;
  numbers.serialize(plain, number_bytes);
  auto numbers_back = numbers.deserialize(number_bytes);
  BOOST_TEST((records_of<std::int64_t>(*numbers_back) == plain.records));
  BOOST_TEST(numbers_back->key_hashes.empty());
  BOOST_TEST(numbers_back->timestamps.empty());
}

BOOST_AUTO_TEST_CASE(sets_round_trip_as_their_elements) {
  // A set (no push_back) is written as its elements and read back by insert.
  std::set<std::string> words{"a", "bb", "ccc"};
  std::vector<std::set<long>> numbers{{1, 2}, {}, {7}};
  BOOST_TEST((from_bytes<std::set<std::string>>(to_bytes(words)) == words));
  BOOST_TEST((from_bytes<std::vector<std::set<long>>>(to_bytes(numbers)) == numbers));
}

BOOST_AUTO_TEST_CASE(truncated_or_corrupt_bytes_are_rejected) {
  plain_partitioner<sample::event> codec{ship_strategy::rebalance};
  typed_batch<sample::event> batch;
  batch.records = events();
  std::string bytes;
  codec.serialize(batch, bytes);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, bytes.size() / 2, bytes.size() - 1})
    BOOST_CHECK_THROW(codec.deserialize(std::string_view{bytes}.substr(0, cut)),
                      serialization_error);
  BOOST_CHECK_THROW(codec.deserialize(bytes + "x"), serialization_error);
  // Columns this version does not know (the flags follow the 2-byte count of 300).
  auto unknown = bytes;
  unknown[2] = '\x04';
  BOOST_CHECK_THROW(codec.deserialize(unknown), serialization_error);
  // A huge record count with no records behind it fails without allocating.
  std::string lie = "\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
  lie.push_back('\0');
  BOOST_CHECK_THROW(codec.deserialize(lie), serialization_error);
}

BOOST_AUTO_TEST_SUITE_END()

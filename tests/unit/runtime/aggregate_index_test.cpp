// aggregate_index: the positions of keys by their hashes, through collisions
// of slots and of tags, growth and clearing, against a std::map of the same
// keys.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "flinkcpp/detail/aggregate_index.hpp"

using flinkcpp::detail::aggregate_index;

namespace {

/// Keys and the hashes the test gives them: `hash` chooses collisions.
struct keyed_values {
  std::vector<std::string> keys;
  std::vector<std::uint64_t> hashes;
  aggregate_index index;

  void add(const std::string& key, std::uint64_t hash) {
    keys.push_back(key);
    hashes.push_back(hash);
    index.insert(hash, static_cast<std::uint32_t>(keys.size() - 1),
                 [this](std::uint32_t p) { return hashes[p]; });
  }

  std::uint32_t find(const std::string& key, std::uint64_t hash) const {
    return index.find(hash, [&](std::uint32_t p) { return keys[p] == key; });
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(aggregate_index_suite)

BOOST_AUTO_TEST_CASE(finds_every_key_through_collisions_and_growth) {
  keyed_values t;
  std::map<std::string, std::uint32_t> reference;
  // Every fourth key shares one hash (same slot, same tag); others share
  // their slot's low bits with a different tag; 5000 keys grow the index
  // from 1024 slots several times.
  auto hash_of = [](int i) -> std::uint64_t {
    if (i % 4 == 0)
      return 0x1234567800000042ULL;
    return (static_cast<std::uint64_t>(i) << 32) | static_cast<std::uint64_t>(i % 7);
  };
  for (int i = 0; i < 5000; ++i) {
    auto key = "k" + std::to_string(i);
    BOOST_TEST_REQUIRE(t.find(key, hash_of(i)) == aggregate_index::npos);
    t.add(key, hash_of(i));
    reference[key] = static_cast<std::uint32_t>(i);
    if (i % 997 == 0) // what is in stays found as the index grows
      for (const auto& [k, p] : reference)
        BOOST_TEST_REQUIRE(t.find(k, hash_of(static_cast<int>(p))) == p);
  }
  BOOST_TEST(t.index.size() == 5000u);
  for (const auto& [k, p] : reference)
    BOOST_TEST_REQUIRE(t.find(k, hash_of(static_cast<int>(p))) == p);
  BOOST_TEST(t.find("absent", hash_of(0)) == aggregate_index::npos);
  BOOST_TEST(t.find("absent", hash_of(1)) == aggregate_index::npos);
}

BOOST_AUTO_TEST_CASE(a_hash_whose_high_half_is_zero_is_found_as_any_other) {
  keyed_values t;
  t.add("zero", 0);
  t.add("one", 1);
  BOOST_TEST(t.find("zero", 0) == 0u);
  BOOST_TEST(t.find("one", 1) == 1u);
}

BOOST_AUTO_TEST_CASE(clear_forgets_every_position_and_the_index_takes_new_ones) {
  keyed_values t;
  for (int i = 0; i < 2000; ++i)
    t.add("k" + std::to_string(i), static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
  t.index.clear();
  BOOST_TEST(t.index.size() == 0u);
  for (int i = 0; i < 2000; ++i)
    BOOST_TEST_REQUIRE(
      t.find("k" + std::to_string(i), static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL) ==
      aggregate_index::npos);
  t.keys.clear();
  t.hashes.clear();
  t.add("again", 7);
  BOOST_TEST(t.find("again", 7) == 0u);
}

BOOST_AUTO_TEST_CASE(holds_positions_up_to_its_limit_and_tells_them_apart) {
  // Every position it can hold, with hashes whose high half is zero: every
  // tag is the same, so the keys themselves decide.
  keyed_values t;
  auto hash_of = [](std::size_t i) -> std::uint64_t {
    return (static_cast<std::uint64_t>(i) * 0x9e3779b1ULL) & 0xffffffffULL;
  };
  for (std::size_t i = 0; i < aggregate_index::max_positions; ++i)
    t.add("k" + std::to_string(i), hash_of(i));
  BOOST_TEST(t.index.size() == aggregate_index::max_positions);
  for (std::size_t i = 0; i < aggregate_index::max_positions; ++i)
    BOOST_TEST_REQUIRE(t.find("k" + std::to_string(i), hash_of(i)) == i);
  BOOST_TEST(t.find("absent", hash_of(5)) == aggregate_index::npos);
}

BOOST_AUTO_TEST_SUITE_END()

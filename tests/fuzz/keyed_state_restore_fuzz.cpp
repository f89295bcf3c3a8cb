// Keyed state snapshot bytes (per key group: each state's name, kind and
// entries, as keyed_state_store writes them) restored into both backends: the
// hashmap backend's tables, declared as a job declares them, and a LevelDB
// database bulk-loaded from a keyed state file (leveldb_bulk_loader). Corrupt
// bytes fail with serialization_error or a runtime_error naming the state
// (hashmap) or a message naming the file (LevelDB); never a crash.
//
// Input: one byte (bit 0: LevelDB), then key groups, each a byte (added to
// the previous group, plus one) and a two-byte length with its bytes.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "checkpoint/storage/keyed_state_file.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/state.hpp"
#include "fuzz/fuzz_input.hpp"
#include "state/leveldb_canonical_restore.hpp"

using namespace flinkcpp;

namespace {

constexpr int max_parallelism = 128;
constexpr spi::key_group_range all_groups{0, max_parallelism};

void restore_hashmap(const std::vector<std::pair<int, std::string>>& groups) {
  detail::keyed_state_store<std::string> store{all_groups, max_parallelism, nullptr};
  (void)store.state(value_state_descriptor<long>{"count"});
  (void)store.state(list_state_descriptor<std::string>{"tags"});
  (void)store.state(map_state_descriptor<std::string, long>{"attrs"});
  spi::operator_restore state;
  state.key_groups = groups;
  try {
    store.restore(state);
  } catch (const std::runtime_error&) { // serialization_error included
  }
}

void restore_leveldb(const std::vector<std::pair<int, std::string>>& groups) {
  fuzzing::clear_scratch();
  auto dir = fuzzing::scratch_file("");
  auto handle = write_keyed_state_file(dir, "keyed", all_groups, [&](const auto& sink) {
    for (const auto& [group, bytes] : groups)
      sink(group, bytes);
  });
  if (!handle)
    throw std::runtime_error("fuzzing: cannot write a keyed state file: " + handle.error());
  (void)build_canonical_restore(dir, {*handle}, all_groups, fuzzing::scratch_file("work"), "job");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::fuzz_input in{data, size};
  bool leveldb = (in.byte() & 1) != 0;
  std::vector<std::pair<int, std::string>> groups;
  for (int group = in.byte(); group < max_parallelism && !in.empty(); group += 1 + in.byte()) {
    auto bytes = in.take(in.length());
    if (!bytes.empty())
      groups.emplace_back(group, bytes);
  }
  if (leveldb)
    restore_leveldb(groups);
  else
    restore_hashmap(groups);
  return 0;
}

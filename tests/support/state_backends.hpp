#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "flinkcpp/detail/keyed_state_store.hpp"
#include "state/leveldb_store.hpp"
#include "support/temp_dir.hpp"

namespace flinkcpp::testing {

/// Keyed state stores with string keys, on the hashmap backend or on one
/// LevelDB backend in a temp directory (its write buffer `write_buffer_bytes`:
/// small ones spread rows over many tables). Not thread-safe.
class state_backends {
public:
  explicit state_backends(std::size_t write_buffer_bytes = leveldb_settings{}.write_buffer_bytes)
    : leveldb_(settings(write_buffer_bytes), "test-job", 0) {}

  /// A store of the key groups `range` (of `max_parallelism`); on LevelDB
  /// the operator `name`'s, else on the heap.
  std::unique_ptr<detail::keyed_state_store<std::string>>
  store(bool on_leveldb, spi::key_group_range range, int max_parallelism, const std::string& name) {
    return std::make_unique<detail::keyed_state_store<std::string>>(
      range, max_parallelism, on_leveldb ? leveldb_.open(name) : nullptr);
  }

private:
  leveldb_settings settings(std::size_t write_buffer_bytes) const {
    leveldb_settings s;
    s.local_dir = dir_.path().string();
    s.write_buffer_bytes = write_buffer_bytes;
    return s;
  }

  temp_dir dir_;
  leveldb_backend leveldb_;
};

} // namespace flinkcpp::testing

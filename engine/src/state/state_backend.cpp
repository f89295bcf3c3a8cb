#include "state/state_backend.hpp"

#include <filesystem>

#include "config/core_options.hpp"
#include "state/hashmap_state_backend.hpp"
#include "state/leveldb_state_backend.hpp"

namespace flinkcpp {

state_backend_settings state_backend_settings_from(const configuration& config) {
  state_backend_settings s;
  if (options::state_backend.get(config) == "hashmap")
    return s;
  s.type = "leveldb";
  s.incremental = options::incremental_checkpoints.get(config);
  s.local_dir = options::leveldb_local_dir.get(config);
  if (s.local_dir.empty())
    s.local_dir = (std::filesystem::temp_directory_path() / "flink-cpp-leveldb").string();
  s.block_cache_bytes = options::leveldb_block_cache.get(config);
  s.write_buffer_bytes = options::leveldb_write_buffer.get(config);
  s.open_files = options::leveldb_open_files.get(config);
  return s;
}

std::shared_ptr<const state_backend> make_state_backend(const state_backend_settings& settings) {
  if (settings.type == "leveldb")
    return make_leveldb_state_backend(settings);
  return make_hashmap_state_backend();
}

} // namespace flinkcpp

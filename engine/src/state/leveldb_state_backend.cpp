#include "state/leveldb_state_backend.hpp"

#include <filesystem>

#include "state/leveldb_canonical_restore.hpp"
#include "state/leveldb_native.hpp"
#include "state/leveldb_store.hpp"

namespace flinkcpp {

namespace {

class leveldb_state_backend final : public state_backend {
public:
  explicit leveldb_state_backend(const state_backend_settings& s) {
    settings_.local_dir = s.local_dir;
    settings_.block_cache_bytes = static_cast<std::size_t>(s.block_cache_bytes);
    settings_.write_buffer_bytes = static_cast<std::size_t>(s.write_buffer_bytes);
    settings_.max_open_files =
      s.open_files < 0 ? leveldb_settings::no_open_file_limit : static_cast<int>(s.open_files);
  }

  std::unique_ptr<spi::keyed_backend> open_subtask(const job_id& job, int subtask) const override {
    return std::make_unique<leveldb_backend>(settings_, job.to_string(), subtask);
  }

  keyed_state_restorer restorer(const job_id& job_id,
                                const std::string& own_checkpoints) const override {
    auto local_dir = settings_.local_dir;
    auto job = job_id.to_string();
    auto own = std::filesystem::path{own_checkpoints}.lexically_normal();
    return {[local_dir, job, own](const std::string& directory, const keyed_state_handle& handle) {
              // Tables in this job's own shared directory may be shared again.
              bool reusable =
                std::filesystem::path{directory}.lexically_normal().parent_path() == own;
              return prepare_native_restore(directory, handle, local_dir, job, reusable);
            },
            [local_dir, job](const std::string& directory, std::vector<keyed_state_handle> handles,
                             spi::key_group_range range) {
              return build_canonical_restore(directory, std::move(handles), range, local_dir, job);
            }};
  }

  result<keyed_state_handle> write_native_snapshot(spi::native_state& snapshot,
                                                   const std::string& shared_directory,
                                                   checkpoint_id checkpoint,
                                                   spi::key_group_range range) const override {
    return upload_native_snapshot(snapshot, shared_directory, checkpoint, range);
  }

private:
  leveldb_settings settings_;
};

} // namespace

std::shared_ptr<const state_backend>
make_leveldb_state_backend(const state_backend_settings& settings) {
  return std::make_shared<leveldb_state_backend>(settings);
}

} // namespace flinkcpp

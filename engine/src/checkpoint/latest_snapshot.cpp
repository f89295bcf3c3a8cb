#include "checkpoint/latest_snapshot.hpp"

#include <filesystem>
#include <system_error>

namespace flinkcpp {

namespace fs = std::filesystem;

std::optional<restore_point> find_latest_snapshot(const checkpoint_storage& storage, job_id job,
                                                  std::vector<std::string>& skipped) {
  std::optional<restore_point> latest;
  for (const auto& dir : storage.snapshot_candidates(job)) {
    std::error_code ec;
    if (!fs::exists(fs::path{dir} / metadata_file_name, ec))
      continue; // not completed (a checkpoint in progress when the jobmanager went)
    auto metadata = read_checkpoint_metadata(dir);
    if (!metadata) {
      skipped.push_back(metadata.error());
      continue;
    }
    if (metadata->job != job)
      continue; // another job's savepoint
    if (!latest || latest->metadata.id < metadata->id)
      latest = restore_point{std::move(metadata.value()), dir};
  }
  return latest;
}

} // namespace flinkcpp

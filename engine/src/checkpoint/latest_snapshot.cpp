#include "checkpoint/latest_snapshot.hpp"

#include <filesystem>
#include <system_error>

namespace flinkcpp {

namespace fs = std::filesystem;

namespace {

/// The folders directly below `dir` whose names start with `prefix`.
std::vector<fs::path> folders_in(const std::string& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec))
    return out;
  for (fs::directory_iterator i{dir, ec}, end; !ec && i != end; i.increment(ec))
    if (i->is_directory(ec) && i->path().filename().string().rfind(prefix, 0) == 0)
      out.push_back(i->path());
  return out;
}

} // namespace

std::optional<restore_point> find_latest_snapshot(const std::string& checkpoints_dir,
                                                  const std::string& savepoints_dir, job_id job,
                                                  std::vector<std::string>& skipped) {
  std::vector<fs::path> candidates;
  if (!checkpoints_dir.empty())
    candidates = folders_in((fs::path{checkpoints_dir} / job.to_string()).string(), "chk-");
  for (auto& p : folders_in(savepoints_dir, "savepoint-"))
    candidates.push_back(std::move(p));
  std::optional<restore_point> latest;
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (!fs::exists(dir / metadata_file_name, ec))
      continue; // not completed (a checkpoint in progress when the jobmanager went)
    auto metadata = read_checkpoint_metadata(dir.string());
    if (!metadata) {
      skipped.push_back(metadata.error());
      continue;
    }
    if (metadata->job != job)
      continue; // another job's savepoint
    if (!latest || latest->metadata.id < metadata->id)
      latest = restore_point{std::move(metadata.value()), dir.string()};
  }
  return latest;
}

} // namespace flinkcpp

#include "state/checkpoint_storage.hpp"

#include <filesystem>
#include <system_error>

#include "config/core_options.hpp"
#include "util/durable_file.hpp"
#include "util/file_system.hpp"

namespace flinkcpp {

namespace fs = std::filesystem;

namespace {

/// The folders directly below `dir` whose names start with `prefix`.
void add_folders_in(const std::string& dir, const std::string& prefix,
                    std::vector<std::string>& out) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec))
    return;
  for (fs::directory_iterator i{dir, ec}, end; !ec && i != end; i.increment(ec))
    if (i->is_directory(ec) && i->path().filename().string().rfind(prefix, 0) == 0)
      out.push_back(i->path().string());
}

/// Moves a savepoint's state files from where the subtasks wrote them into
/// its own directory.
result<void> move_into(const std::string& from, const std::string& to) {
  auto& files = file_system::current();
  if (auto created = files.create_directories(to); !created)
    return created;
  std::error_code ec;
  for (fs::directory_iterator i{from, ec}, end; !ec && i != end; i.increment(ec)) {
    auto target = (fs::path{to} / i->path().filename()).string();
    if (files.rename(i->path().string(), target))
      continue;
    if (auto copied = copy_file_durably(i->path().string(), target); !copied) // another device
      return failure{"cannot move into savepoint directory '" + to + "': " + copied.error()};
  }
  if (ec)
    return failure{"cannot list '" + from + "': " + ec.message()};
  files.remove_tree(from);
  return {};
}

} // namespace

std::string job_checkpoint_directories::checkpoint(checkpoint_id id) const {
  return (fs::path{job} / ("chk-" + id.to_string())).string();
}

std::string job_checkpoint_directories::shared() const {
  return (fs::path{job} / "shared").string();
}

checkpoint_storage::checkpoint_storage()
  : checkpoints_dir_((fs::temp_directory_path() / "flink-cpp-checkpoints").string()) {}

checkpoint_storage::checkpoint_storage(std::string checkpoints_dir, std::string savepoints_dir)
  : checkpoints_dir_(std::move(checkpoints_dir)),
    savepoints_dir_(std::move(savepoints_dir)) {}

checkpoint_storage checkpoint_storage::from(const configuration& config) {
  checkpoint_storage s;
  if (auto dir = options::checkpoints_dir.get(config); !dir.empty())
    s.checkpoints_dir_ = std::move(dir);
  s.savepoints_dir_ = options::savepoints_dir.get(config);
  return s;
}

job_checkpoint_directories checkpoint_storage::for_job(job_id job) const {
  return {(fs::path{checkpoints_dir_} / job.to_string()).string()};
}

result<std::string> checkpoint_storage::new_savepoint_directory(const std::string& target,
                                                                job_id job) const {
  const auto& base = target.empty() ? savepoints_dir_ : target;
  if (base.empty())
    return failure{"no savepoint directory: give one, or set " + options::savepoints_dir.key()};
  return (fs::path{base} / ("savepoint-" + job.to_string().substr(0, 6) + "-" +
                            job_id::random().to_string().substr(0, 12)))
    .string();
}

std::vector<std::string> checkpoint_storage::snapshot_candidates(job_id job) const {
  std::vector<std::string> out;
  add_folders_in(for_job(job).job, "chk-", out);
  add_folders_in(savepoints_dir_, "savepoint-", out);
  return out;
}

result<void> checkpoint_storage::complete(const std::string& written_to,
                                          const std::string& final_directory,
                                          const checkpoint_metadata& metadata) {
  // A job without keyed state wrote no file.
  if (auto created = file_system::current().create_directories(written_to); !created)
    return created;
  if (written_to != final_directory)
    if (auto moved = move_into(written_to, final_directory); !moved)
      return moved;
  return write_checkpoint_metadata(final_directory, metadata);
}

} // namespace flinkcpp

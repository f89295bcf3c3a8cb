#include "connectors/part_file_output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "connectors/buffered_text_output.hpp"
#include "connectors/part_files.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;
using detail::file_committable;
using detail::file_writer_state;

/// A file of the part files' directory, by its name: a committed part
/// "part-<owner>-<number>" or a hidden in-progress one
/// ".part-<owner>-<number>.inprogress.<random>".
struct part_file_name {
  int owner = -1; ///< the subtask that wrote it
  long long number = -1;
  bool hidden = false;
};

std::optional<part_file_name> parse_part_file_name(const std::string& name) {
  part_file_name p;
  p.hidden = name.rfind(".part-", 0) == 0 && name.find(".inprogress.") != std::string::npos;
  if (std::sscanf(name.c_str(), p.hidden ? ".part-%d-%lld" : "part-%d-%lld", &p.owner, &p.number) !=
      2)
    return std::nullopt;
  return p;
}

/// Calls fn(path, parsed name) for each part file in `dir` that subtask
/// `subtask` of `parallelism` looks after: its own, and for subtask 0 those
/// of subtasks past the parallelism (a rescale down).
template <class F>
void for_each_part_file(const std::string& dir, int subtask, int parallelism, F&& fn) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto parsed = parse_part_file_name(entry.path().filename().string());
    if (parsed && (parsed->owner == subtask || (subtask == 0 && parsed->owner >= parallelism)))
      fn(entry.path(), *parsed);
  }
}

/// Prepares the directory of a restored writer (on an I/O thread): removes
/// the part files of the subtasks it looks after that were begun after the
/// restored snapshot (number at or past their owner's restored next part):
/// in-progress files of attempts that died, and parts committed after the
/// snapshot, whose records the restored job writes again. Parts begun before
/// are left to the committer, which commits those the checkpoint lists.
void roll_back_parts(const std::string& dir, int subtask, int parallelism,
                     const std::map<int, std::int64_t>& next_parts) {
  std::size_t rolled_back = 0;
  for_each_part_file(dir, subtask, parallelism, [&](const fs::path& path, part_file_name p) {
    auto next = next_parts.find(p.owner);
    if (p.hidden && (next == next_parts.end() || p.number >= next->second)) {
      (void)file_system::current().remove_file(path.string());
    } else if (!p.hidden && next != next_parts.end() && p.number >= next->second) {
      (void)file_system::current().remove_file(path.string());
      ++rolled_back;
    }
  });
  if (rolled_back > 0)
    logger("filesink")
      ->warn("Removed {} part files of {} written after the restored snapshot; their records are "
             "written again.",
             rolled_back, dir);
}

/// The part files of one file sink writer in the directory `path`, as Flink's
/// FileSink writes them: records go into a hidden in-progress file
/// ".part-<subtask>-<n>.inprogress.<random>"; a flush closes it (it is then
/// pending: a committable of the next prepare_commit) and the next record
/// opens part n+1. The committer renames a pending part to
/// "part-<subtask>-<n>" once its checkpoint completed, or once the job
/// finished for the last part. The last committable also sweeps the
/// in-progress files of this subtask's name left by others: those of an
/// attempt that lived on after it was replaced (a taskmanager frozen or cut
/// off past the heartbeat timeout, running until it heard so); its records
/// are in the committed output of the attempt that replaced it.
///
/// State: each subtask's next part number (union: a restored writer
/// continues after the highest, so names never repeat after a rescale, and
/// rolls back what was begun after the snapshot, see roll_back_parts).
class part_file_output final : public buffered_text_output_of<detail::text_file_output> {
public:
  part_file_output(const std::string& path, sink_writer_context& context,
                   const std::vector<file_writer_state>& restored)
    : buffered_text_output_of(context),
      directory_(path),
      subtask_(context.subtask_index()),
      parallelism_(context.parallelism()) {
    std::map<int, std::int64_t> next_parts;
    for (const auto& s : restored) {
      next_parts[s.subtask] = s.next_part;
      next_part_ = std::max(next_part_, s.next_part);
    }
    io_.submit([dir = directory_, subtask = subtask_, parallelism = parallelism_,
                next_parts = std::move(next_parts), restoring = !restored.empty()] {
      if (auto created = file_system::current().create_directories(dir); !created)
        throw std::runtime_error("cannot create output directory: " + created.error());
      if (restoring)
        roll_back_parts(dir, subtask, parallelism, next_parts);
    });
  }

  void appended() override {
    if (!buffer_.empty())
      begin_part();
    buffered_text_output_of::appended();
  }

  bool ready() override {
    if (!buffer_.empty())
      begin_part();
    return buffered_text_output_of::ready();
  }

  std::function<bool()> flush(bool end_of_input) override {
    if (!closed_) {
      roll();
      closed_ = end_of_input;
    }
    // The files pending are complete and synced before the checkpoint
    // counts: a restore commits them as they are.
    return io_.done_so_far();
  }

  std::vector<file_committable> prepare_commit() override {
    auto committables = std::exchange(pending_, {});
    if (closed_ && !swept_) {
      swept_ = true;
      file_committable sweep;
      sweep.sweep_directory = directory_;
      sweep.sweep_subtask = subtask_;
      sweep.sweep_parallelism = parallelism_;
      committables.push_back(std::move(sweep));
      final_parts_.clear();
      for (const auto& c : committables)
        if (!c.in_progress.empty())
          final_parts_.push_back(c.in_progress);
    }
    return committables;
  }

  std::vector<file_writer_state> snapshot_state() override {
    return {file_writer_state{subtask_, next_part_}};
  }

  void abort() noexcept override {
    try {
      buffer_.clear();
      // Parts handed out for a checkpoint stay: if it completed, the restore
      // commits them; if not, the restore rolls them back. The last parts
      // of a finished input are no checkpoint's.
      io_.submit([part = current_, discard = final_parts_, dir = directory_] {
        if (part)
          part->discard();
        for (const auto& f : discard)
          (void)file_system::current().remove_file(f);
        ::rmdir(dir.c_str()); // only succeeds once nothing is in it
      });
      current_.reset();
    } catch (...) {
      // Out of memory while scheduling the cleanup: hidden files stay.
    }
  }

private:
  /// Opens the next part file before the first write after a roll.
  void begin_part() {
    if (current_ || closed_)
      return;
    auto part = std::make_shared<in_progress_file>();
    auto name = "part-" + std::to_string(subtask_) + "-" + std::to_string(next_part_++);
    part->final_path = (fs::path{directory_} / name).string();
    part->in_progress =
      (fs::path{directory_} / ("." + name + ".inprogress." + random_file_suffix())).string();
    io_.submit([part] { part->create(); });
    current_ = std::move(part);
  }

  /// Closes the current part file: it is pending.
  void roll() {
    if (!buffer_.empty())
      begin_part();
    write_buffer();
    if (!current_)
      return;
    io_.submit([part = current_] { part->finish(); });
    file_committable c;
    c.in_progress = current_->in_progress;
    c.final_path = current_->final_path;
    pending_.push_back(std::move(c));
    current_.reset();
  }

  std::function<void()> write_operation(std::shared_ptr<const std::string> data) override {
    return [part = current_, data] {
      if (part)
        part->append(*data);
    };
  }

  std::string directory_;
  int subtask_;
  int parallelism_;
  std::int64_t next_part_ = 0;
  std::shared_ptr<in_progress_file> current_;
  std::vector<file_committable> pending_; ///< closed since the last prepare_commit
  std::vector<std::string> final_parts_;  ///< the parts closed by the end of the input
  bool closed_ = false;
  bool swept_ = false;
};

} // namespace

std::unique_ptr<detail::text_file_output>
make_part_file_output(const std::string& path, sink_writer_context& context,
                      const std::vector<detail::file_writer_state>& restored) {
  return std::make_unique<part_file_output>(path, context, restored);
}

namespace detail {

void commit_files(std::vector<commit_request<file_committable>>& requests) {
  for (auto& r : requests) {
    const auto& c = r.committable();
    if (!c.in_progress.empty())
      commit_part_file(c.in_progress, c.final_path);
    if (c.sweep_subtask >= 0)
      for_each_part_file(c.sweep_directory, c.sweep_subtask, c.sweep_parallelism,
                         [](const fs::path& path, part_file_name p) {
                           if (p.hidden)
                             (void)file_system::current().remove_file(path.string());
                         });
  }
}

} // namespace detail
} // namespace flinkcpp

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

/// The checkpoint id standing for "when the job finishes".
constexpr std::int64_t at_job_end = std::numeric_limits<std::int64_t>::max();

/// A part file written but not yet final: committed when its checkpoint
/// completes (or, for at_job_end, when the job finishes).
struct pending_part {
  std::int64_t checkpoint = 0;
  std::string in_progress;
  std::string final_path;
};

template <class Inspector>
auto inspect(Inspector& f, pending_part& x) {
  return f(x.checkpoint, x.in_progress, x.final_path);
}

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
  if (p.hidden ? std::sscanf(name.c_str(), ".part-%d-", &p.owner) != 1
               : std::sscanf(name.c_str(), "part-%d-%lld", &p.owner, &p.number) != 2)
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

/// The part files of one sink subtask in the directory `path`, as Flink's
/// FileSink writes them: records go into a hidden in-progress file
/// ".part-<subtask>-<n>.inprogress.<random>"; a snapshot closes it (it is
/// then pending, and listed in the operator state) and the next record opens
/// part n+1; a completed checkpoint commits its pending files by renaming
/// them to "part-<subtask>-<n>". At the end of the input the last part is
/// pending until the job finishes. A restored subtask first commits the
/// pending files its checkpoint lists (again, if an earlier attempt did) and
/// deletes in-progress files no checkpoint lists.
///
/// State: "pending" (union_all: subtask 0 of a restored job commits all) and
/// "counters" (union_all: each subtask's next part number; a restored subtask
/// continues after the highest, so names never repeat after a rescale). A
/// restore from a snapshot older than committed output (falling back from an
/// unreadable checkpoint, or an old savepoint) removes the part files that
/// were begun after the snapshot: the restored job writes those records again.
class part_file_output final : public buffered_text_output {
public:
  part_file_output(const std::string& path, const spi::operator_context& context)
    : buffered_text_output(context),
      directory_(path),
      subtask_(context.subtask_index),
      parallelism_(context.parallelism) {}

  void open() override {
    auto dir = directory_;
    auto subtask = subtask_;
    auto parallelism = parallelism_;
    auto restored = restored_;
    auto counters = restored_counters_;
    auto committer = subtask_ == 0;
    auto log = logger("filesink");
    io_.submit(
      [dir, subtask, parallelism, restored = std::move(restored), counters, committer, log] {
        auto& files = file_system::current();
        if (auto created = files.create_directories(dir); !created)
          throw std::runtime_error("cannot create output directory: " + created.error());
        std::set<std::string> listed;
        for (const auto& p : restored)
          listed.insert(fs::path{p.in_progress}.filename().string());
        if (committer)
          for (const auto& p : restored)
            commit_part_file(p.in_progress, p.final_path);
        // In-progress files no checkpoint lists (left by attempts that died),
        // and committed parts begun after the restored snapshot.
        std::size_t rolled_back = 0;
        for_each_part_file(dir, subtask, parallelism, [&](const fs::path& path, part_file_name p) {
          if (p.hidden && listed.count(path.filename().string()) == 0) {
            (void)files.remove_file(path.string());
          } else if (!p.hidden) {
            auto counter = counters.find(p.owner);
            if (counter != counters.end() && p.number >= counter->second) {
              (void)files.remove_file(path.string());
              ++rolled_back;
            }
          }
        });
        if (rolled_back > 0)
          log->warn("Removed {} part files of {} written after the restored snapshot; their "
                    "records are written again.",
                    rolled_back, dir);
      });
    restored_.clear();
  }

  void appended() override {
    if (!buffer_.empty())
      begin_part();
    buffered_text_output::appended();
  }

  bool ready() override {
    if (!buffer_.empty())
      begin_part();
    return buffered_text_output::ready();
  }

  bool end_input() override {
    if (!closed_) {
      roll(at_job_end);
      closed_ = true;
    }
    return quiescent();
  }

  bool needs_commit() const override { return closed_; }

  /// The job finished: commits the last part, then deletes the in-progress
  /// files of this subtask's name left by others: those of an attempt that
  /// lived on after it was replaced (a taskmanager frozen or cut off past
  /// the heartbeat timeout, running until it heard so). Its records are in
  /// the committed output of the attempt that replaced it.
  void commit() override {
    commit_up_to(at_job_end);
    io_.submit([dir = directory_, subtask = subtask_, parallelism = parallelism_] {
      for_each_part_file(dir, subtask, parallelism, [](const fs::path& path, part_file_name p) {
        if (p.hidden)
          (void)file_system::current().remove_file(path.string());
      });
    });
  }

  void abort() noexcept override {
    try {
      buffer_.clear();
      std::vector<std::string> discard;
      for (const auto& p : pending_)
        if (p.checkpoint == at_job_end)
          discard.push_back(p.in_progress);
      // Parts pending for a checkpoint stay: if it completed, the restore
      // commits them; if not, the restore deletes them.
      io_.submit([part = current_, discard, dir = directory_] {
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

  void snapshot_state(checkpoint_id checkpoint, spi::operator_snapshot& snapshot) override {
    roll(checkpoint.value());
    // The files listed as pending are complete and synced before the
    // checkpoint counts: a restore commits them as they are.
    snapshot.durable = io_.done_so_far();
    auto& pending = snapshot.lists["pending"];
    pending.mode = spi::redistribution::union_all;
    for (const auto& p : pending_)
      pending.entries.push_back(detail::to_bytes(p));
    snapshot.lists["counters"] = {
      spi::redistribution::union_all,
      {detail::to_bytes(std::pair<std::int32_t, std::int64_t>{subtask_, counter_})}};
  }

  void restore_state(const spi::operator_restore& state) override {
    for (const auto& bytes : state.list("pending"))
      restored_.push_back(detail::from_bytes<pending_part>(bytes));
    for (const auto& bytes : state.list("counters")) {
      auto [subtask, counter] = detail::from_bytes<std::pair<std::int32_t, std::int64_t>>(bytes);
      restored_counters_[subtask] = counter;
      counter_ = std::max(counter_, counter);
    }
  }

  void notify_checkpoint_complete(checkpoint_id checkpoint) override {
    commit_up_to(checkpoint.value());
  }

private:
  /// Opens the next part file before the first write after a roll.
  void begin_part() {
    if (current_ || closed_)
      return;
    auto part = std::make_shared<in_progress_file>();
    auto name = "part-" + std::to_string(subtask_) + "-" + std::to_string(counter_++);
    part->final_path = (fs::path{directory_} / name).string();
    part->in_progress =
      (fs::path{directory_} / ("." + name + ".inprogress." + random_file_suffix())).string();
    io_.submit([part] { part->create(); });
    current_ = std::move(part);
  }

  /// Closes the current part file: it is pending for `checkpoint`.
  void roll(std::int64_t checkpoint) {
    if (!buffer_.empty())
      begin_part();
    write_buffer();
    if (!current_)
      return;
    io_.submit([part = current_] { part->finish(); });
    pending_.push_back({checkpoint, current_->in_progress, current_->final_path});
    current_.reset();
  }

  void commit_up_to(std::int64_t checkpoint) {
    std::vector<pending_part> due;
    auto split =
      std::stable_partition(pending_.begin(), pending_.end(),
                            [&](const pending_part& p) { return p.checkpoint > checkpoint; });
    due.assign(split, pending_.end());
    pending_.erase(split, pending_.end());
    if (!due.empty())
      io_.submit([due = std::move(due)] {
        for (const auto& p : due)
          commit_part_file(p.in_progress, p.final_path);
      });
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
  std::int64_t counter_ = 0;
  std::shared_ptr<in_progress_file> current_;
  std::vector<pending_part> pending_;
  std::vector<pending_part> restored_;            ///< to commit in open()
  std::map<int, std::int64_t> restored_counters_; ///< each old subtask's next part number
  bool closed_ = false;
};

} // namespace

std::unique_ptr<detail::text_output> make_part_file_output(const std::string& path,
                                                           const spi::operator_context& context) {
  return std::make_unique<part_file_output>(path, context);
}

} // namespace flinkcpp

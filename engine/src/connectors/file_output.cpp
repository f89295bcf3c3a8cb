#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/buffered_text_output.hpp"
#include "connectors/part_file_output.hpp"
#include "connectors/part_files.hpp"

namespace flinkcpp {

namespace fs = std::filesystem;
using detail::file_committable;
using detail::file_writer_state;

namespace {

/// What the io operations of the file share; touched only by those
/// operations, which run one at a time.
struct part_file : in_progress_file {
  std::string directory;
};

/// Deletes in-progress files of this file left by an earlier attempt whose
/// process died before it could abort them (a killed taskmanager), as Flink's
/// FileSink cleans up on restore.
void remove_stale_parts(const part_file& f) {
  auto prefix = "." + fs::path{f.final_path}.filename().string() + ".inprogress.";
  auto own = fs::path{f.in_progress}.filename().string();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(f.directory, ec)) {
    auto name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name != own)
      (void)file_system::current().remove_file(entry.path().string());
  }
}

/// The output of a sink with parallelism 1 in a job without checkpoints: one
/// plain file, written as Flink's FileSink writes part files: into a hidden
/// in-progress file next to its final name (".<name>.inprogress.<random>"),
/// renamed to the final name by the committer when the job finishes, deleted
/// when it fails or is cancelled. It cannot take part in savepoints (it
/// cannot roll).
class file_output final : public buffered_text_output_of<detail::text_file_output> {
public:
  file_output(const std::string& path, sink_writer_context& context)
    : buffered_text_output_of(context),
      file_(std::make_shared<part_file>()) {
    fs::path final_path{path};
    file_->final_path = final_path.string();
    file_->directory = final_path.parent_path().empty() ? "." : final_path.parent_path().string();
    file_->in_progress = (fs::path{file_->directory} / ("." + final_path.filename().string() +
                                                        ".inprogress." + random_file_suffix()))
                           .string();
    io_.submit([f = file_] {
      if (auto created = file_system::current().create_directories(f->directory); !created)
        throw std::runtime_error("cannot create output directory: " + created.error());
      remove_stale_parts(*f);
      f->create();
    });
  }

  std::function<bool()> flush(bool end_of_input) override {
    if (!end_of_input)
      throw spi::snapshot_declined(
        "the sink writing the single file '" + file_->final_path +
        "' cannot take part in snapshots: enable checkpoints (execution.checkpointing.interval) "
        "or run it in parallel, so that it writes a directory of part files");
    if (!closed_) {
      write_buffer();
      io_.submit([f = file_] { f->finish(); });
      closed_ = true;
    }
    return io_.done_so_far();
  }

  std::vector<file_committable> prepare_commit() override {
    if (!closed_ || committed_)
      return {};
    committed_ = true;
    file_committable c;
    c.in_progress = file_->in_progress;
    c.final_path = file_->final_path;
    return {c};
  }

  std::vector<file_writer_state> snapshot_state() override { return {}; }

  void abort() noexcept override {
    try {
      buffer_.clear();
      io_.submit([f = file_] { f->discard(); });
    } catch (...) {
      // Out of memory while scheduling the cleanup: the hidden file stays.
    }
  }

private:
  std::function<void()> write_operation(std::shared_ptr<const std::string> data) override {
    return [f = file_, data] { f->append(*data); };
  }

  std::shared_ptr<part_file> file_;
  bool closed_ = false;
  bool committed_ = false; ///< handed its committable out
};

} // namespace

namespace detail {

std::unique_ptr<text_file_output> make_file_output(const std::string& path, bool directory,
                                                   sink_writer_context& context,
                                                   const std::vector<file_writer_state>& restored) {
  if (context.parallelism() == 1 && !context.checkpointing() && !directory)
    return std::make_unique<file_output>(path, context);
  return make_part_file_output(path, context, restored);
}

std::optional<std::string> validate_file_output(const std::string& path, bool restoring) {
  if (path.empty())
    return "the output path is empty";
  struct stat st {};
  if (restoring && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
      ::access(path.c_str(), W_OK | X_OK) == 0)
    return std::nullopt;
  if (::lstat(path.c_str(), &st) == 0)
    return "output '" + path +
           "' already exists; flink-cpp never overwrites output: remove it or choose another path";
  fs::path ancestor = fs::path{path}.parent_path();
  while (!ancestor.empty()) {
    if (::stat(ancestor.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        return "cannot create output '" + path + "': '" + ancestor.string() +
               "' is not a directory";
      if (::access(ancestor.c_str(), W_OK | X_OK) != 0)
        return "cannot create output '" + path + "' in '" + ancestor.string() +
               "': " + errno_text(errno);
      return std::nullopt;
    }
    if (errno != ENOENT)
      return "cannot create output '" + path + "': '" + ancestor.string() +
             "': " + errno_text(errno);
    ancestor = ancestor.parent_path();
  }
  return std::nullopt;
}

} // namespace detail
} // namespace flinkcpp

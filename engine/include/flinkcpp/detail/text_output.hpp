#pragma once

// Where the text sinks (print_sink, file_sink) write: stdout, or part files
// that are written in progress and committed through the sink's committer
// (as Flink's FileSink does). The byte work runs on the io executor; these
// objects only collect lines and schedule writes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/export.hpp"
#include "flinkcpp/sink.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A destination for lines of text, owned by one sink writer and used from
/// its subtask's thread. The methods are those of sink_writer.
class text_output {
public:
  /// Writes are scheduled once the buffer holds this many bytes.
  static constexpr std::size_t write_threshold = 1 << 20;

  virtual ~text_output() = default;

  /// Lines to write; the writer appends, then calls appended().
  std::string& buffer() { return buffer_; }

  /// Schedules a write when the buffer is large enough.
  virtual void appended() = 0;

  virtual bool ready() = 0;
  /// Whether lines wait in the buffer that flush_held_output() would
  /// write now (sink_writer's); part files keep theirs to the threshold.
  virtual bool holds_output() const { return false; }
  virtual void flush_held_output() {}
  /// Writes the buffer; at the end of the input also closes.
  virtual std::function<bool()> flush(bool end_of_input) = 0;
  virtual bool quiescent() const = 0;
  virtual void check() = 0;
  virtual void abort() noexcept = 0;

protected:
  std::string buffer_;
};

/// A part file closed and not yet visible, or a sweep at the job's end: the
/// file sink's committable.
struct file_committable {
  /// Renamed to final_path on commit (empty: no file).
  std::string in_progress;
  std::string final_path;
  /// After the rename, deletes the in-progress files of subtask
  /// `sweep_subtask` of `sweep_parallelism` in `sweep_directory` (-1: none):
  /// those of an attempt that lived on after it was replaced.
  std::string sweep_directory;
  std::int32_t sweep_subtask = -1;
  std::int32_t sweep_parallelism = 0;
};

template <class Inspector>
auto inspect(Inspector& f, file_committable& x) {
  return f(x.in_progress, x.final_path, x.sweep_directory, x.sweep_subtask, x.sweep_parallelism);
}

/// A file sink writer's state: the number its subtask's next part gets.
struct file_writer_state {
  std::int32_t subtask = 0;
  std::int64_t next_part = 0;
};

template <class Inspector>
auto inspect(Inspector& f, file_writer_state& x) {
  return f(x.subtask, x.next_part);
}

/// The text output of a file sink: also prepares committables and has a
/// state (sink_writer's prepare_commit and snapshot_state).
class text_file_output : public text_output {
public:
  virtual std::vector<file_committable> prepare_commit() = 0;
  virtual std::vector<file_writer_state> snapshot_state() = 0;
};

/// Standard output; lines of concurrent print sinks never interleave.
std::unique_ptr<text_output> make_stdout_output(sink_writer_context& context);

/// A text file at `path` when the sink runs with parallelism 1 without
/// checkpoints (and `directory` is false), else part files
/// `path/part-<subtask>-<n>` of a directory, begun anew at every checkpoint
/// (two phases, as Flink's FileSink), so that a restored job's output stays
/// exact. `restored`: the writer states of a restored job (each old
/// subtask's next part number, all of them); the output then removes what
/// the attempts after the restored snapshot left.
std::unique_ptr<text_file_output> make_file_output(const std::string& path, bool directory,
                                                   sink_writer_context& context,
                                                   const std::vector<file_writer_state>& restored);

/// The file sink's committer: renames each part file to its final name
/// (nothing if an earlier attempt did; never over existing output), then
/// sweeps. Blocking.
void commit_files(std::vector<commit_request<file_committable>>& requests);

/// Checks, before a job starts, that `path` can receive a sink's output: it
/// must not exist (output is never overwritten) and its parent must be a
/// directory or creatable. A job `restoring` from a savepoint continues
/// writing into its directory of part files, which may exist. Returns the
/// problem, or nullopt.
std::optional<std::string> validate_file_output(const std::string& path, bool restoring);

} // namespace flinkcpp::detail
FLINKCPP_API_END

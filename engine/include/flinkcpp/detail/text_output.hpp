#pragma once

// Where the text sinks (print, write_as_text) write: stdout, or part files
// that are written in progress and committed when the job finishes (as
// Flink's FileSink does). The byte work runs on the io_executor; these objects
// only collect lines and schedule writes.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A destination for lines of text, owned by one sink operator and used from
/// its subtask's thread. Mirrors the operator lifecycle (see stream_operator).
class text_output {
public:
  /// Writes are scheduled once the buffer holds this many bytes.
  static constexpr std::size_t write_threshold = 1 << 20;

  virtual ~text_output() = default;

  /// Lines to write; the sink appends, then calls appended().
  std::string& buffer() { return buffer_; }

  /// Schedules a write when the buffer is large enough.
  virtual void appended() = 0;

  virtual void open() = 0;
  /// Writes what is left and closes; false while that is still in flight.
  virtual bool end_input() = 0;
  virtual bool ready() = 0;
  virtual bool quiescent() const = 0;
  virtual void check() = 0;
  virtual bool needs_commit() const = 0;
  virtual void commit() = 0;
  virtual void abort() noexcept = 0;
  virtual void snapshot_state(checkpoint_id, spi::operator_snapshot&) {}
  virtual void restore_state(const spi::operator_restore&) {}
  virtual void notify_checkpoint_complete(checkpoint_id) {}

protected:
  std::string buffer_;
};

/// Standard output; lines of concurrent print sinks never interleave.
std::unique_ptr<text_output> make_stdout_output(const spi::operator_context& context);

/// A text file at `path` when the sink runs with parallelism 1 without
/// checkpoints (and `directory` is false), else part files
/// `path/part-<subtask>-<n>` of a directory.
/// Committed when the job finishes; with checkpoints, a new part file begins
/// at every checkpoint and is committed when that checkpoint completes (two
/// phases, as Flink's FileSink), so a restored job's output stays exact.
std::unique_ptr<text_output> make_file_output(const std::string& path,
                                              const spi::operator_context& context,
                                              bool directory = false);

/// Checks, before a job starts, that `path` can receive a sink's output: it
/// must not exist (output is never overwritten) and its parent must be a
/// directory or creatable. A job `restoring` from a savepoint continues
/// writing into its directory of part files, which may exist. Returns the
/// problem, or nullopt.
std::optional<std::string> validate_file_output(const std::string& path, bool restoring);

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

// File operations the file sinks share, through file_system::current(): a
// part file written under a hidden in-progress name, and its commit to the
// final name without ever overwriting output, idempotently.

#include <memory>
#include <string>

#include "util/file_system.hpp"

namespace flinkcpp {

/// 16 random hex digits, for in-progress file names.
std::string random_file_suffix();

/// A part file being written under its in-progress name. Touched only by
/// the I/O operations of its output, which run one at a time, in order;
/// their failures throw std::runtime_error naming the file.
struct in_progress_file {
  std::string in_progress;
  std::string final_path;
  std::unique_ptr<writable_file> file; ///< null before create() and after finish()

  /// Creates the in-progress file; it must not exist.
  void create();
  /// Appends `data`; nothing if create() failed (that failure was reported).
  void append(const std::string& data);
  /// Flushes the file to the device and closes it.
  void finish();
  /// Closes and deletes the in-progress file (an abort). Best effort.
  void discard() noexcept;
};

/// Renames `from` to `to` unless `to` exists (output is never overwritten).
/// Blocking; throws std::runtime_error naming `to`.
void rename_no_replace(const std::string& from, const std::string& to);

/// Commits an in-progress part file: renames it, or does nothing if an
/// earlier attempt already did (`from` gone, `to` there). Blocking; throws
/// std::runtime_error if neither exists (the data is lost).
void commit_part_file(const std::string& from, const std::string& to);

} // namespace flinkcpp

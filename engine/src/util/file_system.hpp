#pragma once

// The file system every durable write of the engine goes through (LevelDB's
// Env): checkpoint files and metadata, part files and file output, uploaded
// job libraries, working directories, the job result store. The primitives
// are virtual so that tests can put a fault-injecting file system in place
// (fail the Nth write, sync or rename; a full disk; a crash between write
// and rename); the sequences built on them (durable_file.hpp) are not.
// Every failure is one line naming the file and the system's reason.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace flinkcpp {

/// The system's text for error number `error` (strerror).
std::string errno_text(int error);

/// A fresh name beside `path` for a file written before it is renamed to
/// `path` (`<path>.tmp-<8 hex digits>`).
std::string temporary_name_for(const std::string& path);

/// A file open for writing. Not thread-safe; one owner. The destructor
/// closes it (ignoring errors) and never removes it.
class writable_file {
public:
  virtual ~writable_file() = default;

  /// Appends all of `bytes`, retrying partial writes.
  virtual result<void> append(std::string_view bytes) = 0;
  /// Writes `bytes` at `offset` (over what is there), leaving the position
  /// where appends go alone.
  virtual result<void> write_at(std::uint64_t offset, std::string_view bytes) = 0;
  /// Flushes what was written to the device (fsync).
  virtual result<void> sync() = 0;
  /// Closes the file; later calls do nothing.
  virtual result<void> close() = 0;

  /// sync() then close(): what every durable write ends with.
  result<void> sync_and_close() {
    auto synced = sync();
    if (!synced)
      return synced;
    return close();
  }
};

/// A lock file held (flock) as long as this object lives.
class file_lock {
public:
  virtual ~file_lock() = default;
};

/// File-system primitives. Implementations are thread-safe.
class file_system {
public:
  virtual ~file_system() = default;

  /// The process's file system: the local one, unless a scoped_file_system
  /// put another in place.
  static file_system& current();

  enum class create_mode {
    new_only, ///< fails if `path` exists
    truncate, ///< replaces what `path` held
  };

  /// Opens `path` for writing (mode 0644).
  virtual result<std::unique_ptr<writable_file>> open_for_write(const std::string& path,
                                                                create_mode mode) = 0;

  /// Hands all of `path` to `take`, in pieces of up to 1 MiB, stopping at
  /// its first failure.
  virtual result<void>
  read_in_pieces(const std::string& path,
                 const std::function<result<void>(std::string_view)>& take) = 0;

  /// Renames `from` to `to`, replacing `to`.
  virtual result<void> rename(const std::string& from, const std::string& to) = 0;
  /// Renames `from` to `to` unless `to` exists (then fails, naming it).
  virtual result<void> rename_no_replace(const std::string& from, const std::string& to) = 0;

  /// Removes the file `path`; a missing one is no error.
  virtual result<void> remove_file(const std::string& path) = 0;
  /// Deletes `path` and everything below it, also while another thread
  /// deletes some of the same files. Best effort: false if something stayed.
  virtual bool remove_tree(const std::string& path) = 0;

  /// Creates `path` and its missing parents.
  virtual result<void> create_directories(const std::string& path) = 0;
  /// Flushes a directory's entries (new files, renames) to the device.
  virtual result<void> sync_directory(const std::string& path) = 0;

  /// Whether something exists at `path` (false when that cannot be told).
  virtual bool exists(const std::string& path) = 0;

  /// Creates the lock file `path` and locks it, atomically: no other process
  /// ever finds it there unlocked. Fails if it exists.
  virtual result<std::unique_ptr<file_lock>> create_lock(const std::string& path) = 0;
  /// Locks the existing lock file `path` if no live process holds it;
  /// nullptr when one does or when there is no such file.
  virtual std::unique_ptr<file_lock> try_lock(const std::string& path) = 0;
};

/// Puts `replacement` in place of file_system::current() while it lives, for
/// tests. Not thread-safe: create and destroy it while no other thread of
/// the process touches files. `replacement` must outlive it.
class scoped_file_system {
public:
  explicit scoped_file_system(file_system& replacement);
  ~scoped_file_system();

  scoped_file_system(const scoped_file_system&) = delete;
  scoped_file_system& operator=(const scoped_file_system&) = delete;

private:
  file_system* previous_;
};

} // namespace flinkcpp

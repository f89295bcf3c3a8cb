#pragma once

// A file system that fails on purpose (LevelDB's fault-injection Env): the
// Nth write, sync or rename fails with a chosen errno, writes hit a full
// disk, or the "process" crashes at an operation, after which nothing more
// reaches the disk, so the files stay as a crash leaves them. Everything
// else goes to the file system that was current when it was made. Install
// it with scoped_file_system. Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "util/file_system.hpp"

namespace flinkcpp::testing {

class fault_injecting_file_system final : public file_system {
public:
  enum class operation { create, write, sync, rename, remove };

  fault_injecting_file_system();

  /// The `n`th call of `op` from now on (1: the next) fails with `error`.
  void fail_nth(operation op, int n, int error = EIO);
  /// Writes fail with ENOSPC once `bytes` more bytes were written.
  void fill_disk_after(std::uint64_t bytes);
  /// The process dies at the `n`th call of `op` from now on: that call and
  /// every later one fails with EIO and changes nothing.
  void crash_at(operation op, int n);
  /// A process started again after the crash: faults are forgotten.
  void restart();

  bool crashed() const;
  /// Calls of `op` so far.
  int calls(operation op) const;

  result<std::unique_ptr<writable_file>> open_for_write(const std::string& path,
                                                        create_mode mode) override;
  result<void> read_in_pieces(const std::string& path,
                              const std::function<result<void>(std::string_view)>& take) override;
  result<void> rename(const std::string& from, const std::string& to) override;
  result<void> rename_no_replace(const std::string& from, const std::string& to) override;
  result<void> remove_file(const std::string& path) override;
  bool remove_tree(const std::string& path) override;
  result<void> create_directories(const std::string& path) override;
  result<void> sync_directory(const std::string& path) override;
  bool exists(const std::string& path) override;
  result<std::unique_ptr<file_lock>> create_lock(const std::string& path) override;
  std::unique_ptr<file_lock> try_lock(const std::string& path) override;

  /// The failure the next call of `op` on `path` meets, if any (counting
  /// the call; `bytes` count against a full disk).
  result<void> check(operation op, const std::string& path, std::uint64_t bytes = 0);

private:
  struct fault {
    int at = 0; ///< the call number that fails
    int error = 0;
    bool crash = false;
  };

  file_system& base_;
  mutable std::mutex mutex_;
  std::map<operation, int> calls_;
  std::multimap<operation, fault> faults_;
  std::uint64_t space_left_ = UINT64_MAX;
  bool crashed_ = false;
};

/// A fault-injecting file system in place of the process's for as long as a
/// test fixture deriving from this lives.
struct injected_faults {
  fault_injecting_file_system faults;
  scoped_file_system installed{faults};
};

} // namespace flinkcpp::testing

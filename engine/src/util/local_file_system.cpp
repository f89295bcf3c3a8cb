// The local (POSIX) file system behind file_system::current().

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file_system.hpp"
#include "util/id.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

std::string last_error() {
  return errno_text(errno);
}

class local_writable_file final : public writable_file {
public:
  local_writable_file(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~local_writable_file() override {
    if (fd_ >= 0)
      ::close(fd_);
  }

  result<void> append(std::string_view bytes) override {
    return write_all(bytes, [this](const char* data, std::size_t n, std::size_t) {
      return ::write(fd_, data, n);
    });
  }

  result<void> write_at(std::uint64_t offset, std::string_view bytes) override {
    return write_all(bytes, [this, offset](const char* data, std::size_t n, std::size_t done) {
      return ::pwrite(fd_, data, n, static_cast<off_t>(offset + done));
    });
  }

  result<void> sync() override {
    if (::fsync(fd_) != 0)
      return failure{"cannot flush '" + path_ + "' to disk: " + last_error()};
    return {};
  }

  result<void> close() override {
    if (fd_ < 0)
      return {};
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      return failure{"cannot close '" + path_ + "': " + last_error()};
    return {};
  }

private:
  /// Writes all of `bytes` with `write_some(data, n, done)` (a write(2)-like
  /// call; `done` bytes are written so far), retrying partial writes.
  template <class WriteSome>
  result<void> write_all(std::string_view bytes, WriteSome write_some) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      auto n = write_some(bytes.data() + done, bytes.size() - done, done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return failure{"cannot write '" + path_ + "': " + last_error()};
      done += static_cast<std::size_t>(n);
    }
    return {};
  }

  int fd_;
  std::string path_;
};

class local_file_lock final : public file_lock {
public:
  explicit local_file_lock(int fd) : fd_(fd) {}
  ~local_file_lock() override { ::close(fd_); }

private:
  int fd_;
};

class local_file_system final : public file_system {
public:
  result<std::unique_ptr<writable_file>> open_for_write(const std::string& path,
                                                        create_mode mode) override {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == create_mode::new_only ? O_EXCL : O_TRUNC);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0)
      return failure{"cannot create '" + path + "': " + last_error()};
    return std::unique_ptr<writable_file>{std::make_unique<local_writable_file>(fd, path)};
  }

  result<void> read_in_pieces(const std::string& path,
                              const std::function<result<void>(std::string_view)>& take) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return failure{"cannot open '" + path + "': " + last_error()};
    std::vector<char> buffer(1 << 20);
    result<void> outcome;
    for (;;) {
      auto n = ::read(fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        outcome = failure{"cannot read '" + path + "': " + last_error()};
      else if (n > 0)
        outcome = take({buffer.data(), static_cast<std::size_t>(n)});
      if (n <= 0 || !outcome)
        break;
    }
    ::close(fd);
    return outcome;
  }

  result<void> rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0)
      return failure{"cannot rename '" + from + "' to '" + to + "': " + last_error()};
    return {};
  }

  result<void> rename_no_replace(const std::string& from, const std::string& to) override {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
      return {};
    if (errno == EINVAL || errno == ENOSYS) { // a file system without RENAME_NOREPLACE
      if (::link(from.c_str(), to.c_str()) == 0) {
        ::unlink(from.c_str());
        return {};
      }
    }
    return failure{"cannot rename '" + from + "' to '" + to + "': " + last_error()};
  }

  result<void> remove_file(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      return failure{"cannot remove '" + path + "': " + last_error()};
    return {};
  }

  bool remove_tree(const std::string& path) override {
    constexpr int passes = 8; // each one that fails lost a race with another deleter
    std::error_code ec;
    for (int pass = 0; pass < passes; ++pass) {
      fs::remove_all(path, ec);
      if (!ec)
        return true;
      if (ec != std::errc::no_such_file_or_directory)
        return false;
    }
    return false;
  }

  result<void> create_directories(const std::string& path) override {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec)
      return failure{"cannot create directory '" + path + "': " + ec.message()};
    return {};
  }

  result<void> sync_directory(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool synced = fd >= 0 && ::fsync(fd) == 0;
    auto why = last_error();
    if (fd >= 0)
      ::close(fd);
    if (!synced)
      return failure{"cannot flush directory '" + path + "': " + why};
    return {};
  }

  bool exists(const std::string& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  result<std::unique_ptr<file_lock>> create_lock(const std::string& path) override {
    // Locked under a temporary name, then linked into place (which fails if
    // the name is taken).
    auto temporary = temporary_name_for(path);
    int fd = ::open(temporary.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    bool locked = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
                  ::link(temporary.c_str(), path.c_str()) == 0;
    auto why = last_error();
    if (fd >= 0)
      ::unlink(temporary.c_str());
    if (!locked) {
      if (fd >= 0)
        ::close(fd);
      return failure{"cannot lock '" + path + "': " + why};
    }
    return std::unique_ptr<file_lock>{std::make_unique<local_file_lock>(fd)};
  }

  std::unique_ptr<file_lock> try_lock(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
      return nullptr;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return nullptr;
    }
    return std::make_unique<local_file_lock>(fd);
  }
};

local_file_system local;
std::atomic<file_system*> installed{&local};

} // namespace

std::string errno_text(int error) {
  return std::strerror(error);
}

std::string temporary_name_for(const std::string& path) {
  return path + ".tmp-" + job_id::random().to_string().substr(0, 8);
}

file_system& file_system::current() {
  return *installed.load(std::memory_order_acquire);
}

scoped_file_system::scoped_file_system(file_system& replacement)
  : previous_(installed.exchange(&replacement, std::memory_order_acq_rel)) {}

scoped_file_system::~scoped_file_system() {
  installed.store(previous_, std::memory_order_release);
}

} // namespace flinkcpp

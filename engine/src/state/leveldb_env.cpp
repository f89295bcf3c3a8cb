#include "state/leveldb_env.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace flinkcpp {

namespace {

class pread_file final : public leveldb::RandomAccessFile {
public:
  pread_file(std::string name, int fd) : name_(std::move(name)), fd_(fd) {}
  ~pread_file() override { ::close(fd_); }

  leveldb::Status Read(std::uint64_t offset, std::size_t n, leveldb::Slice* result,
                       char* scratch) const override {
    std::size_t done = 0;
    while (done < n) {
      auto r = ::pread(fd_, scratch + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0) {
        *result = leveldb::Slice(scratch, 0);
        return leveldb::Status::IOError(name_, std::strerror(errno));
      }
      if (r == 0)
        break; // end of file: LevelDB checks the length it got
      done += static_cast<std::size_t>(r);
    }
    *result = leveldb::Slice(scratch, done);
    return leveldb::Status::OK();
  }

private:
  std::string name_;
  int fd_;
};

/// A write-ahead log that reaches the kernel in the buffer's chunks:
/// LevelDB flushes its log after every write, one system call per state
/// update, to survive a process crash; a state backend's database never
/// recovers from its log (a restarted subtask restores from a checkpoint,
/// and a checkpoint's tables are written from the flushed memtable), so
/// flushes wait for a full buffer, a sync or the close.
class buffered_log_file final : public leveldb::WritableFile {
public:
  explicit buffered_log_file(leveldb::WritableFile* file) : file_(file) {}
  ~buffered_log_file() override { delete file_; }

  leveldb::Status Append(const leveldb::Slice& data) override { return file_->Append(data); }
  leveldb::Status Close() override { return file_->Close(); }
  leveldb::Status Flush() override { return leveldb::Status::OK(); }
  leveldb::Status Sync() override { return file_->Sync(); }

private:
  leveldb::WritableFile* file_;
};

bool is_log(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0;
}

class reading_env_impl final : public leveldb::EnvWrapper {
public:
  reading_env_impl() : EnvWrapper(leveldb::Env::Default()) {}

  leveldb::Status NewRandomAccessFile(const std::string& name,
                                      leveldb::RandomAccessFile** result) override {
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      *result = nullptr;
      return errno == ENOENT ? leveldb::Status::NotFound(name, std::strerror(errno))
                             : leveldb::Status::IOError(name, std::strerror(errno));
    }
    *result = new pread_file(name, fd);
    return leveldb::Status::OK();
  }

  leveldb::Status NewWritableFile(const std::string& name,
                                  leveldb::WritableFile** result) override {
    auto status = target()->NewWritableFile(name, result);
    if (status.ok() && is_log(name))
      *result = new buffered_log_file(*result);
    return status;
  }
};

} // namespace

leveldb::Env* reading_env() {
  static reading_env_impl env; // never destroyed before the databases using it
  return &env;
}

} // namespace flinkcpp

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
};

} // namespace

leveldb::Env* reading_env() {
  static reading_env_impl env; // never destroyed before the databases using it
  return &env;
}

} // namespace flinkcpp

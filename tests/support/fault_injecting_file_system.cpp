#include "support/fault_injecting_file_system.hpp"

#include <cerrno>

namespace flinkcpp::testing {

namespace {

using operation = fault_injecting_file_system::operation;

/// A file whose writes and syncs first ask the file system for faults.
class faulty_file final : public writable_file {
public:
  faulty_file(fault_injecting_file_system& fs, std::unique_ptr<writable_file> file,
              std::string path)
    : fs_(fs),
      file_(std::move(file)),
      path_(std::move(path)) {}

  result<void> append(std::string_view bytes) override {
    if (auto refused = fs_.check(operation::write, path_, bytes.size()); !refused)
      return refused;
    return file_->append(bytes);
  }

  result<void> write_at(std::uint64_t offset, std::string_view bytes) override {
    if (auto refused = fs_.check(operation::write, path_, bytes.size()); !refused)
      return refused;
    return file_->write_at(offset, bytes);
  }

  result<void> sync() override {
    if (auto refused = fs_.check(operation::sync, path_); !refused)
      return refused;
    return file_->sync();
  }

  result<void> close() override { return file_->close(); }

private:
  fault_injecting_file_system& fs_;
  std::unique_ptr<writable_file> file_;
  std::string path_;
};

const char* name_of(operation op) {
  switch (op) {
    case operation::create:
      return "create";
    case operation::write:
      return "write";
    case operation::sync:
      return "flush";
    case operation::rename:
      return "rename";
    case operation::remove:
      return "remove";
  }
  return "?";
}

} // namespace

fault_injecting_file_system::fault_injecting_file_system() : base_(file_system::current()) {}

void fault_injecting_file_system::fail_nth(operation op, int n, int error) {
  std::lock_guard<std::mutex> guard{mutex_};
  faults_.emplace(op, fault{calls_[op] + n, error, false});
}

void fault_injecting_file_system::fill_disk_after(std::uint64_t bytes) {
  std::lock_guard<std::mutex> guard{mutex_};
  space_left_ = bytes;
}

void fault_injecting_file_system::crash_at(operation op, int n) {
  std::lock_guard<std::mutex> guard{mutex_};
  faults_.emplace(op, fault{calls_[op] + n, EIO, true});
}

void fault_injecting_file_system::restart() {
  std::lock_guard<std::mutex> guard{mutex_};
  faults_.clear();
  space_left_ = UINT64_MAX;
  crashed_ = false;
}

bool fault_injecting_file_system::crashed() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return crashed_;
}

int fault_injecting_file_system::calls(operation op) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = calls_.find(op);
  return i == calls_.end() ? 0 : i->second;
}

result<void> fault_injecting_file_system::check(operation op, const std::string& path,
                                                std::uint64_t bytes) {
  std::lock_guard<std::mutex> guard{mutex_};
  int call = ++calls_[op];
  auto refuse = [&](int error) {
    return failure{std::string{"cannot "} + name_of(op) + " '" + path + "': " + errno_text(error)};
  };
  if (crashed_)
    return refuse(EIO);
  auto [first, last] = faults_.equal_range(op);
  for (auto i = first; i != last; ++i)
    if (i->second.at == call) {
      crashed_ = i->second.crash;
      return refuse(i->second.error);
    }
  if (op == operation::write) {
    if (bytes > space_left_) {
      space_left_ = 0;
      return refuse(ENOSPC);
    }
    if (space_left_ != UINT64_MAX)
      space_left_ -= bytes;
  }
  return {};
}

result<std::unique_ptr<writable_file>>
fault_injecting_file_system::open_for_write(const std::string& path, create_mode mode) {
  if (auto refused = check(operation::create, path); !refused)
    return failure{refused.error()};
  auto file = base_.open_for_write(path, mode);
  if (!file)
    return file;
  return std::unique_ptr<writable_file>{
    std::make_unique<faulty_file>(*this, std::move(file.value()), path)};
}

result<void> fault_injecting_file_system::read_in_pieces(
  const std::string& path, const std::function<result<void>(std::string_view)>& take) {
  return base_.read_in_pieces(path, take);
}

result<void> fault_injecting_file_system::rename(const std::string& from, const std::string& to) {
  if (auto refused = check(operation::rename, from); !refused)
    return refused;
  return base_.rename(from, to);
}

result<void> fault_injecting_file_system::rename_no_replace(const std::string& from,
                                                            const std::string& to) {
  if (auto refused = check(operation::rename, from); !refused)
    return refused;
  return base_.rename_no_replace(from, to);
}

result<void> fault_injecting_file_system::remove_file(const std::string& path) {
  if (auto refused = check(operation::remove, path); !refused)
    return refused;
  return base_.remove_file(path);
}

bool fault_injecting_file_system::remove_tree(const std::string& path) {
  if (!check(operation::remove, path))
    return false;
  return base_.remove_tree(path);
}

result<void> fault_injecting_file_system::create_directories(const std::string& path) {
  if (auto refused = check(operation::create, path); !refused)
    return refused;
  return base_.create_directories(path);
}

result<void> fault_injecting_file_system::sync_directory(const std::string& path) {
  if (auto refused = check(operation::sync, path); !refused)
    return refused;
  return base_.sync_directory(path);
}

bool fault_injecting_file_system::exists(const std::string& path) {
  return base_.exists(path);
}

result<std::unique_ptr<file_lock>>
fault_injecting_file_system::create_lock(const std::string& path) {
  if (auto refused = check(operation::create, path); !refused)
    return failure{refused.error()};
  return base_.create_lock(path);
}

std::unique_ptr<file_lock> fault_injecting_file_system::try_lock(const std::string& path) {
  return base_.try_lock(path);
}

} // namespace flinkcpp::testing

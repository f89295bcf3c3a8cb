#include "connectors/text_file_source.hpp"

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include "flinkcpp/detail/file_source.hpp"
#include "flinkcpp/detail/record_serialization.hpp"

namespace flinkcpp {

namespace {

/// The serialized form of one position (see text_file_source::position).
struct position_entry {
  bool is_share = false;
  std::string path;
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  bool started = false;
  std::uint64_t resume = 0;
  std::int32_t share_index = 0;
  std::int32_t share_parallelism = 1;
};

template <class Inspector>
auto inspect(Inspector& f, position_entry& x) {
  return f(x.is_share, x.path, x.start, x.end, x.started, x.resume, x.share_index,
           x.share_parallelism);
}

} // namespace

template <class Line>
text_file_source<Line>::io_state::~io_state() {
  if (fd >= 0)
    ::close(fd);
}

template <class Line>
text_file_source<Line>::text_file_source(std::string path, const spi::operator_context& context)
  : path_(std::move(path)),
    context_(context),
    io_(std::make_shared<io_state>()) {
  position share;
  share.is_share = true;
  share.share_index = context.subtask_index;
  share.share_parallelism = context.parallelism;
  shares_.push_back(share);
}

template <class Line>
void text_file_source<Line>::snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) {
  auto& list = snapshot.lists["splits"];
  list.mode = spi::redistribution::split;
  auto add = [&](const position& p) {
    list.entries.push_back(
      detail::to_bytes(position_entry{p.is_share, p.split.path, p.split.start, p.split.end,
                                      p.started, p.resume, p.share_index, p.share_parallelism}));
  };
  for (const auto& share : shares_)
    add(share);
  for (std::size_t i = next_split_; i < splits_.size(); ++i) {
    auto p = splits_[i];
    if (i == next_split_ && splitter_) {
      if (splitter_->finished())
        continue;
      auto resume = splitter_->resume_offset();
      p.started = resume.has_value();
      p.resume = std::max(resume.value_or(0), emitted_until_); // lines skipped after a restore
      p.started = p.started || p.resume > 0;
    }
    add(p);
  }
}

template <class Line>
void text_file_source<Line>::restore_state(const spi::operator_restore& state) {
  shares_.clear();
  splits_.clear();
  next_split_ = 0;
  for (const auto& bytes : state.list("splits")) {
    auto e = detail::from_bytes<position_entry>(bytes);
    position p;
    p.is_share = e.is_share;
    p.split = {e.path, e.start, e.end};
    p.started = e.started;
    p.resume = e.resume;
    p.share_index = e.share_index;
    p.share_parallelism = e.share_parallelism;
    (p.is_share ? shares_ : splits_).push_back(std::move(p));
  }
  splits_known_ = shares_.empty(); // else the files are listed again for the shares
}

template <class Line>
void text_file_source<Line>::open() {
  if (splits_known_)
    return; // restored: nothing left to list
  auto io = io_;
  auto wake = context_.wake;
  auto path = path_;
  auto parallelism = numbered ? 1 : context_.parallelism; // numbered: whole files
  context_.io->execute([io, wake, path, parallelism] {
    auto listed = enumerate_file_splits(path, parallelism);
    {
      std::lock_guard<std::mutex> guard{io->mutex};
      if (listed)
        io->splits = std::move(listed.value());
      else
        io->error = listed.error();
    }
    wake();
  });
}

template <class Line>
bool text_file_source<Line>::quiescent() const {
  std::lock_guard<std::mutex> guard{io_->mutex};
  return !io_->reading && (splits_known_ || io_->splits || !io_->error.empty());
}

template <class Line>
void text_file_source<Line>::check() {
  std::lock_guard<std::mutex> guard{io_->mutex};
  if (!io_->error.empty())
    throw std::runtime_error(io_->error);
}

template <class Line>
void text_file_source<Line>::request_read() {
  if (read_to_eof_)
    return;
  {
    std::lock_guard<std::mutex> guard{io_->mutex};
    if (io_->reading || !io_->ready.empty())
      return;
    io_->reading = true;
  }
  auto io = io_;
  auto wake = context_.wake;
  auto path = splits_[next_split_].split.path;
  auto offset = read_offset_;
  auto sequence = split_sequence_;
  context_.io->execute([io, wake, path, offset, sequence] {
    chunk c;
    c.split_sequence = sequence;
    c.offset = offset;
    std::string error;
    // Only this task touches fd while `reading` is set.
    if (io->fd_path != path) {
      if (io->fd >= 0)
        ::close(io->fd);
      io->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      io->fd_path = path;
    }
    if (io->fd < 0) {
      error = "cannot open input file '" + path + "': " + std::strerror(errno);
      io->fd_path.clear();
    } else {
      c.bytes.resize(read_size);
      ssize_t n = 0;
      do {
        n = ::pread(io->fd, c.bytes.data(), read_size, static_cast<off_t>(offset));
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        error = "cannot read input file '" + path + "': " + std::strerror(errno);
      } else {
        c.bytes.resize(static_cast<std::size_t>(n));
        c.end_of_file = n == 0;
      }
    }
    {
      std::lock_guard<std::mutex> guard{io->mutex};
      io->reading = false;
      if (error.empty())
        io->ready.push_back(std::move(c));
      else
        io->error = std::move(error);
    }
    wake();
  });
}

template <class Line>
bool text_file_source<Line>::take_chunk(chunk& out) {
  std::lock_guard<std::mutex> guard{io_->mutex};
  while (!io_->ready.empty()) {
    out = std::move(io_->ready.front());
    io_->ready.pop_front();
    if (out.split_sequence == split_sequence_)
      return true; // else: read ahead for a split that has ended
  }
  return false;
}

template <class Line>
spi::poll_result text_file_source<Line>::poll(std::size_t max_records) {
  check();
  if (!splits_known_) {
    std::lock_guard<std::mutex> guard{io_->mutex};
    if (!io_->splits)
      return {spi::input_status::nothing_available};
    for (const auto& share : shares_)
      for (auto& split :
           splits_of_subtask(*io_->splits, share.share_index, share.share_parallelism)) {
        position p;
        p.split = std::move(split);
        splits_.push_back(std::move(p));
      }
    shares_.clear();
    splits_known_ = true;
  }
  std::size_t emitted = 0;
  while (emitted < max_records) {
    if (!splitter_) {
      if (next_split_ == splits_.size())
        return {spi::input_status::end_of_input};
      const auto& next = splits_[next_split_];
      const auto& split = next.split;
      line_number_ = 0;
      emitted_until_ = 0;
      if (next.started && numbered) {
        splitter_.emplace(split.start, split.end); // count the lines before the resume offset
        emitted_until_ = next.resume;
      } else if (next.started) {
        splitter_.emplace(line_splitter::resuming(split.start, split.end, next.resume));
      } else {
        splitter_.emplace(split.start, split.end);
      }
      read_offset_ = splitter_->first_read_offset();
      read_to_eof_ = false;
      ++split_sequence_;
    }
    switch (splitter_->next(line_)) {
      case line_splitter::status::line:
        ++emitted;
        if constexpr (numbered) {
          ++line_number_;
          if (splitter_->resume_offset().value_or(0) <= emitted_until_)
            continue; // emitted before the restore
          this->output().collect(
            text_line{splits_[next_split_].split.path, line_number_, std::move(line_)});
        } else {
          this->output().collect(std::move(line_));
        }
        continue;
      case line_splitter::status::done:
        splitter_.reset();
        ++next_split_;
        continue;
      case line_splitter::status::need_input:
        break;
    }
    chunk c;
    if (take_chunk(c)) {
      if (c.end_of_file) {
        splitter_->end_of_file();
        read_to_eof_ = true;
      } else {
        read_offset_ = c.offset + c.bytes.size();
        splitter_->append(c.bytes);
        request_read();
      }
      continue;
    }
    request_read();
    return {spi::input_status::nothing_available};
  }
  return {spi::input_status::more_available};
}

template class text_file_source<std::string>;
template class text_file_source<text_line>;

namespace detail {

std::shared_ptr<const spi::operator_factory>
make_text_file_source_factory(const std::string& path) {
  return make_operator_factory<std::string>([path](const spi::operator_context& context) {
    return std::make_unique<text_file_source<std::string>>(path, context);
  });
}

std::shared_ptr<const spi::operator_factory>
make_text_lines_source_factory(const std::string& path) {
  return make_operator_factory<text_line>([path](const spi::operator_context& context) {
    return std::make_unique<text_file_source<text_line>>(path, context);
  });
}

} // namespace detail
} // namespace flinkcpp

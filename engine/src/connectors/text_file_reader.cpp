#include "connectors/text_file_reader.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace flinkcpp {

template <class Line>
text_file_reader<Line>::io_state::~io_state() {
  if (fd >= 0)
    ::close(fd);
}

template <class Line>
text_file_reader<Line>::text_file_reader(source_reader_context& context)
  : context_(&context),
    io_(std::make_shared<io_state>()) {}

template <class Line>
void text_file_reader<Line>::add_splits(std::vector<file_source_split> splits) {
  requests_.splits_came();
  splits_.insert(splits_.end(), std::make_move_iterator(splits.begin()),
                 std::make_move_iterator(splits.end()));
}

template <class Line>
std::vector<file_source_split> text_file_reader<Line>::snapshot_state(checkpoint_id) {
  std::vector<file_source_split> out;
  for (std::size_t i = 0; i < splits_.size(); ++i) {
    auto split = splits_[i];
    if (i == 0 && splitter_) {
      if (splitter_->finished())
        continue;
      if (auto resume = splitter_->resume_offset()) {
        split.resume = *resume;
        split.lines = line_number_;
      }
    }
    out.push_back(std::move(split));
  }
  return out;
}

template <class Line>
void text_file_reader<Line>::check_io() {
  std::lock_guard<std::mutex> guard{io_->mutex};
  if (!io_->error.empty())
    throw std::runtime_error(io_->error);
}

template <class Line>
bool text_file_reader<Line>::start_split() {
  if (splits_.empty())
    return false;
  const auto& split = splits_.front();
  if (split.resume == 0)
    splitter_.emplace(split.offset, split.end);
  else
    splitter_.emplace(line_splitter::resuming(split.offset, split.end, split.resume));
  line_number_ = split.lines;
  read_offset_ = splitter_->first_read_offset();
  read_to_eof_ = false;
  ++split_sequence_;
  return true;
}

template <class Line>
void text_file_reader<Line>::request_read() {
  if (read_to_eof_)
    return;
  {
    std::lock_guard<std::mutex> guard{io_->mutex};
    if (io_->reading || !io_->ready.empty())
      return;
    io_->reading = true;
  }
  auto io = io_;
  auto wake = context_->waker();
  auto path = splits_.front().path;
  auto offset = read_offset_;
  auto sequence = split_sequence_;
  context_->io().execute([io, wake, path, offset, sequence] {
    chunk c;
    {
      std::lock_guard<std::mutex> guard{io->mutex};
      if (!io->spare.empty()) {
        c.bytes = std::move(io->spare.back());
        io->spare.pop_back();
      }
    }
    c.split_sequence = sequence;
    c.offset = offset;
    std::string error;
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
bool text_file_reader<Line>::take_chunk(chunk& out) {
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
input_status text_file_reader<Line>::poll_next(reader_output<Line>& output,
                                               std::size_t max_records) {
  check_io();
  std::size_t emitted = 0;
  while (emitted < max_records) {
    if (!splitter_ && !start_split())
      return requests_.none_left(*context_);
    switch (splitter_->next(line_)) {
      case line_splitter::status::line:
        ++emitted;
        if constexpr (numbered)
          output.collect(text_line{splits_.front().path, ++line_number_, std::move(line_)});
        else
          output.collect(std::move(line_));
        continue;
      case line_splitter::status::done:
        splitter_.reset();
        splits_.pop_front();
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
        {
          std::lock_guard<std::mutex> guard{io_->mutex};
          io_->spare.push_back(std::move(c.bytes));
        }
        request_read();
      }
      continue;
    }
    request_read();
    return input_status::nothing_available;
  }
  return input_status::more_available;
}

template class text_file_reader<std::string>;
template class text_file_reader<text_line>;

} // namespace flinkcpp

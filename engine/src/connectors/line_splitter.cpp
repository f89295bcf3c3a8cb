#include "connectors/line_splitter.hpp"

namespace flinkcpp {

line_splitter::line_splitter(std::uint64_t split_start, std::uint64_t split_end)
  : end_(split_end),
    buffer_offset_(split_start == 0 ? 0 : split_start - 1),
    skipping_(split_start != 0) {}

line_splitter line_splitter::resuming(std::uint64_t split_start, std::uint64_t split_end,
                                      std::uint64_t resume) {
  line_splitter s{split_start, split_end};
  s.buffer_offset_ = resume;
  s.skipping_ = false;
  return s;
}

std::optional<std::uint64_t> line_splitter::resume_offset() const {
  if (skipping_)
    return std::nullopt;
  return buffer_offset_ + pos_;
}

void line_splitter::append(std::string_view bytes) {
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_offset_ += pos_;
    buffer_.clear();
    pos_ = searched_ = 0;
  }
  buffer_.append(bytes);
}

line_splitter::status line_splitter::next(std::string& line) {
  if (done_)
    return status::done;
  if (skipping_) {
    auto nl = buffer_.find('\n', pos_);
    if (nl == std::string::npos) {
      pos_ = searched_ = buffer_.size();
      if (eof_) {
        done_ = true;
        return status::done;
      }
      return status::need_input;
    }
    pos_ = searched_ = nl + 1;
    skipping_ = false;
  }
  if (buffer_offset_ + pos_ >= end_) {
    done_ = true;
    return status::done;
  }
  auto nl = buffer_.find('\n', searched_);
  if (nl != std::string::npos) {
    auto len = nl - pos_;
    if (len > 0 && buffer_[nl - 1] == '\r')
      --len;
    line.assign(buffer_, pos_, len);
    pos_ = searched_ = nl + 1;
    return status::line;
  }
  if (eof_) {
    done_ = true;
    if (pos_ == buffer_.size())
      return status::done;
    line.assign(buffer_, pos_, std::string::npos);
    pos_ = searched_ = buffer_.size();
    return status::line;
  }
  // An incomplete line: keep it at the front of the buffer and wait for bytes.
  buffer_.erase(0, pos_);
  buffer_offset_ += pos_;
  searched_ = buffer_.size();
  pos_ = 0;
  return status::need_input;
}

} // namespace flinkcpp

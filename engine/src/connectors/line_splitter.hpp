#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flinkcpp {

/// Cuts the bytes of one file split into the lines the split owns. A line
/// belongs to the split its first byte lies in; a line starts at offset 0 and
/// after every '\n'. So a split starting mid-line skips to the next line start,
/// and the split's last line is completed from bytes past its end. A "\r\n"
/// ending loses the '\r' (as Flink's TextInputFormat); an unterminated last line
/// counts. No I/O: the caller feeds bytes read from first_read_offset() on.
/// A plain value type, not thread-safe.
class line_splitter {
public:
  enum class status { line, need_input, done };

  line_splitter(std::uint64_t split_start, std::uint64_t split_end);

  /// A splitter that resumes the split at `resume`, an offset where one of its
  /// lines starts (a position resume_offset() gave).
  static line_splitter resuming(std::uint64_t split_start, std::uint64_t split_end,
                                std::uint64_t resume);

  /// Where the next line of the split starts, once the splitter is past the
  /// split's first partial line; nullopt before that (start the split over).
  std::optional<std::uint64_t> resume_offset() const;

  /// Whether the split has no more lines.
  bool finished() const noexcept { return done_; }

  /// Where reading has to begin: one byte before the split (to see whether a
  /// line starts exactly at split_start), or 0; or the resume offset.
  std::uint64_t first_read_offset() const noexcept { return buffer_offset_; }

  /// The next bytes of the file, contiguous with everything appended before.
  void append(std::string_view bytes);

  /// The file has no more bytes.
  void end_of_file() noexcept { eof_ = true; }

  /// Moves the next owned line into `line` (status::line), or says that more
  /// bytes are needed, or that the split has no more lines.
  status next(std::string& line);

private:
  std::uint64_t end_;
  std::string buffer_;
  std::size_t pos_ = 0;         // next unconsumed byte in buffer_
  std::size_t searched_ = 0;    // buffer_[pos_, searched_) holds no '\n'
  std::uint64_t buffer_offset_; // file offset of buffer_[0]
  bool skipping_;
  bool eof_ = false;
  bool done_ = false;
};

} // namespace flinkcpp

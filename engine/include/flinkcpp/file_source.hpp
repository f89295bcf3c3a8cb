#pragma once

// Flink's FileSource for text: the lines of a file, or of every file under a
// directory, as a source of the source API (flinkcpp/source.hpp). Its
// enumerator lists the files in the job master and cuts them into byte
// ranges; readers ask for a range at a time and read it off the scheduler
// threads. Bounded, or watching the directory for new files.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/detail/line_decoding_reader.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"
#include "flinkcpp/source.hpp"
#include "flinkcpp/text_line.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A split of a file source (Flink's FileSourceSplit): the lines starting
/// in the bytes [offset, end) of one file, and where reading goes on.
struct file_source_split {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t end = 0;
  /// The file offset where the next line to read starts, once the reader
  /// is past the range's first line (Flink's CheckpointedPosition); 0:
  /// from the range's start.
  std::uint64_t resume = 0;
  /// How many lines of the file lie before `resume` (a numbered read goes
  /// on counting from there; whole files only).
  std::int64_t lines = 0;

  /// "path:offset", unique among a source's splits.
  std::string split_id() const { return path + ":" + std::to_string(offset); }

  friend bool operator==(const file_source_split&, const file_source_split&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, file_source_split& x) {
  return f(x.path, x.offset, x.end, x.resume, x.lines);
}

/// A file source's enumerator state (Flink's PendingSplitsCheckpoint): the
/// splits no reader has got, and the files already listed (a watching
/// source reads each file once).
struct file_source_checkpoint {
  std::vector<file_source_split> pending;
  std::vector<std::string> listed_paths;
  bool listed = false; ///< the first listing happened
};

template <class Inspector>
auto inspect(Inspector& f, file_source_checkpoint& x) {
  return f(x.pending, x.listed_paths, x.listed);
}

/// The lines of `path` (a file, or every regular file below a directory,
/// in the order of their paths, skipping hidden names starting with '.' or
/// '_'). Line is std::string (read_text_file: files cut into a byte range
/// per reader, a line belonging to the range it starts in) or text_line
/// (read_text_lines: whole files, each line with its file and number).
/// Lines end at '\n' (a "\r\n" ending loses its '\r'); the last needs none.
///
/// Listing fails the job naming the path; so does a file that cannot be
/// read. Immutable once given to from_source; copies share nothing.
template <class Line>
class text_file_source final : public source<Line, file_source_split, file_source_checkpoint> {
public:
  explicit text_file_source(std::string path);

  /// Flink's monitorContinuously: lists `path` again every `interval` and
  /// reads the files that appeared (each file once; a file still being
  /// written when listed is read as it was then, so write elsewhere or
  /// hidden and rename). The source then never ends. Throws
  /// std::invalid_argument unless interval > 0.
  text_file_source& monitor_continuously(std::chrono::milliseconds interval);

  const std::string& path() const noexcept { return path_; }

  boundedness get_boundedness() const override;
  /// `path` is a readable file or a directory.
  std::optional<std::string> validate() const override;
  std::unique_ptr<source_reader<Line, file_source_split>>
  create_reader(source_reader_context& context) const override;
  std::unique_ptr<split_enumerator<file_source_split, file_source_checkpoint>>
  create_enumerator(split_enumerator_context<file_source_split>& context) const override;
  std::unique_ptr<split_enumerator<file_source_split, file_source_checkpoint>>
  restore_enumerator(split_enumerator_context<file_source_split>& context,
                     file_source_checkpoint checkpoint) const override;

private:
  std::string path_;
  std::chrono::milliseconds interval_{0}; ///< 0: bounded
};

extern template class text_file_source<std::string>;
extern template class text_file_source<text_line>;

/// Flink's FileSource.forRecordStreamFormat with a line format: the records
/// `format` (flinkcpp/format.hpp: raw_format, json_format, csv_format)
/// reads from the lines of `path`, listed and read as read_text_lines reads
/// them (whole files, so a subtask reads a file's lines in order). A line
/// the format cannot read fails the job naming the file, the line's number
/// and the format's error; after skip_unreadable_lines() it is skipped and
/// counted in the reader's numRecordsInErrors. Immutable once given to
/// from_source; copies share nothing.
template <class T>
class file_source final : public source<T, file_source_split, file_source_checkpoint> {
public:
  template <class Format>
  file_source(std::string path, Format format) : lines_(std::move(path)) {
    static_assert(is_format_v<Format>, "not a format (flinkcpp/format.hpp)");
    static_assert(std::is_same_v<typename Format::record_type, T>,
                  "the format reads records of another type than the source's");
    decode_ = [format = std::move(format)](std::string_view line) {
      return format.deserialize(line);
    };
  }

  /// As text_file_source::monitor_continuously.
  file_source& monitor_continuously(std::chrono::milliseconds interval) {
    lines_.monitor_continuously(interval);
    return *this;
  }
  file_source& skip_unreadable_lines() {
    skip_unreadable_ = true;
    return *this;
  }

  const std::string& path() const noexcept { return lines_.path(); }

  boundedness get_boundedness() const override { return lines_.get_boundedness(); }
  std::optional<std::string> validate() const override { return lines_.validate(); }
  std::unique_ptr<source_reader<T, file_source_split>>
  create_reader(source_reader_context& context) const override {
    return std::make_unique<detail::line_decoding_reader<T, file_source_split>>(
      lines_.create_reader(context), decode_, skip_unreadable_, context.metrics());
  }
  std::unique_ptr<split_enumerator<file_source_split, file_source_checkpoint>>
  create_enumerator(split_enumerator_context<file_source_split>& context) const override {
    return lines_.create_enumerator(context);
  }
  std::unique_ptr<split_enumerator<file_source_split, file_source_checkpoint>>
  restore_enumerator(split_enumerator_context<file_source_split>& context,
                     file_source_checkpoint checkpoint) const override {
    return lines_.restore_enumerator(context, std::move(checkpoint));
  }

private:
  text_file_source<text_line> lines_;
  detail::line_decoder<T> decode_;
  bool skip_unreadable_ = false;
};

template <class Format>
file_source(std::string, Format) -> file_source<typename Format::record_type>;

} // namespace flinkcpp

FLINKCPP_API_END

#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/detail/text_output.hpp"
#include "flinkcpp/detail/text_sink.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"
#include "flinkcpp/sink.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Writes each record as a line of text into part files
/// `dir/part-<subtask>-<n>` of a new directory (Flink's FileSink in row
/// format), exactly once: a part is written under a hidden in-progress name,
/// closed on every checkpoint barrier and renamed to its final name by the
/// committer once that checkpoint completed (the last part once the job
/// finished). A restored job commits the parts its checkpoint lists and
/// removes those begun after it. `dir` must not exist yet, unless the job
/// restores (it then goes on writing into it).
template <class T>
class file_sink final : public sink<T, detail::file_committable, detail::file_writer_state> {
public:
  using committable_type = detail::file_committable;
  using state_type = detail::file_writer_state;

  explicit file_sink(std::string dir) : path_(std::move(dir)) {}

  /// Flink's FileSink.forRowFormat: as file_sink(dir), each record written
  /// by `format` (flinkcpp/format.hpp: raw_format, json_format,
  /// csv_format), one per line. A record the format cannot write fails the
  /// job with the format's error.
  template <class Format>
  static file_sink for_row_format(std::string dir, Format format) {
    static_assert(is_format_v<Format>, "not a format (flinkcpp/format.hpp)");
    static_assert(std::is_same_v<typename Format::record_type, T>,
                  "the format writes records of another type than the sink's");
    file_sink s{std::move(dir)};
    s.encode_ = [format = std::move(format)](const T& record, std::string& out) {
      format.serialize(record, out);
    };
    return s;
  }

  /// write_as_text's sink: the single file `path` when it runs with
  /// parallelism 1 in a job without checkpoints, else as file_sink(path).
  static file_sink single_file_or_directory(std::string path) {
    file_sink s{std::move(path)};
    s.directory_ = false;
    return s;
  }

  std::unique_ptr<sink_writer<T, committable_type, state_type>>
  create_writer(sink_writer_context& context, std::vector<state_type> restored) const override {
    return std::make_unique<
      detail::text_sink_writer<T, detail::text_file_output, committable_type, state_type>>(
      detail::make_file_output(path_, directory_, context, restored), std::string{}, encode_);
  }

  std::unique_ptr<committer<committable_type>> create_committer() const override {
    return std::make_unique<file_committer>();
  }

  spi::redistribution writer_state_redistribution() const override {
    return spi::redistribution::union_all;
  }

  std::optional<std::string> validate(bool restoring) const override {
    return detail::validate_file_output(path_, restoring);
  }

private:
  class file_committer final : public committer<committable_type> {
  public:
    void commit(std::vector<commit_request<committable_type>>& requests) override {
      detail::commit_files(requests);
    }
  };

  std::string path_;
  bool directory_ = true;
  detail::row_encoder<T> encode_; ///< empty: as print() shows records
};

} // namespace flinkcpp

FLINKCPP_API_END

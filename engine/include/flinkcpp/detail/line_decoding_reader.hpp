#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/source.hpp"
#include "flinkcpp/text_line.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Makes a record of a line's text; throws what is wrong with it.
template <class T>
using line_decoder = std::function<T(std::string_view)>;

/// The reader of a file_source: a reader of numbered lines underneath
/// (text_file_source's, with splits of type Split), each line decoded into a T as it is emitted. A line
/// the decoder throws on fails the job naming its file and number, or,
/// skipping, is counted in numRecordsInErrors. Everything but the records
/// passes through (splits, positions, watermarks). Subtask thread only.
template <class T, class Split>
class line_decoding_reader final : public source_reader<T, Split> {
public:
  line_decoding_reader(std::unique_ptr<source_reader<text_line, Split>> lines,
                       line_decoder<T> decode, bool skip_unreadable, metric_group& metrics)
    : lines_(std::move(lines)),
      decode_(std::move(decode)),
      skip_unreadable_(skip_unreadable),
      errors_(&metrics.counter("numRecordsInErrors")),
      output_(*this) {}

  void start() override { lines_->start(); }
  input_status poll_next(reader_output<T>& output, std::size_t max_records) override {
    output_.target = &output;
    return lines_->poll_next(output_, max_records);
  }
  std::chrono::nanoseconds retry_after() const override { return lines_->retry_after(); }
  std::vector<Split> snapshot_state(checkpoint_id checkpoint) override {
    return lines_->snapshot_state(checkpoint);
  }
  void add_splits(std::vector<Split> splits) override { lines_->add_splits(std::move(splits)); }
  void notify_no_more_splits() override { lines_->notify_no_more_splits(); }
  void notify_checkpoint_complete(checkpoint_id checkpoint) override {
    lines_->notify_checkpoint_complete(checkpoint);
  }
  void close() override { lines_->close(); }

private:
  /// Emits the decoded lines into one output of the reader (its own, or a
  /// split's).
  class decoding_output : public source_output<text_line> {
  public:
    decoding_output(line_decoding_reader& reader, source_output<T>* target)
      : reader_(&reader),
        target_(target) {}

    void collect(text_line line) override {
      if (auto record = reader_->decode(line))
        out().collect(std::move(*record));
    }
    void collect(text_line line, std::int64_t timestamp) override {
      if (auto record = reader_->decode(line))
        out().collect(std::move(*record), timestamp);
    }
    void emit_watermark(std::int64_t watermark) override { out().emit_watermark(watermark); }
    void mark_idle() override { out().mark_idle(); }
    void mark_active() override { out().mark_active(); }

  private:
    /// The reader's own output is the one its latest poll got.
    source_output<T>& out() const {
      return target_ != nullptr ? *target_ : *reader_->output_.target;
    }

    line_decoding_reader* reader_;
    source_output<T>* target_; ///< nullptr: the reader's own output
  };

  class reader_decoding_output final : public reader_output<text_line> {
  public:
    explicit reader_decoding_output(line_decoding_reader& reader)
      : reader_(&reader),
        own_(reader, nullptr) {}

    void collect(text_line line) override { own_.collect(std::move(line)); }
    void collect(text_line line, std::int64_t timestamp) override {
      own_.collect(std::move(line), timestamp);
    }
    void emit_watermark(std::int64_t watermark) override { own_.emit_watermark(watermark); }
    void mark_idle() override { own_.mark_idle(); }
    void mark_active() override { own_.mark_active(); }

    source_output<text_line>& output_for_split(const std::string& split_id) override {
      auto& out = splits_[split_id];
      if (!out)
        out = std::make_unique<decoding_output>(*reader_, &target->output_for_split(split_id));
      return *out;
    }
    void release_output_for_split(const std::string& split_id) override {
      splits_.erase(split_id);
      target->release_output_for_split(split_id);
    }

    reader_output<T>* target = nullptr;

  private:
    line_decoding_reader* reader_;
    decoding_output own_;
    std::map<std::string, std::unique_ptr<decoding_output>> splits_;
  };

  std::optional<T> decode(const text_line& line) {
    try {
      return decode_(line.text);
    } catch (const std::exception& e) {
      if (!skip_unreadable_)
        throw std::runtime_error("cannot read line " + std::to_string(line.number) + " of " +
                                 line.file + ": " + e.what());
      errors_->inc();
      return std::nullopt;
    }
  }

  std::unique_ptr<source_reader<text_line, Split>> lines_;
  line_decoder<T> decode_;
  bool skip_unreadable_;
  counter* errors_;
  reader_decoding_output output_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <memory>
#include <string>

#include "flinkcpp/detail/record_text.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/detail/text_output.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Writes each record as one line of text ("prefix" + record + "\n") to a
/// text_output: Flink's print() (prefix "N> " when parallelism > 1) and
/// writeAsText().
template <class T>
class text_sink_operator final : public sink_operator<T> {
public:
  using collector<T>::collect;

  text_sink_operator(std::unique_ptr<text_output> out, std::string prefix)
    : out_(std::move(out)),
      prefix_(std::move(prefix)) {}

  void collect(T&& record) override {
    auto& buffer = out_->buffer();
    buffer.append(prefix_);
    append_text(buffer, record);
    buffer.push_back('\n');
    out_->appended();
  }

  void process_batch(spi::record_batch& batch) override {
    auto& buffer = out_->buffer();
    for (const T& record : spi::records_of<T>(batch)) {
      buffer.append(prefix_);
      append_text(buffer, record);
      buffer.push_back('\n');
    }
    out_->appended();
  }

  void open() override { out_->open(); }
  bool end_input() override { return out_->end_input(); }
  bool ready() override { return out_->ready(); }
  bool quiescent() const override { return out_->quiescent(); }
  void check() override { out_->check(); }
  bool needs_commit() const override { return out_->needs_commit(); }
  void commit() override { out_->commit(); }
  void abort() noexcept override { out_->abort(); }
  void snapshot_state(checkpoint_id id, spi::operator_snapshot& s) override {
    out_->snapshot_state(id, s);
  }
  void restore_state(const spi::operator_restore& state) override { out_->restore_state(state); }
  void notify_checkpoint_complete(checkpoint_id id) override {
    out_->notify_checkpoint_complete(id);
  }

private:
  std::unique_ptr<text_output> out_;
  std::string prefix_;
};

/// The prefix Flink's print() puts before each line: "N> " with N the
/// 1-based subtask index, when the sink runs in parallel.
inline std::string print_prefix(const spi::operator_context& context) {
  if (context.parallelism <= 1)
    return {};
  return std::to_string(context.subtask_index + 1) + "> ";
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

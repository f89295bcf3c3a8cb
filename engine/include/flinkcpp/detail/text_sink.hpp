#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/detail/record_text.hpp"
#include "flinkcpp/detail/text_output.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/sink.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Appends a record's bytes to a line (Flink's Encoder): a format's
/// serialize.
template <class T>
using row_encoder = std::function<void(const T&, std::string&)>;

/// The writer of the text sinks (print_sink, file_sink): each record becomes
/// one line ("prefix" + record + "\n") in a text output (Output:
/// text_output, or text_file_output with committables and state), the
/// record as `encode` writes it, or else as print() shows it.
template <class T, class Output, class Committable = no_committable, class State = no_writer_state>
class text_sink_writer final : public sink_writer<T, Committable, State> {
public:
  text_sink_writer(std::unique_ptr<Output> out, std::string prefix, row_encoder<T> encode = {})
    : out_(std::move(out)),
      prefix_(std::move(prefix)),
      encode_(std::move(encode)) {}

  void write(T&& record, const sink_write_context&) override {
    auto& buffer = out_->buffer();
    buffer.append(prefix_);
    if (encode_)
      encode_(record, buffer);
    else
      append_text(buffer, record);
    buffer.push_back('\n');
    out_->appended();
  }

  bool ready() override { return out_->ready(); }
  bool holds_output() const override { return out_->holds_output(); }
  void flush_held_output() override { out_->flush_held_output(); }
  std::function<bool()> flush(bool end_of_input) override { return out_->flush(end_of_input); }
  void check() override { out_->check(); }
  bool quiescent() const override { return out_->quiescent(); }
  void abort() noexcept override { out_->abort(); }

  std::vector<Committable> prepare_commit() override {
    if constexpr (std::is_same_v<Committable, no_committable>)
      return {};
    else
      return out_->prepare_commit();
  }

  std::vector<State> snapshot_state(checkpoint_id) override {
    if constexpr (std::is_same_v<State, no_writer_state>)
      return {};
    else
      return out_->snapshot_state();
  }

private:
  std::unique_ptr<Output> out_;
  std::string prefix_;
  row_encoder<T> encode_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

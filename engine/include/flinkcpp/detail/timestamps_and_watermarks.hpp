#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Makes a stream's event time (Flink's TimestampsAndWatermarksOperator):
/// passes records on unchanged with the timestamp the strategy gives them
/// (its assigner's, or for ingestion time the processing clock's, kept from
/// going back), shows each to the strategy's watermark generator, and calls
/// the generator's periodic emission when the runtime asks. What the
/// generator emits (the watermark, idleness) is generated(); a watermark it
/// emits for a record goes on right after that record (through
/// operator_context::emit_generated); a record makes an idle output active
/// again. Watermarks and idleness from upstream are
/// dropped, but for the end of the input (max_watermark), which passes.
template <class T>
class timestamps_and_watermarks_operator final : public one_input_operator<T, T> {
public:
  using collector<T>::collect;

  timestamps_and_watermarks_operator(const watermark_strategy<T>& strategy,
                                     const spi::operator_context& context)
    : assigner_(strategy.assigner()),
      clock_(context.clock),
      ingestion_time_(strategy.ingestion_time()),
      generator_(strategy.create_generator(*context.clock)),
      emit_generated_(context.emit_generated) {}

  void collect(T&& record) override {
    std::int64_t timestamp = 0;
    if (ingestion_time_) {
      timestamp = std::max(clock_->now_ms(), last_ingestion_);
      last_ingestion_ = timestamp;
    } else {
      timestamp = assigner_(static_cast<const T&>(record));
    }
    output_.mark_active();
    auto before = output_.state().watermark;
    generator_->on_event(static_cast<const T&>(record), timestamp, output_);
    this->timestamp().value = timestamp;
    this->output().collect(std::move(record));
    if (emit_generated_ && output_.state().watermark > before)
      emit_generated_(); // right after the record that raised it
  }

  std::int64_t process_watermark(std::int64_t watermark) override {
    return watermark == max_watermark ? watermark : min_watermark;
  }

  bool generates_watermarks() const override { return true; }

  void emit_periodic_watermark() override { generator_->on_periodic_emit(output_); }

  spi::generated_watermark generated() const override { return output_.state(); }

private:
  /// Keeps what the generator emitted for the runtime to read.
  class generated_output final : public watermark_output {
  public:
    void emit_watermark(std::int64_t watermark) override {
      if (watermark <= state_.watermark)
        return;
      state_.watermark = watermark;
      state_.idle = false;
    }
    void mark_idle() override { state_.idle = true; }
    void mark_active() override { state_.idle = false; }
    spi::generated_watermark state() const noexcept { return state_; }

  private:
    spi::generated_watermark state_;
  };

  typename watermark_strategy<T>::timestamp_assigner assigner_;
  const spi::processing_clock* clock_;
  bool ingestion_time_;
  std::int64_t last_ingestion_ = min_watermark;
  std::unique_ptr<watermark_generator<T>> generator_;
  std::function<void()> emit_generated_;
  generated_output output_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

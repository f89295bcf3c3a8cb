#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "flinkcpp/detail/record_serialization.hpp"
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
///
/// Its watermark is checkpointed: a restored subtask starts from the least
/// watermark its operator's subtasks had (the same one at the same
/// parallelism), emitted before its first record, so a record that was late
/// before a failure is late when it is read again (the generator itself
/// restarts and has to see records again to raise it).
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
    if (restored_pending_) {
      restored_pending_ = false;
      if (emit_generated_)
        emit_generated_();
    }
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

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    if (ingestion_time_)
      return;
    snapshot.lists[watermark_list] = {spi::redistribution::union_all,
                                      {to_bytes(output_.state().watermark)}};
  }

  void restore_state(const spi::operator_restore& state) override {
    const auto& entries = state.list(watermark_list);
    if (entries.empty())
      return;
    auto least = max_watermark;
    for (const auto& e : entries)
      least = std::min(least, from_bytes<std::int64_t>(e));
    if (least == max_watermark || least <= min_watermark)
      return; // ended, or none yet
    output_.emit_watermark(least);
    restored_pending_ = true;
  }

  static constexpr const char* watermark_list = "watermark";

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
  bool restored_pending_ = false; ///< the restored watermark goes before the first record
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <utility>

#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Makes a stream's event time (Flink's TimestampsAndWatermarksOperator):
/// passes records on unchanged with the timestamp the strategy's assigner
/// gives them, remembers the largest, and reports the watermark that follows
/// (the largest timestamp less the out-of-orderness bound, less 1 ms) when
/// the runtime asks periodically. Watermarks from upstream are dropped, but
/// for the end of the input (max_watermark), which passes.
template <class T>
class timestamps_and_watermarks_operator final : public one_input_operator<T, T> {
public:
  using collector<T>::collect;

  explicit timestamps_and_watermarks_operator(const watermark_strategy<T>& strategy)
    : assigner_(strategy.assigner()),
      bound_(strategy.max_out_of_orderness_ms()) {}

  void collect(T&& record) override {
    auto timestamp = assigner_(static_cast<const T&>(record));
    if (timestamp > largest_)
      largest_ = timestamp;
    this->timestamp().value = timestamp;
    this->output().collect(std::move(record));
  }

  std::int64_t process_watermark(std::int64_t watermark) override {
    return watermark == max_watermark ? watermark : min_watermark;
  }

  bool generates_watermarks() const override { return true; }

  std::int64_t periodic_watermark() override {
    // No timestamp yet, or one so small that the bound reaches below time.
    if (largest_ <= min_watermark + bound_)
      return min_watermark;
    return largest_ - bound_ - 1;
  }

private:
  typename watermark_strategy<T>::timestamp_assigner assigner_;
  std::int64_t bound_;
  std::int64_t largest_ = min_watermark;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

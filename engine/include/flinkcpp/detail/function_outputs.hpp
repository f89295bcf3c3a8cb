#pragma once

#include <utility>

#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/output_tag.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// What every function context offers besides its own: the operator's
/// metrics and its side outputs. Holds pointers to the operator's; valid as
/// long as the operator.
class function_outputs {
public:
  function_outputs(side_outputs& side, const metric_group& metrics)
    : side_(&side),
      metrics_(&metrics) {}

  /// The operator's metrics (Flink's getMetricGroup): counters, in groups,
  /// reported with the operator's scope.
  const metric_group& metrics() const { return *metrics_; }

  /// Emits `value` to the side output `tag` (Flink's Context#output), with
  /// the timestamp of what is being emitted; read it with get_side_output(tag)
  /// on the stream the function produced.
  template <class T>
  void output(const output_tag<T>& tag, T value) {
    side_->emit(tag, std::move(value));
  }

private:
  side_outputs* side_;
  const metric_group* metrics_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

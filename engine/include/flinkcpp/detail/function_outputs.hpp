#pragma once

#include <utility>

#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/runtime_context.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// What every function context offers besides its own: the subtask's
/// runtime context, the operator's metrics and its side outputs. Holds
/// pointers to the operator's; valid as long as the operator.
class function_outputs {
public:
  function_outputs(side_outputs& side, const runtime_context& runtime)
    : side_(&side),
      runtime_(&runtime) {}

  /// The subtask running the function (Flink's getRuntimeContext).
  const runtime_context& runtime() const { return *runtime_; }

  /// The operator's metrics (Flink's getMetricGroup): counters, gauges,
  /// meters and histograms, in groups, reported with the operator's scope.
  const metric_group& metrics() const { return runtime_->metrics(); }

  /// Emits `value` to the side output `tag` (Flink's Context#output), with
  /// the timestamp of what is being emitted; read it with get_side_output(tag)
  /// on the stream the function produced.
  template <class T>
  void output(const output_tag<T>& tag, T value) {
    side_->emit(tag, std::move(value));
  }

private:
  side_outputs* side_;
  const runtime_context* runtime_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

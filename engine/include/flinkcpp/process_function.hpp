#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/function_outputs.hpp"
#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/spi/stream_operator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A function on a (non-keyed) stream with any number of outputs per record
/// and side outputs (Flink's ProcessFunction): subclass it and give it to
/// data_stream::process(). Each subtask gets its own copy, called from the
/// subtask's thread only. Keyed state and timers need a keyed stream
/// (keyed_process_function).
template <class In, class Out>
class process_function {
public:
  using input_type = In;
  using output_type = Out;

  /// What the function sees of the record being processed.
  class context : public detail::function_outputs {
  public:
    /// `timestamp`: where the operator keeps its record timestamp (stable).
    context(spi::record_timestamp* const& timestamp, detail::side_outputs& side,
            const runtime_context& runtime)
      : function_outputs(side, runtime),
        timestamp_(&timestamp) {}

    /// The record's event time; min_watermark when the stream has none.
    std::int64_t timestamp() const { return (*timestamp_)->value; }

  private:
    spi::record_timestamp* const* timestamp_;
  };

  virtual ~process_function() = default;

  /// Called once per subtask, before the first record (Flink's open).
  virtual void open(const runtime_context&) {}

  /// Called once when the subtask stops: after the job finished, or when
  /// it is cancelled or fails (Flink's close).
  virtual void close() {}

  /// Called for every record; may emit any number of records.
  virtual void process_element(const In& value, context& ctx, collector<Out>& out) = 0;
};

namespace detail {

/// Runs a process_function F on every record.
template <class In, class F>
class process_operator final : public one_input_operator<In, typename F::output_type> {
public:
  using collector<In>::collect;

  process_operator(F function, const spi::operator_context& context)
    : function_(std::move(function)),
      runtime_(context),
      context_(this->timestamp_slot(), side_, runtime_) {}

  void set_side_output(const std::string& tag, spi::collector_ref out) override {
    side_.connect(tag, out);
  }

  void open() override { function_.open(runtime_); }
  void close() override { function_.close(); }

  void collect(In&& record) override {
    function_.process_element(record, context_, this->output());
  }

private:
  F function_;
  runtime_context runtime_;
  side_outputs side_;
  typename F::context context_;
};

} // namespace detail

} // namespace flinkcpp
FLINKCPP_API_END

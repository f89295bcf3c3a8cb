#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/broadcast_process_function.hpp"
#include "flinkcpp/broadcast_state.hpp"
#include "flinkcpp/connected_streams.hpp"
#include "flinkcpp/detail/keyed_function_core.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Runs a broadcast_process_function F: the first input's records reach
/// process_element, the broadcast input's process_broadcast_element. The
/// broadcast states go into checkpoints from subtask 0 only. Heads its
/// chain (two inputs).
template <class F>
class broadcast_process_operator final
  : public two_input_operator<typename F::first_input_type, typename F::second_input_type,
                              typename F::output_type> {
public:
  using in1 = typename F::first_input_type;
  using in2 = typename F::second_input_type;

  broadcast_process_operator(F function, std::vector<broadcast_states::declaration> declared,
                             const spi::operator_context& context)
    : function_(std::move(function)),
      runtime_(context),
      writes_state_(context.subtask_index == 0),
      states_(std::move(declared)),
      read_only_(states_, time(context), side_, runtime_),
      context_(states_, time(context), side_, runtime_) {}

  void set_side_output(const std::string& tag, spi::collector_ref target) override {
    side_.connect(tag, target);
  }
  void open() override { function_.open(runtime_); }
  void close() override { function_.close(); }

  std::int64_t process_watermark(std::int64_t watermark) override {
    watermark_ = watermark;
    return watermark;
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    states_.snapshot(writes_state_, snapshot);
  }
  void restore_state(const spi::operator_restore& state) override { states_.restore(state); }

private:
  void element1(in1&& record) override {
    function_.process_element(record, read_only_, this->output());
  }
  void element2(in2&& record) override {
    function_.process_broadcast_element(record, context_, this->output());
  }

  operator_time time(const spi::operator_context& context) const {
    return {&this->timestamp_slot(), &watermark_, context.clock};
  }

  F function_;
  runtime_context runtime_;
  side_outputs side_;
  bool writes_state_;
  std::int64_t watermark_ = min_watermark;
  broadcast_states states_;
  typename F::read_only_context read_only_;
  typename F::context context_;
};

/// Runs a keyed_broadcast_process_function F: the keyed input's records
/// reach process_element with their key (KeyFn) current, through the
/// keyed_function_core (keyed state, timers); the broadcast input's
/// process_broadcast_element, with no key current. The broadcast states go
/// into checkpoints from subtask 0 only. Heads its chain (two inputs).
template <class KeyFn, class F>
class keyed_broadcast_process_operator final
  : public keyed_function_operator<F, output_operator<typename F::output_type>> {
public:
  using in1 = typename F::first_input_type;
  using in2 = typename F::second_input_type;

  keyed_broadcast_process_operator(KeyFn key, F function,
                                   std::vector<broadcast_states::declaration> declared,
                                   const spi::operator_context& context)
    : keyed_broadcast_process_operator::keyed_function_operator(std::move(function), context),
      key_(std::move(key)),
      writes_state_(context.subtask_index == 0),
      context_(this->core_.store(), states(),
               {&this->timestamp_slot(), &this->core_.timers().watermark, context.clock},
               this->core_.side(), this->core_.runtime()) {
    states() = broadcast_states(std::move(declared));
  }

  void process_batch(spi::record_batch& batch) override {
    this->template for_each_keyed<in1>(batch, key_, [this](const in1& record) {
      this->core_.function().process_element(record, this->core_.context(), this->output());
    });
  }

  void process_batch2(spi::record_batch& batch) override {
    for_each_record<in2>(batch, this->timestamp(), [this](in2& record, std::size_t) {
      this->core_.function().process_broadcast_element(record, context_, this->output());
    });
  }

  void snapshot_state(checkpoint_id checkpoint, spi::operator_snapshot& snapshot) override {
    keyed_broadcast_process_operator::keyed_function_operator::snapshot_state(checkpoint, snapshot);
    states().snapshot(writes_state_, snapshot);
  }

  void restore_state(const spi::operator_restore& state) override {
    keyed_broadcast_process_operator::keyed_function_operator::restore_state(state);
    states().restore(state);
  }

private:
  /// The broadcast states: the element side's context holds them.
  broadcast_states& states() { return this->core_.context().states_; }

  KeyFn key_;
  bool writes_state_;
  typename F::context context_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

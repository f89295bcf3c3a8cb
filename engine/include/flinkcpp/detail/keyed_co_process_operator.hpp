#pragma once

#include <cstdint>
#include <utility>

#include "flinkcpp/detail/keyed_function_core.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_co_process_function.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Runs a keyed_co_process_function F on two connected keyed streams: each
/// record's key (KeyFn1 of a first input's record, KeyFn2 of a second's) is
/// current while F sees it, found from the key hash its batch carries;
/// both inputs share the keyed state and timers of the keyed_function_core.
/// Heads its chain (two inputs).
template <class KeyFn1, class KeyFn2, class F>
class keyed_co_process_operator final
  : public keyed_function_operator<F, output_operator<typename F::output_type>> {
public:
  using in1 = typename F::first_input_type;
  using in2 = typename F::second_input_type;

  keyed_co_process_operator(KeyFn1 key1, KeyFn2 key2, F function,
                            const spi::operator_context& context)
    : keyed_co_process_operator::keyed_function_operator(std::move(function), context),
      key1_(std::move(key1)),
      key2_(std::move(key2)) {}

  void process_batch(spi::record_batch& batch) override {
    this->template for_each_keyed<in1>(batch, key1_, [this](const in1& record) {
      this->core_.function().process_element1(record, this->core_.context(), this->output());
    });
  }

  void process_batch2(spi::record_batch& batch) override {
    this->template for_each_keyed<in2>(batch, key2_, [this](const in2& record) {
      this->core_.function().process_element2(record, this->core_.context(), this->output());
    });
  }

private:
  KeyFn1 key1_;
  KeyFn2 key2_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

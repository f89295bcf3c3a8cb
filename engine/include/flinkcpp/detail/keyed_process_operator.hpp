#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/keyed_function_core.hpp"
#include "flinkcpp/detail/keyed_input.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Runs a keyed_process_function F on a keyed stream of In: sets the current
/// key of its state store for every record (from the key hash the batch
/// carries), then calls the function; timers, state, side outputs and
/// snapshots are the keyed_function_core's.
template <class In, class KeyFn, class F>
class keyed_process_operator final
  : public keyed_function_operator<F, keyed_input_operator<In, typename F::output_type, KeyFn,
                                                           keyed_process_operator<In, KeyFn, F>>> {
public:
  keyed_process_operator(KeyFn key, F function, const spi::operator_context& context)
    : keyed_process_operator::keyed_function_operator(std::move(function), context,
                                                      std::move(key)) {}

private:
  friend class keyed_input_operator<In, typename F::output_type, KeyFn, keyed_process_operator>;

  void process(const In& record, std::uint64_t hash) {
    // A member's key is referred to, not copied; a key the key function
    // computes lives here while the function runs.
    decltype(auto) key = this->key_of(record);
    this->core_.set_current_key(key, hash);
    this->core_.function().process_element(record, this->core_.context(), this->output());
  }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

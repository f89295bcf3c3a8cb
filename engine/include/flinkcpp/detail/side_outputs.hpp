#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "flinkcpp/export.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/spi/stream_operator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The side outputs of one operator instance, by tag id: what the runtime
/// connected (set_side_output), and where a function's ctx.output goes.
/// What goes to a side output nothing consumes is dropped (as in Flink).
/// Not thread-safe: owned by the operator.
class side_outputs {
public:
  void connect(const std::string& tag, spi::collector_ref out) { outputs_[tag] = out; }

  /// Emits `value` to the side output `tag`, carrying the current record
  /// timestamp. Throws std::logic_error if the tag's consumers take
  /// another type (one id used for two types).
  template <class T>
  void emit(const output_tag<T>& tag, T value) {
    auto found = outputs_.find(tag.id());
    if (found != outputs_.end())
      found->second.template as<T>()->collect(std::move(value));
  }

private:
  std::map<std::string, spi::collector_ref, std::less<>> outputs_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

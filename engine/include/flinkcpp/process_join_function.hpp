#pragma once

#include <cstdint>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/function_outputs.hpp"
#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/runtime_context.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A function on the pairs an interval join finds (Flink's
/// ProcessJoinFunction): subclass it and give it to the interval join's
/// process(). Each subtask gets its own copy, called from the subtask's
/// thread only.
template <class Left, class Right, class Out>
class process_join_function {
public:
  using left_type = Left;
  using right_type = Right;
  using output_type = Out;

  /// What the function sees of a pair: both timestamps and the side outputs.
  /// What it emits carries timestamp(), the larger of the two.
  class context : public detail::function_outputs {
  public:
    context(detail::side_outputs& side, const runtime_context& runtime)
      : function_outputs(side, runtime) {}

    std::int64_t left_timestamp() const { return left_; }
    std::int64_t right_timestamp() const { return right_; }
    /// The timestamp of what the function emits: the larger of the two.
    std::int64_t timestamp() const { return left_ > right_ ? left_ : right_; }

    /// Called by the join before each pair.
    void set_timestamps(std::int64_t left, std::int64_t right) {
      left_ = left;
      right_ = right;
    }

  private:
    std::int64_t left_ = 0;
    std::int64_t right_ = 0;
  };

  virtual ~process_join_function() = default;

  /// Called once per subtask, before the first pair (Flink's open).
  virtual void open(const runtime_context&) {}
  /// Called once when the subtask stops (Flink's close).
  virtual void close() {}

  /// Called for every pair of a left and a right record of one key whose
  /// timestamps lie within the join's bounds.
  virtual void process_element(const Left& left, const Right& right, context& ctx,
                               collector<Out>& out) = 0;
};

} // namespace flinkcpp
FLINKCPP_API_END

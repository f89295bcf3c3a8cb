#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/function_outputs.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/time_window.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// What a process window function sees when a window of a key fires
/// (Flink's ProcessWindowFunction.Context). Valid during the call only.
template <class K>
class window_context : public detail::function_outputs {
public:
  /// `watermark` and `window` are read at each call (stable pointers);
  /// `merging`: the windows are sessions (no per-window state).
  window_context(detail::keyed_state_store<K>& store, const std::int64_t& watermark,
                 const spi::processing_clock& clock, detail::side_outputs& side,
                 const time_window& window, const runtime_context& runtime, bool merging)
    : function_outputs(side, runtime),
      store_(&store),
      watermark_(&watermark),
      clock_(&clock),
      window_(&window),
      merging_(merging) {}

  /// The window firing: its start, end and max_timestamp().
  const time_window& window() const { return *window_; }
  /// The operator's input watermark.
  std::int64_t current_watermark() const { return *watermark_; }
  /// The subtask's processing time, ms since the epoch.
  std::int64_t current_processing_time() const { return clock_->now_ms(); }

  /// Keyed state of the current key across all its windows (Flink's
  /// globalState), declared like a keyed process function's.
  template <class Descriptor>
  auto global_state(const Descriptor& descriptor) {
    return store_->state(descriptor);
  }

  /// Keyed state of the current key in this window only (Flink's
  /// windowState): checkpointed and rescaled with the key; the function's
  /// clear() must clear it, or it stays after the window is gone. The
  /// handle is valid during this call, until the next window_state(). A
  /// state name is either per window or global. Throws std::logic_error
  /// for session windows, which merge (as Flink).
  template <class Descriptor>
  auto window_state(const Descriptor& descriptor) {
    if (merging_)
      throw std::logic_error("per-window state is not allowed with merging (session) windows");
    return store_->window_state(descriptor, *window_);
  }

private:
  detail::keyed_state_store<K>* store_;
  const std::int64_t* watermark_;
  const spi::processing_clock* clock_;
  const time_window* window_;
  bool merging_;
};

/// A function over the contents of one window of one key (Flink's
/// ProcessWindowFunction): subclass it and give it to a windowed stream's
/// process(), alone (it sees every record of the window) or after a reduce
/// or an aggregate function (it sees the one pre-aggregated value).
///
///   struct session_report : flinkcpp::process_window_function<std::string, click, report> {
///     void process(const std::string& user, context& ctx, std::span<const click> clicks,
///                  flinkcpp::collector<report>& out) override {
///       out.collect({user, ctx.window().start, ctx.window().end, clicks.size()});
///     }
///   };
///
/// Each subtask gets its own copy, called from the subtask's thread only.
template <class K, class In, class Out>
class process_window_function {
public:
  using key_type = K;
  using input_type = In;
  using output_type = Out;

  /// What the function sees when a window fires.
  using context = window_context<K>;

  virtual ~process_window_function() = default;

  /// Called once per subtask, before the first window fires (Flink's open).
  virtual void open(const runtime_context&) {}

  /// Called once when the subtask stops: after the job finished, or when
  /// it is cancelled or fails (Flink's close).
  virtual void close() {}

  /// Called when the window ctx.window() of `key` fires, with its contents;
  /// what it emits carries the window's max timestamp.
  virtual void process(const K& key, context& ctx, std::span<const In> elements,
                       collector<Out>& out) = 0;

  /// Called when the window's state is cleaned up (after its last firing).
  virtual void clear(context&) {}
};

} // namespace flinkcpp
FLINKCPP_API_END

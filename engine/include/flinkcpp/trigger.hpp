#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/export.hpp"
#include "flinkcpp/time_window.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// What a trigger decides for its window (Flink's TriggerResult): fire
/// emits the window's contents through the window function, purge drops
/// them (the window itself lives on until its cleanup time).
enum class trigger_result {
  continue_,      ///< nothing happens
  fire,           ///< emit the contents, keep them
  purge,          ///< drop the contents without emitting
  fire_and_purge, ///< emit, then drop
};

inline bool fires(trigger_result r) noexcept {
  return r == trigger_result::fire || r == trigger_result::fire_and_purge;
}
inline bool purges(trigger_result r) noexcept {
  return r == trigger_result::purge || r == trigger_result::fire_and_purge;
}

/// Decides when a window of records of type T fires (Flink's Trigger).
/// Each method is called for one key and one window, on the window
/// operator's subtask thread; triggers keep no state of their own (one
/// object serves every subtask): what they remember per key and window goes
/// into the context's trigger state, which is checkpointed and moves with
/// its key on rescale. Timers registered through the context are per key
/// and window, and call back on_event_time / on_processing_time.
template <class T>
class trigger {
public:
  /// The window's view of its operator (Flink's TriggerContext).
  class context {
  public:
    virtual ~context() = default;
    virtual std::int64_t current_watermark() const = 0;
    virtual std::int64_t current_processing_time() const = 0;
    virtual void register_event_time_timer(std::int64_t time) = 0;
    virtual void delete_event_time_timer(std::int64_t time) = 0;
    virtual void register_processing_time_timer(std::int64_t time) = 0;
    virtual void delete_processing_time_timer(std::int64_t time) = 0;
    /// The trigger state `name` of this key and window (Flink's
    /// getPartitionedState, for a number), if set.
    virtual std::optional<std::int64_t> state(const std::string& name) = 0;
    virtual void set_state(const std::string& name, std::int64_t value) = 0;
    virtual void clear_state(const std::string& name) = 0;
  };

  /// In on_merge: also the windows merged into the context's window, whose
  /// trigger state is still readable (Flink's OnMergeContext).
  class merge_context : public context {
  public:
    virtual const std::vector<time_window>& merged_windows() const = 0;
    virtual std::optional<std::int64_t> state_of(const time_window& merged,
                                                 const std::string& name) = 0;
  };

  virtual ~trigger() = default;

  /// A record of `timestamp` (its event time, or the processing time for
  /// processing-time windows) went into `window`.
  virtual trigger_result on_element(const T& record, std::int64_t timestamp,
                                    const time_window& window, context& ctx) const = 0;

  /// An event-time timer of this window is due. By default: continue_ (a
  /// trigger without event-time timers).
  virtual trigger_result on_event_time(std::int64_t /*time*/, const time_window& /*window*/,
                                       context& /*ctx*/) const {
    return trigger_result::continue_;
  }

  /// A processing-time timer of this window is due. By default: continue_
  /// (a trigger without processing-time timers).
  virtual trigger_result on_processing_time(std::int64_t /*time*/, const time_window& /*window*/,
                                            context& /*ctx*/) const {
    return trigger_result::continue_;
  }

  /// Whether the trigger supports merging windows (session windows need it).
  virtual bool can_merge() const { return false; }

  /// Windows were merged into `window`: set up its timers and state (the
  /// merged windows' are cleared right after).
  virtual void on_merge(const time_window& /*window*/, merge_context& /*ctx*/) const {}

  /// The window is gone: delete its timers and trigger state.
  virtual void clear(const time_window& window, context& ctx) const = 0;

  /// The trigger's name in the window operator's name ("EventTimeTrigger").
  virtual std::string describe() const = 0;
};

} // namespace flinkcpp
FLINKCPP_API_END

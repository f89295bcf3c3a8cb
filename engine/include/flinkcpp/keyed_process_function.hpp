#pragma once

#include <cstdint>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/function_outputs.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/keyed_timers.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/metric_group.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/state.hpp"
#include "flinkcpp/time_domain.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A function on a keyed stream with keyed state and timers (Flink's
/// KeyedProcessFunction): subclass it, declare states in open(), use them in
/// process_element(), where they hold the current record's key's values, and
/// register timers there to be called back in on_timer() once the watermark
/// (event time) or the subtask's clock (processing time) passes them.
///
///   struct counter : flinkcpp::keyed_process_function<std::string, event, result> {
///     std::optional<flinkcpp::value_state<std::int64_t>> count;
///     void open(context& ctx) override {
///       count.emplace(ctx.state(flinkcpp::value_state_descriptor<std::int64_t>{"count"}));
///     }
///     void process_element(const event& e, context& ctx, flinkcpp::collector<result>& out) override {
///       ctx.timer_service().register_event_time_timer(e.time_ms / 60000 * 60000 + 59999);
///       ...
///     }
///     void on_timer(std::int64_t time, context& ctx, flinkcpp::collector<result>& out) override;
///   };
///   stream.key_by(&event::user).process(counter{});
///
/// Each parallel subtask gets its own copy of the function (copied from the
/// one given to process()), called from the subtask's thread only.
template <class K, class In, class Out>
class keyed_process_function {
public:
  using key_type = K;
  using input_type = In;
  using output_type = Out;

  /// The timers of the current key (Flink's TimerService), in event time
  /// and in processing time. Timers are part of checkpoints and savepoints,
  /// move with their key when a job rescales, and fire once after a restore
  /// if their time passed meanwhile.
  class timer_service {
  public:
    explicit timer_service(detail::keyed_timers<K>& timers) : timers_(&timers) {}

    /// The operator's input watermark (min_watermark before the first).
    std::int64_t current_watermark() const { return timers_->watermark; }

    /// The subtask's processing time, ms since the epoch.
    std::int64_t current_processing_time() const { return timers_->clock->now_ms(); }

    /// Calls on_timer(time) for the current key once the watermark reached
    /// `time` (at the next watermark if it already has). A timer already
    /// registered for this key and time is not added again.
    void register_event_time_timer(std::int64_t time) { timers_->add(*timers_->event_time, time); }

    /// Removes the current key's event-time timer for `time`, if there is one.
    void delete_event_time_timer(std::int64_t time) { timers_->remove(*timers_->event_time, time); }

    /// Calls on_timer(time) for the current key once the processing time
    /// reached `time` (soon after this step if it already has). A timer
    /// already registered for this key and time is not added again.
    void register_processing_time_timer(std::int64_t time) {
      timers_->add(*timers_->processing_time, time);
    }

    /// Removes the current key's processing-time timer for `time`, if there
    /// is one.
    void delete_processing_time_timer(std::int64_t time) {
      timers_->remove(*timers_->processing_time, time);
    }

  private:
    detail::keyed_timers<K>* timers_;
  };

  /// What the function sees of its subtask: the current key, its state,
  /// its timers and its side outputs.
  class context : public detail::function_outputs {
  public:
    /// `timestamp`: where the operator keeps its record timestamp (stable).
    context(detail::keyed_state_store<K>& store, detail::keyed_timers<K>& timers,
            spi::record_timestamp* const& timestamp, detail::side_outputs& side,
            const runtime_context& runtime)
      : function_outputs(side, runtime),
        store_(&store),
        timestamp_(&timestamp),
        timers_(&timers),
        service_(timers) {}

    /// The key of the record being processed (or of the timer firing).
    const K& current_key() const { return store_->current(); }

    /// The event time of the record being processed, or in on_timer the
    /// event-time timer's time; min_watermark when the stream has no event
    /// time, and in on_timer for a processing-time timer.
    std::int64_t timestamp() const { return (*timestamp_)->value; }

    /// In on_timer: the domain of the timer firing (Flink's
    /// OnTimerContext#timeDomain).
    time_domain timer_domain() const { return timers_->firing; }

    /// The state `descriptor` declares (created on first use; the same
    /// handle's table on later calls).
    template <class Descriptor>
    auto state(const Descriptor& descriptor) {
      return store_->state(descriptor);
    }

    class timer_service& timer_service() {
      return service_;
    }

  private:
    detail::keyed_state_store<K>* store_;
    spi::record_timestamp* const* timestamp_;
    detail::keyed_timers<K>* timers_;
    class timer_service service_;
  };

  virtual ~keyed_process_function() = default;

  /// Called once per subtask, before the first record: declare states
  /// here; ctx.runtime() tells which subtask this is.
  virtual void open(context&) {}

  /// Called once when the subtask stops: after the job finished, or when
  /// it is cancelled or fails (Flink's close). Release what open() took.
  virtual void close() {}

  /// Called for every record; may emit any number of records.
  virtual void process_element(const In& value, context& ctx, collector<Out>& out) = 0;

  /// Called when the timer `timestamp` of ctx.current_key() is due (the
  /// watermark, or the processing time, reached it; ctx.timer_domain() says
  /// which), in timestamp order per domain; may emit records and register
  /// timers. What it emits for an event-time timer carries the timer's time
  /// as its timestamp, for a processing-time timer none. By default does
  /// nothing.
  virtual void on_timer(std::int64_t /*timestamp*/, context& /*ctx*/, collector<Out>& /*out*/) {}
};

} // namespace flinkcpp
FLINKCPP_API_END

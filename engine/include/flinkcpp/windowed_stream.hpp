#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/detail/aggregations.hpp"
#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/keyed_aggregation.hpp"
#include "flinkcpp/detail/pre_aggregation.hpp"
#include "flinkcpp/detail/window_contents.hpp"
#include "flinkcpp/detail/window_operator.hpp"
#include "flinkcpp/evictor.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/process_window_function.hpp"
#include "flinkcpp/time_domain.hpp"
#include "flinkcpp/trigger.hpp"
#include "flinkcpp/triggers.hpp"
#include "flinkcpp/windows.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

template <class T, class KeyFn>
class keyed_stream;

template <class T1, class T2, bool Join>
class window_joined_streams;

/// A keyed stream grouped into windows (Flink's WindowedStream). The
/// assigner (windows.hpp) puts each record into windows per key: fixed ones
/// (tumbling, sliding) or sessions, in event time (needs
/// assign_timestamps_and_watermarks upstream; a record without a timestamp
/// fails the job) or processing time. A trigger decides when a window fires
/// (by default when its time passes its end); a firing emits, carrying the
/// window's max timestamp:
///   - the built-in aggregations (sum, min, max, min_by, max_by) or reduce(fn),
///     kept incrementally as one record per window;
///   - aggregate(agg): an aggregate function's result, from an accumulator
///     of its own type;
///   - process(fn): a process window function's output, given all the
///     window's records, or after reduce(fn, process) / aggregate(agg,
///     process) the one pre-aggregated value.
/// With an evictor (`Evicting`, see evictor()) every record is kept and the
/// function runs over what the evictor leaves at each firing.
/// Cheap to copy; each setting returns a changed copy.
template <class T, class KeyFn, class Assigner, bool Evicting>
class windowed_stream
  : public detail::aggregations<windowed_stream<T, KeyFn, Assigner, Evicting>, T> {
public:
  using key_type = detail::key_type_t<KeyFn, T>;
  using detail::aggregations<windowed_stream, T>::reduce;

  /// `all`: the windows of window_all, in one operator of parallelism 1.
  windowed_stream(keyed_stream<T, KeyFn> keyed, Assigner assigner,
                  bool all = false) requires(!Evicting)
    : keyed_(std::move(keyed)),
      settings_{std::move(assigner), nullptr, 0, std::nullopt, true},
      all_(all) {
    if constexpr (std::is_same_v<Assigner, global_windows>)
      settings_.trigger = std::make_shared<never_trigger<T>>();
    else if (settings_.assigner.domain() == time_domain::event_time)
      settings_.trigger = std::make_shared<event_time_trigger<T>>();
    else
      settings_.trigger = std::make_shared<processing_time_trigger<T>>();
  }

  /// Evicts records from each window as it fires (Flink's
  /// WindowedStream.evictor; evictors.hpp has Flink's count, time and delta
  /// evictors): the window keeps all its records with their timestamps, and
  /// its function, incremental or not, runs over what evict_before leaves;
  /// what evict_after leaves stays. Replaces an earlier evictor. Throws
  /// std::invalid_argument for a null evictor.
  windowed_stream<T, KeyFn, Assigner, true>
  evictor(std::shared_ptr<const flinkcpp::evictor<T>> e) const {
    if (!e)
      throw std::invalid_argument("evictor: the evictor is null");
    return windowed_stream<T, KeyFn, Assigner, true>(keyed_, settings_, all_, std::move(e));
  }

  /// Replaces the assigner's default trigger (Flink's WindowedStream.trigger).
  /// Throws std::invalid_argument for a null trigger, and for session
  /// windows with a trigger that cannot merge.
  windowed_stream trigger(std::shared_ptr<const flinkcpp::trigger<T>> t) const {
    if (!t)
      throw std::invalid_argument("trigger: the trigger is null");
    if (Assigner::merging && !t->can_merge())
      throw std::invalid_argument("trigger: " + t->describe() + " cannot merge windows, which " +
                                  settings_.assigner.describe() + " needs");
    windowed_stream copy = *this;
    copy.settings_.trigger = std::move(t);
    copy.settings_.default_trigger = false;
    return copy;
  }

  /// Event-time windows keep their state `lateness` past their end (Flink's
  /// allowedLateness): a record arriving after its window fired but before
  /// the watermark passed end + lateness updates the window and, with the
  /// default trigger, fires it again at once; later records are late (see
  /// side_output_late_data). Zero by default. Throws std::invalid_argument
  /// for a negative lateness, and for processing-time windows (whose
  /// records are never late).
  windowed_stream allowed_lateness(std::chrono::milliseconds lateness) const {
    if (lateness.count() < 0)
      throw std::invalid_argument("allowed_lateness: the lateness must not be negative");
    if (settings_.assigner.domain() != time_domain::event_time && lateness.count() > 0)
      throw std::invalid_argument(
        "allowed_lateness applies to event-time windows only: records are never late for " +
        settings_.assigner.describe());
    windowed_stream copy = *this;
    copy.settings_.lateness = lateness.count();
    return copy;
  }

  /// Sends records that arrive too late for all their windows (past the
  /// allowed lateness) to the side output `tag` (Flink's sideOutputLateData)
  /// instead of dropping them; read it with get_side_output(tag) on the
  /// stream the window function returns. They keep their timestamps.
  windowed_stream side_output_late_data(const output_tag<T>& tag) const {
    windowed_stream copy = *this;
    copy.settings_.late_data = tag;
    return copy;
  }

  /// The result of an aggregate function `agg` per window (Flink's
  /// aggregate(AggregateFunction)): an object offering
  ///   Acc create_accumulator(); void add(Acc&, const T&);
  ///   Out get_result(const Acc&); void merge(Acc&, Acc&&)
  /// (merge is needed by session windows only). Emits Out.
  template <class Agg>
  auto aggregate(Agg agg) const {
    using contents = detail::aggregated_contents<T, Agg>;
    using result = typename contents::result_type;
    return build("AggregateFunction", contents{std::move(agg)}, detail::emit_result<result>{});
  }

  /// aggregate(agg), then `fn` (a process_window_function taking Out) with
  /// the one aggregated value and the window's context.
  template <class Agg, class F>
  auto aggregate(Agg agg, F fn) const {
    using contents = detail::aggregated_contents<T, Agg>;
    check_process_function<F, typename contents::result_type>();
    return build("AggregateFunction, ProcessWindowFunction", contents{std::move(agg)},
                 detail::process_result<F, false>{std::move(fn)});
  }

  /// reduce(reduce_fn), then `fn` (a process_window_function taking T) with
  /// the one reduced value and the window's context.
  template <class R, class F>
  auto reduce(R reduce_fn, F fn) const {
    check_process_function<F, T>();
    detail::reduce_with<R> fold{std::move(reduce_fn)};
    return build("ReduceFunction, ProcessWindowFunction",
                 detail::folded_contents<T, detail::reduce_with<R>>{std::move(fold)},
                 detail::process_result<F, false>{std::move(fn)});
  }

  /// `fn` (a process_window_function<Key, T, Out> subclass) with every
  /// record of the window, in arrival order (Flink's
  /// process(ProcessWindowFunction)). Keeps all the records until the
  /// window is cleaned up; prefer aggregate(agg, fn) where it fits.
  template <class F>
  auto process(F fn) const {
    return process_as("ProcessWindowFunction", std::move(fn));
  }

private:
  friend class detail::aggregations<windowed_stream, T>;
  template <class, class, class, bool>
  friend class windowed_stream;
  template <class, class, bool>
  friend class window_joined_streams;

  /// process(fn), the function named `function` in the operator's name.
  template <class F>
  auto process_as(const char* function, F fn) const {
    check_process_function<F, T>();
    return build(function, detail::listed_contents<T>{},
                 detail::process_result<F, true>{std::move(fn)});
  }

  windowed_stream(keyed_stream<T, KeyFn> keyed, detail::window_settings<T, Assigner> settings,
                  bool all, std::shared_ptr<const flinkcpp::evictor<T>> e)
    : keyed_(std::move(keyed)),
      settings_(std::move(settings)),
      all_(all),
      evictor_(std::move(e)) {}

  template <class F, class In>
  static constexpr void check_process_function() {
    static_assert(
      std::is_base_of_v<process_window_function<key_type, In, typename F::output_type>, F>,
      "a window's process function must be a process_window_function<Key, In, Out> "
      "subclass whose Key is the stream's key type and In what it is given");
  }

  template <class Fold>
  auto aggregate_with(Fold fold, bool reduce) const {
    const auto& windowed = reduce ? *this : pre_aggregating(fold);
    return windowed.build(reduce ? "ReduceFunction" : "Aggregation",
                          detail::folded_contents<T, Fold>{std::move(fold)},
                          detail::emit_result<T>{});
  }

  /// This windowed stream with its records folded by the built-in `fold`
  /// before the shuffle in BATCH mode, where that leaves every window's
  /// contents and firings as they are (detail/pre_aggregation.hpp): event-time
  /// tumbling, sliding or fixed-gap session windows, the default trigger,
  /// no evictor, no allowed lateness, no late-data output.
  template <class Fold>
  windowed_stream pre_aggregating(const Fold& fold) const {
    constexpr bool fixed = std::is_base_of_v<fixed_windows, Assigner>;
    if constexpr (!Evicting && (fixed || std::is_same_v<Assigner, session_windows>)) {
      const auto& a = settings_.assigner;
      if (!settings_.default_trigger || settings_.lateness != 0 || settings_.late_data ||
          a.domain() != time_domain::event_time)
        return *this;
      using groups =
        std::conditional_t<fixed, detail::window_pane_groups<T>, detail::session_groups<T>>;
      auto copy = *this;
      copy.keyed_ = keyed_.partitioned_by(
        std::make_shared<detail::pre_aggregating_key_partitioner<T, KeyFn, Fold, groups>>(
          keyed_.key(), fold, groups(a)));
      return copy;
    }
    return *this;
  }

  /// The window operator with `contents` (kept with their timestamps for
  /// the evictor, if there is one) and `finish`, named as Flink's:
  /// "Window(TumblingEventTimeWindows(10000), EventTimeTrigger, ReduceFunction)",
  /// "Window(GlobalWindows(), CountTrigger(2), CountEvictor, ReduceFunction)".
  template <class Contents, class Finish>
  data_stream<typename Finish::output_type> build(const char* function, Contents contents,
                                                  Finish finish) const {
    if constexpr (Evicting)
      return build_operator(function,
                            detail::evicting_contents<T, Contents>{std::move(contents), evictor_},
                            std::move(finish));
    else
      return build_operator(function, std::move(contents), std::move(finish));
  }

  template <class Contents, class Finish>
  data_stream<typename Finish::output_type> build_operator(const char* function, Contents contents,
                                                           Finish finish) const {
    using out = typename Finish::output_type;
    auto name = "Window(" + settings_.assigner.describe() + ", " + settings_.trigger->describe() +
                ", " + (evictor_ ? evictor_->describe() + ", " : std::string{}) + function + ")";
    return keyed_.template keyed_operator<out>(
      std::move(name), all_,
      [settings = settings_, contents = std::move(contents),
       finish = std::move(finish)](const KeyFn& key, const spi::operator_context& context) {
        return std::make_unique<detail::window_operator<T, KeyFn, Assigner, Contents, Finish>>(
          key, settings, contents, finish, context);
      });
  }

  keyed_stream<T, KeyFn> keyed_;
  detail::window_settings<T, Assigner> settings_;
  bool all_;
  std::shared_ptr<const flinkcpp::evictor<T>> evictor_; ///< set iff Evicting
};

} // namespace flinkcpp
FLINKCPP_API_END

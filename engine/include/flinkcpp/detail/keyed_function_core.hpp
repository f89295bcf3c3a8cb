#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/keyed_timers.hpp"
#include "flinkcpp/detail/side_outputs.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/detail/timer_table.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/runtime_context.hpp"
#include "flinkcpp/spi/stream_operator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The context a keyed function F sees with a key current: F::context, or
/// F::read_only_context for a function that also has a context without one
/// (a keyed_broadcast_process_function's broadcast side).
template <class F, class = void>
struct keyed_context_of {
  using type = typename F::context;
};
template <class F>
struct keyed_context_of<F, std::void_t<typename F::read_only_context>> {
  using type = typename F::read_only_context;
};

/// What an operator running a keyed function F (a keyed_process_function or
/// a keyed_co_process_function) keeps besides its inputs: F itself, the
/// keyed state store, the timers, the side outputs and the context F sees.
/// The operator sets the current key for each record, then calls F with
/// context(); the core fires due timers (timers_per_step at a time: then
/// watermark_pending), snapshots and restores. Its timers and state are the
/// store's (timers of jobs that checkpointed them as the union lists
/// "event-time-timers" and "processing-time-timers" are taken in on
/// restore). Not copyable; the operator's thread only.
template <class F>
class keyed_function_core {
public:
  using key_type = typename F::key_type;
  using output_type = typename F::output_type;
  using keyed_context = typename keyed_context_of<F>::type;

  /// `timestamp`: the operator's record timestamp slot (stable).
  keyed_function_core(F function, const spi::operator_context& context,
                      spi::record_timestamp* const& timestamp)
    : function_(std::move(function)),
      store_(context, context.operator_id),
      max_parallelism_(context.max_parallelism),
      timers_(store_, *context.clock),
      runtime_(context),
      context_(store_, timers_, timestamp, side_, runtime_) {}

  keyed_function_core(const keyed_function_core&) = delete;
  keyed_function_core& operator=(const keyed_function_core&) = delete;

  F& function() { return function_; }
  keyed_context& context() { return context_; }
  keyed_state_store<key_type>& store() { return store_; }
  keyed_timers<key_type>& timers() { return timers_; }
  side_outputs& side() { return side_; }
  const runtime_context& runtime() const { return runtime_; }
  /// The input watermark (min_watermark before the first).
  std::int64_t watermark() const { return timers_.watermark; }

  void set_current_key(const key_type& key, std::uint64_t hash) {
    store_.set_current_key(key, hash);
  }

  void connect_side_output(const std::string& tag, spi::collector_ref out) {
    side_.connect(tag, out);
  }

  void open() { function_.open(context_); }
  void close() { function_.close(); }

  /// Calls F's on_timer for the event-time timers the watermark passed,
  /// each with its key current and its time as `now`'s; returns the
  /// watermark to pass on (min_watermark while timers remain).
  std::int64_t process_watermark(std::int64_t watermark, spi::record_timestamp& now,
                                 collector<output_type>& out) {
    timers_.watermark = watermark;
    timers_.firing = time_domain::event_time;
    watermark_pending_ =
      !fire_due_timers(*timers_.event_time, watermark, [&](keyed_timer<key_type>& due) {
        store_.set_current_key(due.payload, due.key_hash);
        now.value = due.timestamp; // what on_timer emits carries the timer's time
        function_.on_timer(due.timestamp, context_, out);
      });
    return watermark_pending_ ? min_watermark : watermark;
  }

  bool watermark_pending() const { return watermark_pending_; }

  std::optional<std::int64_t> next_processing_timer() const {
    return timers_.processing_time->next();
  }

  /// Calls F's on_timer for the processing-time timers due at `time`.
  void on_processing_time(std::int64_t time, spi::record_timestamp& now,
                          collector<output_type>& out) {
    timers_.firing = time_domain::processing_time;
    fire_due_timers(*timers_.processing_time, time, [&](keyed_timer<key_type>& due) {
      store_.set_current_key(due.payload, due.key_hash);
      now.value = min_watermark; // as Flink: no timestamp in processing time
      function_.on_timer(due.timestamp, context_, out);
    });
  }

  void snapshot(spi::operator_snapshot& snapshot) { store_.snapshot(snapshot); }

  void restore(const spi::operator_restore& state) {
    store_.restore(state);
    restore_listed_timers(state.list(event_time_list), *timers_.event_time);
    restore_listed_timers(state.list(processing_time_list), *timers_.processing_time);
  }

private:
  void restore_listed_timers(const std::vector<std::string>& entries, timer_table<key_type>& to) {
    read_listed_timers<key_type>(entries, store_.key_groups(), max_parallelism_,
                                 [&](const keyed_timer<key_type>& t, int g) {
                                   to.add(t.timestamp, t.payload, t.key_hash, g);
                                 });
  }

  static constexpr const char* event_time_list = "event-time-timers";
  static constexpr const char* processing_time_list = "processing-time-timers";

  F function_;
  keyed_state_store<key_type> store_;
  int max_parallelism_;
  keyed_timers<key_type> timers_;
  bool watermark_pending_ = false;
  runtime_context runtime_;
  side_outputs side_;
  keyed_context context_;
};

/// An operator (Base, an output_operator of F's output) running the keyed
/// function F through a keyed_function_core: its timers, snapshots and
/// side outputs. The derived operator sets the key and calls F for each
/// record through core_.
template <class F, class Base>
class keyed_function_operator : public Base {
public:
  /// `base`: Base's constructor arguments.
  template <class... BaseArgs>
  keyed_function_operator(F function, const spi::operator_context& context, BaseArgs&&... base)
    : Base(std::forward<BaseArgs>(base)...),
      core_(std::move(function), context, this->timestamp_slot()) {}

  void set_side_output(const std::string& tag, spi::collector_ref out) override {
    core_.connect_side_output(tag, out);
  }

  void open() override { core_.open(); }
  void close() override { core_.close(); }

  std::int64_t process_watermark(std::int64_t watermark) override {
    return core_.process_watermark(watermark, this->timestamp(), this->output());
  }

  bool watermark_pending() const override { return core_.watermark_pending(); }

  std::optional<std::int64_t> next_processing_timer() const override {
    return core_.next_processing_timer();
  }

  void on_processing_time(std::int64_t now) override {
    core_.on_processing_time(now, this->timestamp(), this->output());
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    core_.snapshot(snapshot);
  }

  void restore_state(const spi::operator_restore& state) override { core_.restore(state); }

protected:
  /// Calls fn(record) for each record of `batch` (of T), with its key
  /// (key(record)) current and its timestamp set: the key hash the batch
  /// carries, or one computed.
  template <class T, class KeyFn, class Fn>
  void for_each_keyed(spi::record_batch& batch, const KeyFn& key, Fn&& fn) {
    bool hashed = batch.key_hashes.size() == batch.size();
    for_each_record<T>(batch, this->timestamp(), [&](T& record, std::size_t i) {
      const auto& k = std::invoke(key, static_cast<const T&>(record));
      core_.set_current_key(k, hashed ? batch.key_hashes[i] : key_hash(k));
      fn(static_cast<const T&>(record));
    });
  }

  keyed_function_core<F> core_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/keyed_input.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Runs a keyed_process_function F on a keyed stream of In: sets the current
/// key of its state store for every record (from the key hash the batch
/// carries), then calls the function; as the watermark rises, calls it for
/// the timers due, each with its key current, before the watermark goes on
/// (timers_per_step at a time: watermark_pending).
/// Its keyed state and its timers are the store's (timers of jobs that
/// checkpointed them as the union lists "event-time-timers" and
/// "processing-time-timers" are taken in on restore).
template <class In, class KeyFn, class F>
class keyed_process_operator final
  : public keyed_input_operator<In, typename F::output_type, KeyFn,
                                keyed_process_operator<In, KeyFn, F>> {
public:
  using key_type = typename F::key_type;

  keyed_process_operator(KeyFn key, F function, const spi::operator_context& context)
    : keyed_process_operator::keyed_input_operator(std::move(key)),
      function_(std::move(function)),
      store_(context, context.operator_id),
      max_parallelism_(context.max_parallelism),
      timers_(store_, *context.clock),
      runtime_(context),
      context_(store_, timers_, this->timestamp_slot(), side_, runtime_) {}

  void set_side_output(const std::string& tag, spi::collector_ref out) override {
    side_.connect(tag, out);
  }

  void open() override { function_.open(context_); }
  void close() override { function_.close(); }

  std::int64_t process_watermark(std::int64_t watermark) override {
    timers_.watermark = watermark;
    timers_.firing = time_domain::event_time;
    watermark_pending_ =
      !fire_due_timers(*timers_.event_time, watermark, [&](keyed_timer<key_type>& due) {
        store_.set_current_key(due.payload, due.key_hash);
        this->timestamp().value = due.timestamp; // what on_timer emits carries the timer's time
        function_.on_timer(due.timestamp, context_, this->output());
      });
    return watermark_pending_ ? min_watermark : watermark;
  }

  bool watermark_pending() const override { return watermark_pending_; }

  std::optional<std::int64_t> next_processing_timer() const override {
    return timers_.processing_time->next();
  }

  void on_processing_time(std::int64_t now) override {
    timers_.firing = time_domain::processing_time;
    fire_due_timers(*timers_.processing_time, now, [&](keyed_timer<key_type>& due) {
      store_.set_current_key(due.payload, due.key_hash);
      this->timestamp().value = min_watermark; // as Flink: no timestamp in processing time
      function_.on_timer(due.timestamp, context_, this->output());
    });
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    store_.snapshot(snapshot);
  }

  void restore_state(const spi::operator_restore& state) override {
    store_.restore(state);
    restore_listed_timers(state.list(event_time_list), *timers_.event_time);
    restore_listed_timers(state.list(processing_time_list), *timers_.processing_time);
  }

private:
  friend class keyed_input_operator<In, typename F::output_type, KeyFn, keyed_process_operator>;

  void process(const In& record, std::uint64_t hash) {
    const key_type& key = this->key_of(record); // a member's key is not copied
    store_.set_current_key(key, hash);
    function_.process_element(record, context_, this->output());
  }

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
  typename F::context context_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END

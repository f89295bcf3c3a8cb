#pragma once

#include "flinkcpp/collector.hpp"
#include "flinkcpp/detail/keyed_state_store.hpp"
#include "flinkcpp/state.hpp"

namespace flinkcpp {

/// A function on a keyed stream with keyed state (Flink's
/// KeyedProcessFunction): subclass it, declare states in open() and use them
/// in process_element(), where they hold the current record's key's values.
///
///   struct counter : flinkcpp::keyed_process_function<std::string, event, result> {
///     std::optional<flinkcpp::value_state<std::int64_t>> count;
///     void open(context& ctx) override {
///       count.emplace(ctx.state(flinkcpp::value_state_descriptor<std::int64_t>{"count"}));
///     }
///     void process_element(const event& e, context&, flinkcpp::collector<result>& out) override;
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

  /// What the function sees of its subtask: the current key and its state.
  class context {
  public:
    explicit context(detail::keyed_state_store<K>& store) : store_(&store) {}

    /// The key of the record being processed.
    const K& current_key() const { return store_->current(); }

    /// The state `descriptor` declares (created on first use; the same
    /// handle's table on later calls).
    template <class Descriptor>
    auto state(const Descriptor& descriptor) {
      return store_->state(descriptor);
    }

  private:
    detail::keyed_state_store<K>* store_;
  };

  virtual ~keyed_process_function() = default;

  /// Called once per subtask, before the first record: declare states here.
  virtual void open(context&) {}

  /// Called for every record; may emit any number of records.
  virtual void process_element(const In& value, context& ctx, collector<Out>& out) = 0;
};

} // namespace flinkcpp

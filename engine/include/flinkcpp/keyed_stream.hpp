#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/detail/aggregations.hpp"
#include "flinkcpp/detail/keyed_aggregation.hpp"
#include "flinkcpp/detail/keyed_process_operator.hpp"
#include "flinkcpp/detail/pre_aggregation.hpp"
#include "flinkcpp/detail/source_reader_operator.hpp"
#include "flinkcpp/evictors.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/keyed_process_function.hpp"
#include "flinkcpp/windowed_stream.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A stream partitioned by key (Flink's KeyedStream): rolling aggregations
/// (detail::aggregations: sum, min, max, min_by, max_by, reduce) keep one
/// aggregate per key in keyed state and emit it on every update; process()
/// runs a keyed_process_function; window() groups each key's records into
/// event- or processing-time windows. Their output is a plain data_stream.
template <class T, class KeyFn>
class keyed_stream : public detail::aggregations<keyed_stream<T, KeyFn>, T> {
public:
  using key_type = detail::key_type_t<KeyFn, T>;

  keyed_stream(stream_environment& env, std::vector<detail::stream_edge> inputs, KeyFn key)
    : env_(&env),
      inputs_(std::move(inputs)),
      key_(std::move(key)) {}

  /// Each key's records in the windows `assigner` gives them (Flink's
  /// KeyedStream.window): tumbling, sliding or session windows, in event or
  /// processing time (windows.hpp); aggregate or process them with the
  /// windowed stream's methods.
  template <class Assigner>
  windowed_stream<T, KeyFn, Assigner> window(Assigner assigner) const {
    return windowed_stream<T, KeyFn, Assigner>(*this, std::move(assigner));
  }

  /// Windows of `size` records per key (Flink's countWindow): each key's
  /// records in its global window, fired and purged every `size` of them.
  /// Throws std::invalid_argument unless size > 0.
  windowed_stream<T, KeyFn, global_windows> count_window(std::int64_t size) const {
    return window(global_windows::create())
      .trigger(purging_trigger<T>::of(count_trigger<T>::of(size)));
  }

  /// Sliding windows of the last `size` records per key, fired every
  /// `slide` records (Flink's countWindow(size, slide)): a global window
  /// with a count_evictor of size and a count_trigger of slide. Throws
  /// std::invalid_argument unless size > 0 and slide > 0.
  windowed_stream<T, KeyFn, global_windows, true> count_window(std::int64_t size,
                                                               std::int64_t slide) const {
    return window(global_windows::create())
      .evictor(count_evictor<T>::of(size))
      .trigger(count_trigger<T>::of(slide));
  }

  /// This stream and `other`, keyed by a key of the same type, as the two
  /// inputs of one operator sharing keyed state and timers (Flink's
  /// KeyedStream.connect): see connected_streams.hpp, which defines it.
  template <class U, class KeyFn2>
  keyed_connected_streams<T, KeyFn, U, KeyFn2> connect(const keyed_stream<U, KeyFn2>& other) const;

  /// This stream and the broadcast stream `other` as the two inputs of one
  /// operator running a keyed_broadcast_process_function (Flink's
  /// KeyedStream.connect(BroadcastStream)): see broadcast_stream.hpp, which
  /// defines it.
  template <class U>
  keyed_broadcast_connected_stream<T, KeyFn, U> connect(const broadcast_stream<U>& other) const;

  /// An interval join of this stream (left) with `other` (right), keyed by
  /// a key of the same type (Flink's KeyedStream.intervalJoin): see
  /// interval_join.hpp, which defines it.
  template <class U, class KeyFn2>
  flinkcpp::interval_join<T, KeyFn, U, KeyFn2>
  interval_join(const keyed_stream<U, KeyFn2>& other) const;

  stream_environment& environment() const { return *env_; }
  /// The hash-partitioned edges into the stream's operators.
  const std::vector<detail::stream_edge>& inputs() const { return inputs_; }
  /// The key selector.
  const KeyFn& key() const { return key_; }

  /// Runs a keyed_process_function (keyed state, any number of outputs per
  /// record); every subtask gets its own copy of `function`.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    return process_as("KeyedProcess", std::move(function));
  }

private:
  friend class detail::aggregations<keyed_stream<T, KeyFn>, T>;
  template <class, class, class, bool>
  friend class windowed_stream;

  /// process(), with the operator named `name`.
  template <class F>
  data_stream<typename F::output_type> process_as(std::string name, F function) const {
    using out = typename F::output_type;
    static_assert(std::is_base_of_v<keyed_process_function<typename F::key_type, T, out>, F>,
                  "process() takes a keyed_process_function<Key, Record, Output> subclass "
                  "whose Record is the stream's record type");
    static_assert(std::is_same_v<typename F::key_type, key_type>,
                  "the keyed_process_function's key type must be the stream's key type");
    return keyed_operator<out>(
      std::move(name), false, [function](const KeyFn& key, const spi::operator_context& context) {
        return std::make_unique<detail::keyed_process_operator<T, KeyFn, F>>(key, function,
                                                                             context);
      });
  }

  /// Adds a keyed operator with side outputs, made by
  /// make(key, context) -> std::unique_ptr<stream_operator>, emitting Out;
  /// `non_parallel`: with parallelism 1 only.
  template <class Out, class Make>
  data_stream<Out> keyed_operator(std::string name, bool non_parallel, Make make) const {
    detail::stream_node node;
    node.kind = detail::node_kind::transformation;
    node.name = std::move(name);
    node.side_outputs = true;
    node.non_parallel = non_parallel;
    if (non_parallel)
      node.parallelism = 1;
    node.inputs = inputs_;
    node.factory = detail::make_operator_factory<Out>(
      [key = key_, make](const spi::operator_context& context) { return make(key, context); });
    return detail::add_stream_node<Out>(*env_, std::move(node));
  }

  /// The rolling aggregation by `fold`; the built-in ones (not `reduce`,
  /// whose function Flink does not require to be associative) also fold
  /// records before the shuffle in BATCH mode (detail/pre_aggregation.hpp).
  template <class Fold>
  data_stream<T> aggregate_with(Fold fold, bool reduce) const {
    detail::stream_node node;
    node.kind = detail::node_kind::transformation;
    node.name = reduce ? "Keyed Reduce" : "Keyed Aggregation";
    node.inputs =
      reduce
        ? inputs_
        : partitioned_by(
            std::make_shared<detail::pre_aggregating_key_partitioner<T, KeyFn, Fold>>(key_, fold))
            .inputs_;
    node.factory = detail::make_operator_factory<T>([key = key_,
                                                     fold](const spi::operator_context& context) {
      return std::make_unique<detail::keyed_aggregate_operator<T, KeyFn, Fold>>(key, fold, context);
    });
    return detail::add_stream_node<T>(*env_, std::move(node));
  }

  /// This stream with its edges partitioned by `p`, a partitioner by the
  /// same key (which may fold records before the shuffle).
  keyed_stream partitioned_by(const std::shared_ptr<const spi::partitioner>& p) const {
    auto copy = *this;
    for (auto& edge : copy.inputs_)
      edge.partitioning = p;
    return copy;
  }

  stream_environment* env_;
  std::vector<detail::stream_edge> inputs_;
  KeyFn key_;
};

// -- stream_environment's source templates ------------------------------------

template <class T>
data_stream<T> stream_environment::from_elements(std::vector<T> elements) {
  auto shared = std::make_shared<const std::vector<T>>(std::move(elements));
  detail::stream_node node;
  node.kind = detail::node_kind::source;
  node.name = "Collection Source";
  node.non_parallel = true;
  node.parallelism = 1;
  node.factory = detail::make_operator_factory<T>([shared](const spi::operator_context&) {
    return std::make_unique<detail::collection_source<T>>(shared);
  });
  return detail::add_stream_node<T>(*this, std::move(node));
}

template <class T, class... Ts>
data_stream<T> stream_environment::from_elements(T first, Ts... rest) {
  std::vector<T> elements;
  elements.reserve(1 + sizeof...(rest));
  elements.push_back(std::move(first));
  (elements.push_back(T(std::move(rest))), ...);
  return from_elements(std::move(elements));
}

template <class F>
auto stream_environment::datagen(F generator, std::uint64_t count, double rows_per_second) {
  using out = std::decay_t<std::invoke_result_t<F&, std::int64_t>>;
  return from_source(detail::generator_source<out, F>{std::move(generator), count, rows_per_second},
                     watermark_strategy<out>::no_watermarks(), "Data Generator Source");
}

template <class S>
data_stream<typename S::record_type>
stream_environment::from_source(S source, watermark_strategy<typename S::record_type> strategy,
                                std::string name) {
  using T = typename S::record_type;
  using split = typename S::split_type;
  using checkpoint = typename S::checkpoint_type;
  std::shared_ptr<const flinkcpp::source<T, split, checkpoint>> shared =
    std::make_shared<const S>(std::move(source));
  detail::stream_node node;
  node.kind = detail::node_kind::source;
  node.name = std::move(name);
  node.bounded = shared->get_boundedness() == boundedness::bounded;
  node.split_source = std::make_shared<detail::typed_source<T, split, checkpoint>>(shared);
  node.validate = [shared](bool) { return shared->validate(); };
  node.factory = detail::make_operator_factory<T>(
    [shared, strategy = std::move(strategy)](const spi::operator_context& context) {
      return std::make_unique<detail::source_reader_operator<T, split, checkpoint>>(
        *shared, strategy, context);
    });
  return detail::add_stream_node<T>(*this, std::move(node));
}

} // namespace flinkcpp
FLINKCPP_API_END

#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/detail/basic_operators.hpp"
#include "flinkcpp/detail/function_traits.hpp"
#include "flinkcpp/detail/generator_sources.hpp"
#include "flinkcpp/detail/operator_settings.hpp"
#include "flinkcpp/detail/partitioning.hpp"
#include "flinkcpp/detail/sink_writer_operator.hpp"
#include "flinkcpp/detail/stream_graph.hpp"
#include "flinkcpp/detail/timestamps_and_watermarks.hpp"
#include "flinkcpp/evictors.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/file_sink.hpp"
#include "flinkcpp/output_tag.hpp"
#include "flinkcpp/print_sink.hpp"
#include "flinkcpp/process_function.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "flinkcpp/triggers.hpp"
#include "flinkcpp/windows.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

template <class T, class KeyFn>
class keyed_stream;

template <class T1, class T2>
class connected_streams;

template <class T1, class KeyFn1, class T2, class KeyFn2>
class keyed_connected_streams;

template <class L, class KeyFnL, class R, class KeyFnR>
class interval_join;

template <class T>
class broadcast_stream;

template <class T1, class T2>
class broadcast_connected_stream;

template <class T1, class KeyFn, class T2>
class keyed_broadcast_connected_stream;

template <class K, class V>
struct map_state_descriptor;

template <class T1, class T2, bool Join>
class window_joined_streams;

/// Evicting: whether it has an evictor (windowed_stream::evictor).
template <class T, class KeyFn, class Assigner, bool Evicting = false>
class windowed_stream;

namespace detail {

/// The key of window_all: one for every record.
struct all_records_key {
  template <class T>
  std::uint8_t operator()(const T&) const {
    return 0;
  }
};

/// The shared partitioner of edges whose partitioning the job left open.
template <class T>
const std::shared_ptr<const spi::partitioner>& default_partitioner() {
  static const std::shared_ptr<const spi::partitioner> instance =
    std::make_shared<plain_partitioner<T>>(spi::ship_strategy::unspecified);
  return instance;
}

/// Throws std::logic_error unless `a` and `b` are the same environment:
/// `operation` (union_with, connect, ...) combines streams of one job only.
inline void require_same_environment(const stream_environment& a, const stream_environment& b,
                                     const char* operation) {
  if (&a != &b)
    throw std::logic_error(std::string{operation} +
                           ": both streams must come from the same environment");
}

/// Adds a node that reads from `inputs` and returns its output stream.
template <class Out>
data_stream<Out> add_stream_node(stream_environment& env, stream_node node) {
  int id = env.add_node(std::move(node));
  return data_stream<Out>(env, {{id, default_partitioner<Out>()}}, id);
}

} // namespace detail

/// A sink at the end of a stream (Flink's DataStreamSink): parallelism, name
/// and uid can be set on it.
class data_stream_sink : public detail::operator_settings<data_stream_sink> {
public:
  data_stream_sink(stream_environment& env, int node) : env_(&env), node_(node) {}

private:
  friend class detail::operator_settings<data_stream_sink>;
  stream_environment* env_;
  int node_;
};

/// A stream of records of type T (Flink's DataStream). Cheap to copy: it
/// names graph nodes, it does not hold records. Each transformation adds an
/// operator to the environment's graph and returns the stream it produces;
/// the operator's settings (set_parallelism, name, uid, ...) apply to the
/// stream that transformation returned.
template <class T>
class data_stream : public detail::operator_settings<data_stream<T>> {
public:
  using value_type = T;

  /// `node` is the operator producing the stream, or -1 for a union or a
  /// re-partitioned stream (which have no operator of their own).
  data_stream(stream_environment& env, std::vector<detail::stream_edge> inputs, int node)
    : env_(&env),
      inputs_(std::move(inputs)),
      node_(node) {}

  // -- transformations ------------------------------------------------------

  /// One output record per input record: fn(record) -> Out.
  template <class F>
  auto map(F fn) const {
    using out = detail::map_output_t<F, T>;
    return transform<out>("Map", [fn](const spi::operator_context& context) {
      return std::make_unique<detail::map_operator<T, out, F>>(fn, context);
    });
  }

  /// Zero or more output records per input record: fn(record, collector<Out>&).
  /// Out is deduced from the collector parameter, or given explicitly.
  template <class Out = void, class F>
  auto flat_map(F fn) const {
    using out = std::conditional_t<std::is_void_v<Out>, detail::flat_map_output_t<F>, Out>;
    return transform<out>("Flat Map", [fn](const spi::operator_context& context) {
      return std::make_unique<detail::flat_map_operator<T, out, F>>(fn, context);
    });
  }

  /// The records for which fn(record) is true.
  template <class F>
  data_stream<T> filter(F fn) const {
    return transform<T>("Filter", [fn](const spi::operator_context& context) {
      return std::make_unique<detail::filter_operator<T, F>>(fn, context);
    });
  }

  /// The same records with event time (Flink's assignTimestampsAndWatermarks):
  /// `strategy`'s assigner (or for ingestion time the processing clock)
  /// gives each record its timestamp, and the watermarks its generator makes
  /// (and its idleness) travel downstream instead of upstream's. Throws
  /// std::invalid_argument for a strategy without a timestamp assigner.
  data_stream<T> assign_timestamps_and_watermarks(const watermark_strategy<T>& strategy) const {
    if (!strategy.assigner() && !strategy.ingestion_time())
      throw std::invalid_argument(
        "assign_timestamps_and_watermarks: the watermark strategy has no timestamp assigner "
        "(records carry no timestamps of their own; use with_timestamp_assigner, or "
        "for_ingestion_time)");
    return transform<T>(
      "Timestamps/Watermarks",
      [strategy](const spi::operator_context& context) {
        return std::make_unique<detail::timestamps_and_watermarks_operator<T>>(strategy, context);
      },
      true);
  }

  /// Runs a process_function (any number of outputs per record, side
  /// outputs); every subtask gets its own copy of `function`.
  template <class F>
  data_stream<typename F::output_type> process(F function) const {
    using out = typename F::output_type;
    static_assert(std::is_base_of_v<process_function<T, out>, F>,
                  "process() takes a process_function<Record, Output> subclass whose Record is "
                  "the stream's record type");
    return transform<out>(
      "Process",
      [function](const spi::operator_context& context) {
        return std::make_unique<detail::process_operator<T, F>>(function, context);
      },
      false, true);
  }

  /// All records in the windows `assigner` gives them, in one window
  /// operator of parallelism 1 (Flink's windowAll); aggregate or process
  /// them as a keyed stream's windows (their key is the same for all).
  template <class Assigner>
  auto window_all(Assigner assigner) const {
    return windowed_stream<T, detail::all_records_key, Assigner>(key_by(detail::all_records_key{}),
                                                                 std::move(assigner), true);
  }

  /// Windows of `size` records over the whole stream (Flink's
  /// countWindowAll), fired and purged every `size` of them; parallelism 1.
  /// Throws std::invalid_argument unless size > 0.
  windowed_stream<T, detail::all_records_key, global_windows>
  count_window_all(std::int64_t size) const {
    return window_all(global_windows::create())
      .trigger(purging_trigger<T>::of(count_trigger<T>::of(size)));
  }

  /// The last `size` records of the whole stream, fired every `slide`
  /// records (Flink's countWindowAll(size, slide)); parallelism 1. Throws
  /// std::invalid_argument unless size > 0 and slide > 0.
  windowed_stream<T, detail::all_records_key, global_windows, true>
  count_window_all(std::int64_t size, std::int64_t slide) const {
    return window_all(global_windows::create())
      .evictor(count_evictor<T>::of(size))
      .trigger(count_trigger<T>::of(slide));
  }

  /// Partitions the stream by key: records with equal keys reach the same
  /// subtask (through key groups). `key` is a callable or a member pointer;
  /// the key type needs operator== and must be hashable by flink-cpp (strings,
  /// numbers, tuples, inspectable structs).
  template <class KeyFn>
  keyed_stream<T, KeyFn> key_by(KeyFn key) const {
    auto p = std::make_shared<detail::key_partitioner<T, KeyFn>>(key);
    return keyed_stream<T, KeyFn>(*env_, repartitioned(p), std::move(key));
  }

  /// This stream and `others` as one stream.
  template <class... Streams>
  data_stream<T> union_with(const Streams&... others) const {
    std::vector<detail::stream_edge> all = inputs_;
    (append_inputs(all, others), ...);
    return data_stream<T>(*env_, std::move(all), -1);
  }

  /// This stream and `other` as the two inputs of one operator (Flink's
  /// connect): see connected_streams.hpp, which defines it.
  template <class U>
  connected_streams<T, U> connect(const data_stream<U>& other) const;

  /// This stream and the broadcast stream `other` as the two inputs of one
  /// operator running a broadcast_process_function (Flink's
  /// connect(BroadcastStream)): see broadcast_stream.hpp, which defines it.
  template <class U>
  broadcast_connected_stream<T, U> connect(const broadcast_stream<U>& other) const;

  /// This stream and `other` joined in windows (Flink's join): pairs of
  /// records with equal keys in the same window. See window_join.hpp, which
  /// defines it.
  template <class U>
  window_joined_streams<T, U, true> join(const data_stream<U>& other) const;

  /// This stream and `other` grouped in windows (Flink's coGroup): per key
  /// and window, the records of each. See window_join.hpp, which defines it.
  template <class U>
  window_joined_streams<T, U, false> co_group(const data_stream<U>& other) const;

  /// The records the operator producing this stream emitted to the side
  /// output `tag` (Flink's getSideOutput), with their timestamps. Only
  /// process functions and windows have side outputs: building the job
  /// fails for others. Throws std::logic_error for a stream without an
  /// operator of its own (a union or a re-partitioned stream).
  template <class U>
  data_stream<U> get_side_output(const output_tag<U>& tag) const {
    if (node_ < 0)
      throw std::logic_error("get_side_output: the stream has no operator of its own (a union "
                             "or a re-partitioned stream)");
    detail::stream_edge edge{node_, detail::default_partitioner<U>(), tag.id(),
                             &detail::make_typed_fanout<U>};
    return data_stream<U>(*env_, {std::move(edge)}, -1);
  }

  // -- partitioning ---------------------------------------------------------

  /// Each subtask sends to the consumer subtask of the same index; both sides
  /// need equal parallelism.
  data_stream<T> forward() const { return partitioned(spi::ship_strategy::forward); }
  /// Round robin over all consumer subtasks.
  data_stream<T> rebalance() const { return partitioned(spi::ship_strategy::rebalance); }
  /// Round robin over a local group of consumer subtasks.
  data_stream<T> rescale() const { return partitioned(spi::ship_strategy::rescale); }
  /// Every record to every consumer subtask.
  data_stream<T> broadcast() const { return partitioned(spi::ship_strategy::broadcast); }
  /// Every record to every consumer subtask, which keeps the broadcast
  /// states `state` and `more` (map_state_descriptors) declare (Flink's
  /// broadcast(MapStateDescriptor...)): see broadcast_stream.hpp, which
  /// defines it.
  template <class K, class V, class... More>
  broadcast_stream<T> broadcast(const map_state_descriptor<K, V>& state, const More&... more) const;

  // -- sinks ----------------------------------------------------------------

  /// Prints each record as a line on standard output, prefixed "N> " (the
  /// 1-based subtask) when the sink runs in parallel, and by `identifier`
  /// when one is given (Flink's print(sinkIdentifier): "identifier:N> ").
  data_stream_sink print(std::string identifier = {}) const {
    return sink_to(print_sink<T>{std::move(identifier)}, "Print to Std. Out");
  }

  /// Writes each record as a line of text: to the file `path` when the sink
  /// runs with parallelism 1, else to part files `path/part-<subtask>-0`.
  /// Output is written in progress (hidden files) and appears under its final
  /// name only when the job finishes; `path` must not exist yet.
  data_stream_sink write_as_text(const std::string& path) const {
    return sink_to(file_sink<T>::single_file_or_directory(path), "Text File Sink");
  }

  /// Writes each record as a line of text into part files
  /// `dir/part-<subtask>-<n>` of a new directory, whatever the sink's
  /// parallelism (Flink's FileSink in row format); committed as
  /// write_as_text's. `dir` must not exist yet.
  data_stream_sink write_to_directory(const std::string& dir) const {
    return sink_to(file_sink<T>{dir}, "Text File Sink");
  }

  /// Writes the stream to `sink`, a sink of the sink API (Flink's sinkTo;
  /// see flinkcpp/sink.hpp): a writer per subtask and, for a two-phase
  /// sink, its committer. Its settings are checked (sink::validate) before
  /// the job starts.
  template <class S>
  data_stream_sink sink_to(S s, const char* name = "Sink") const {
    static_assert(std::is_same_v<typename S::record_type, T>,
                  "sink_to: the sink takes records of another type");
    auto shared = std::make_shared<const S>(std::move(s));
    return this->sink(
      name,
      [shared](const spi::operator_context& c) {
        return std::make_unique<detail::sink_writer_operator<S>>(shared, c);
      },
      [shared](bool restoring) { return shared->validate(restoring); });
  }

  /// Drops every record (Flink's DiscardingSink).
  data_stream_sink discard() const {
    return sink("Discarding Sink", [](const spi::operator_context&) {
      return std::make_unique<detail::discarding_sink<T>>();
    });
  }

  /// Calls fn(record) for every record (Flink's SinkFunction), on the thread
  /// of the sink's subtask.
  template <class F>
  data_stream_sink add_sink(F fn) const {
    return sink("Unnamed", [fn](const spi::operator_context& context) {
      return std::make_unique<detail::sink_function_operator<T, F>>(fn, context);
    });
  }

  // -- for the runtime and the other stream types -----------------------------

  const std::vector<detail::stream_edge>& inputs() const { return inputs_; }
  stream_environment& environment() const { return *env_; }

private:
  friend class detail::operator_settings<data_stream<T>>;

  template <class Out, class Make>
  data_stream<Out> transform(const char* name, Make make, bool assigns_timestamps = false,
                             bool side_outputs = false) const {
    detail::stream_node node;
    node.kind = detail::node_kind::transformation;
    node.name = name;
    node.assigns_timestamps = assigns_timestamps;
    node.side_outputs = side_outputs;
    node.inputs = inputs_;
    node.factory = detail::make_operator_factory<Out>(std::move(make));
    return detail::add_stream_node<Out>(*env_, std::move(node));
  }

  template <class Make>
  data_stream_sink sink(const char* name, Make make,
                        decltype(detail::stream_node::validate) validate = {}) const {
    detail::stream_node node;
    node.kind = detail::node_kind::sink;
    node.name = name;
    node.inputs = inputs_;
    node.factory = detail::make_operator_factory<void>(std::move(make));
    node.validate = std::move(validate);
    return data_stream_sink(*env_, env_->add_node(std::move(node)));
  }

  std::vector<detail::stream_edge>
  repartitioned(const std::shared_ptr<const spi::partitioner>& p) const {
    std::vector<detail::stream_edge> edges = inputs_;
    for (auto& e : edges)
      e.partitioning = p;
    return edges;
  }

  data_stream<T> partitioned(spi::ship_strategy s) const {
    return data_stream<T>(*env_, repartitioned(std::make_shared<detail::plain_partitioner<T>>(s)),
                          -1);
  }

  void append_inputs(std::vector<detail::stream_edge>& all, const data_stream<T>& other) const {
    detail::require_same_environment(*env_, *other.env_, "union_with");
    all.insert(all.end(), other.inputs_.begin(), other.inputs_.end());
  }

  stream_environment* env_;
  std::vector<detail::stream_edge> inputs_;
  int node_;
};

} // namespace flinkcpp
FLINKCPP_API_END

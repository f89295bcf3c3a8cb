#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/detail/stream_graph.hpp"
#include "flinkcpp/runtime_mode.hpp"
#include "util/id.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// Job-wide settings resolved from the configuration (and -p) before the job
/// graph is built; the job's own env.set_parallelism() etc. win over them.
struct job_settings {
  std::string name;
  int parallelism = 1;
  int max_parallelism = 128;
  bool chaining = true;
  /// Empty: decide from the sources (AUTOMATIC); else the configured mode.
  std::optional<runtime_mode> mode = runtime_mode::streaming;
  /// Reactive mode (scheduler-mode: reactive, or jobmanager.scheduler:
  /// adaptive): every operator runs with `parallelism` (capped by its max
  /// parallelism; non-parallel sources with 1), whatever the job set.
  bool reactive = false;
};

/// An edge between two job vertices: data crosses it in batches over channels.
struct job_edge {
  int source_vertex = -1;
  int target_vertex = -1;
  int source_node = -1; ///< the stream node producing the records
  int target_node = -1; ///< the stream node consuming them (the target's head)
  /// The source node's side output the edge carries; empty: its main output.
  std::string side_output;
  detail::fanout_maker side_fanout = nullptr;                ///< for a side output
  spi::ship_strategy strategy = spi::ship_strategy::forward; ///< never unspecified
  std::shared_ptr<const spi::partitioner> partitioning;
  int output_index = -1; ///< its index among the source vertex's outputs
  int input_index = -1;  ///< its index among the target vertex's inputs (its input gate)
  int target_input = 0;  ///< the head operator's input it feeds (1: a two-input operator's second)
};

/// A chain of operators that runs as one task per parallel subtask.
struct job_vertex {
  vertex_id id;
  std::string name; ///< "Source: a -> b -> Sink: c"
  int parallelism = 1;
  int max_parallelism = 128;
  std::vector<int> nodes;   ///< chained stream nodes, topologically; nodes[0] is the head
  std::vector<int> inputs;  ///< job edge indices, one input gate each
  std::vector<int> outputs; ///< job edge indices, one output partition each

  bool is_source() const { return inputs.empty(); }
};

/// A stream graph after Flink's operator chaining: job vertices (chains)
/// connected by job edges, with every parallelism and ship strategy resolved
/// and checked. Immutable once built; shared by everything that runs the job.
class job_graph {
public:
  /// Builds the job graph. Fails with a message naming the operator for:
  /// no sink, a parallelism above the max parallelism, a forward edge between
  /// different parallelisms, an unbounded source in BATCH mode.
  static result<job_graph> build(const detail::stream_graph& graph, const job_settings& settings);

  const std::string& name() const { return name_; }
  runtime_mode mode() const { return mode_; }
  /// Whether the job runs in reactive mode (its parallelism follows the slots).
  bool reactive() const { return reactive_; }
  const std::vector<job_vertex>& vertices() const { return vertices_; }
  const std::vector<job_edge>& edges() const { return edges_; }
  const detail::stream_graph& stream() const { return *stream_; }

  /// The parallelism and max parallelism of a (kept) stream node.
  int node_parallelism(int node) const;
  int node_max_parallelism(int node) const;
  /// The operator id of a kept stream node: derived from its uid, so state
  /// finds its operator again in a later run.
  operator_id node_operator_id(int node) const;

  /// The largest vertex parallelism: the slots the job needs (slot sharing puts
  /// one parallel slice of every vertex into each slot).
  int slots_needed() const;

  /// Runs every operator's external checks (input files exist, output paths
  /// free, unless `restoring` from a savepoint). Blocking; before submit.
  result<void> validate_resources(bool restoring = false) const;

private:
  struct node_info {
    bool kept = false;
    int vertex = -1;
    int parallelism = 1;
    int max_parallelism = 128;
    operator_id id;
  };

  std::string name_;
  runtime_mode mode_ = runtime_mode::streaming;
  bool reactive_ = false;
  std::shared_ptr<const detail::stream_graph> stream_;
  std::vector<node_info> nodes_;
  std::vector<job_vertex> vertices_;
  std::vector<job_edge> edges_;
};

} // namespace flinkcpp

#pragma once

// The stream graph a job builds through the DataStream API: one node per
// operator, edges carrying their partitioner. The runtime turns it into a job
// graph (chaining) and an execution plan (parallel subtasks and channels).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/detail/partitioning.hpp"
#include "flinkcpp/detail/source_bridge.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

enum class node_kind { source, transformation, sink };

/// Flink's ChainingStrategy: `always` chains with neighbours, `head` starts a
/// new chain (start_new_chain), `never` stands alone (disable_chaining).
enum class chaining_strategy { always, head, never };

/// Makes a collector copying to several consumers of a side output.
using fanout_maker = spi::collector_ref (*)(const std::vector<spi::collector_ref>& targets,
                                            spi::fanout_holder& holder);

struct stream_edge {
  int source = -1;
  std::shared_ptr<const spi::partitioner> partitioning;
  /// The source's side output the edge reads (an output_tag's id); empty:
  /// its main output.
  std::string side_output = {};
  /// For a side output: its fanout (made for the side output's record type).
  fanout_maker side_fanout = nullptr;
  /// The operator input the edge feeds: 0, or 1 for the second input of a
  /// two-input operator (connect), which always heads its chain.
  int target_input = 0;
};

struct stream_node {
  int id = -1;
  node_kind kind = node_kind::transformation;
  std::string name;
  std::string uid;           ///< stable operator identity; derived when empty
  int parallelism = 0;       ///< 0: the job's default parallelism
  int max_parallelism = 0;   ///< 0: the job's pipeline.max-parallelism
  bool non_parallel = false; ///< runs with parallelism 1 only (some sources, window_all)
  bool bounded = true;       ///< sources: whether the input ends by itself
  chaining_strategy chaining = chaining_strategy::always;
  /// Gives records their event time (assign_timestamps_and_watermarks).
  bool assigns_timestamps = false;
  /// Its operators take side outputs (set_side_output).
  bool side_outputs = false;
  std::vector<stream_edge> inputs;
  std::shared_ptr<const spi::operator_factory> factory;
  /// A source of the source API (from_source): its split enumerator runs
  /// in the job master. Null for every other node.
  std::shared_ptr<const erased_source> split_source;
  /// Checks, before the job starts, what the operator needs outside the
  /// process (input files, an output path); `restoring`: the job continues
  /// from a savepoint (so its output may exist). Returns the problem, or nullopt.
  std::function<std::optional<std::string>(bool restoring)> validate;
};

/// The whole stream graph plus the job-wide settings the job itself made.
struct stream_graph {
  std::vector<stream_node> nodes; ///< in creation order, which is topological
  int parallelism = 0;            ///< set_parallelism on the environment; 0 = config
  int max_parallelism = 0;        ///< set_max_parallelism; 0 = config
  bool chaining_enabled = true;
};

/// For each node, whether its records carry event time: it assigns
/// timestamps, or a node upstream of it does (timestamps stay with records
/// through every operator, as in Flink).
inline std::vector<bool> timestamped_nodes(const stream_graph& graph) {
  std::vector<bool> out(graph.nodes.size(), false);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const auto& n = graph.nodes[i];
    bool timestamped = n.assigns_timestamps;
    for (const auto& e : n.inputs)
      timestamped = timestamped || out[static_cast<std::size_t>(e.source)];
    out[i] = timestamped;
  }
  return out;
}

} // namespace flinkcpp::detail
FLINKCPP_API_END

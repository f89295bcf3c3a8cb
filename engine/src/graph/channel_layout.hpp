#pragma once

#include <cstdint>
#include <vector>

#include "graph/job_graph.hpp"

namespace flinkcpp {

/// One end of a channel: a subtask of a vertex and the channel's index in that
/// subtask's output partition (producer side) or input gate (consumer side).
struct channel_endpoint {
  int subtask = -1;
  std::uint32_t channel = 0;

  friend bool operator==(const channel_endpoint&, const channel_endpoint&) = default;
};

/// The consumer subtasks that producer subtask `producer` of `edge` sends to,
/// in the order of its channels, each with the channel index at the consumer.
/// All-to-all edges (rebalance, broadcast, hash) reach every consumer, in
/// subtask order; pointwise edges (forward, rescale) a contiguous group, as
/// Flink connects them.
std::vector<channel_endpoint> consumers_of(const job_graph& graph, const job_edge& edge,
                                           int producer);

/// The producer subtasks that consumer subtask `consumer` of `edge` receives
/// from, in the order of its channels, each with the channel index at the
/// producer.
std::vector<channel_endpoint> producers_of(const job_graph& graph, const job_edge& edge,
                                           int consumer);

/// Pointwise connection: the consumers of `producer` when `producers`
/// subtasks feed `consumers` subtasks.
std::vector<int> pointwise_consumers(int producers, int consumers, int producer);

/// Pointwise connection: the producers feeding `consumer`.
std::vector<int> pointwise_producers(int producers, int consumers, int consumer);

} // namespace flinkcpp

#include "graph/job_graph.hpp"

#include <algorithm>

namespace flinkcpp {

namespace {

using detail::node_kind;
using detail::stream_graph;
using detail::stream_node;
using spi::ship_strategy;

std::string display_name(const stream_node& n) {
  switch (n.kind) {
    case node_kind::source:
      return "Source: " + n.name;
    case node_kind::sink:
      return "Sink: " + n.name;
    case node_kind::transformation:
      break;
  }
  return n.name;
}

/// Nodes that reach a sink; the others (transformations whose output nobody
/// consumes) are not executed, as in Flink.
std::vector<bool> reaching_a_sink(const stream_graph& g) {
  std::vector<bool> kept(g.nodes.size(), false);
  for (auto i = g.nodes.size(); i-- > 0;) {
    const auto& n = g.nodes[i];
    if (n.kind == node_kind::sink)
      kept[i] = true;
    if (!kept[i])
      continue;
    for (const auto& e : n.inputs)
      kept[static_cast<std::size_t>(e.source)] = true;
  }
  return kept;
}

ship_strategy resolve(ship_strategy requested, int producer_parallelism, int consumer_parallelism) {
  if (requested != ship_strategy::unspecified)
    return requested;
  return producer_parallelism == consumer_parallelism ? ship_strategy::forward
                                                      : ship_strategy::rebalance;
}

} // namespace

result<job_graph> job_graph::build(const stream_graph& graph, const job_settings& settings) {
  job_graph jg;
  jg.name_ = settings.name;
  jg.stream_ = std::make_shared<const stream_graph>(graph);
  const auto& nodes = jg.stream_->nodes;
  jg.nodes_.resize(nodes.size());

  auto kept = reaching_a_sink(graph);
  if (std::find(kept.begin(), kept.end(), true) == kept.end())
    return failure{"the job defines no sink: end a stream with print(), write_as_text(...), "
                   "discard() or add_sink(...)"};

  int default_parallelism = graph.parallelism > 0 ? graph.parallelism : settings.parallelism;
  int default_max = graph.max_parallelism > 0 ? graph.max_parallelism : settings.max_parallelism;
  bool all_bounded = true;

  // Parallelism, max parallelism and operator ids.
  for (const auto& n : nodes) {
    auto& info = jg.nodes_[static_cast<std::size_t>(n.id)];
    info.kept = kept[static_cast<std::size_t>(n.id)];
    if (!info.kept)
      continue;
    info.parallelism = n.parallelism > 0 ? n.parallelism : default_parallelism;
    info.max_parallelism = n.max_parallelism > 0 ? n.max_parallelism : default_max;
    if (settings.reactive)
      info.parallelism = n.non_parallel ? 1 : std::min(settings.parallelism, info.max_parallelism);
    if (info.parallelism > info.max_parallelism)
      return failure{"the parallelism " + std::to_string(info.parallelism) + " of '" +
                     display_name(n) + "' exceeds its max parallelism " +
                     std::to_string(info.max_parallelism) +
                     " (pipeline.max-parallelism): a keyed operator cannot have more "
                     "subtasks than key groups"};
    if (n.kind == node_kind::source && !n.bounded)
      all_bounded = false;
    std::string identity;
    if (!n.uid.empty()) {
      identity = "uid:" + n.uid;
    } else {
      identity = "auto:" + std::to_string(n.id) + ":" + n.name;
      for (const auto& e : n.inputs)
        identity += ":" + jg.nodes_[static_cast<std::size_t>(e.source)].id.to_string() +
                    (e.side_output.empty() ? "" : "/" + e.side_output);
    }
    info.id = operator_id::derived_from(identity);
  }

  jg.reactive_ = settings.reactive;
  if (settings.mode)
    jg.mode_ = *settings.mode;
  else
    jg.mode_ = all_bounded ? runtime_mode::batch : runtime_mode::streaming;
  if (jg.mode_ == runtime_mode::batch && !all_bounded) {
    for (const auto& n : nodes)
      if (jg.nodes_[static_cast<std::size_t>(n.id)].kept && n.kind == node_kind::source &&
          !n.bounded)
        return failure{"execution.runtime-mode BATCH needs bounded sources, but '" +
                       display_name(n) + "' never ends: use STREAMING or give it a count"};
  }

  bool chaining = settings.chaining && graph.chaining_enabled;

  // Vertices: a node joins its single input's chain when Flink would chain
  // them; otherwise it heads a vertex of its own.
  for (const auto& n : nodes) {
    auto& info = jg.nodes_[static_cast<std::size_t>(n.id)];
    if (!info.kept)
      continue;
    for (const auto& e : n.inputs) {
      const auto& source = jg.nodes_[static_cast<std::size_t>(e.source)];
      const auto& producer = nodes[static_cast<std::size_t>(e.source)];
      if (!e.side_output.empty() && !producer.side_outputs)
        return failure{"'" + display_name(n) + "' reads the side output '" + e.side_output +
                       "' of '" + display_name(producer) +
                       "', which has no side outputs (process functions and windows have)"};
      auto requested = e.partitioning->strategy();
      if (requested == ship_strategy::forward && source.parallelism != info.parallelism)
        return failure{"forward partitioning needs equal parallelism, but '" +
                       display_name(nodes[static_cast<std::size_t>(e.source)]) + "' has " +
                       std::to_string(source.parallelism) + " and '" + display_name(n) + "' has " +
                       std::to_string(info.parallelism)};
    }
    bool chained = false;
    if (chaining && n.inputs.size() == 1 && n.chaining == detail::chaining_strategy::always) {
      const auto& e = n.inputs[0];
      const auto& upstream = nodes[static_cast<std::size_t>(e.source)];
      const auto& source = jg.nodes_[static_cast<std::size_t>(e.source)];
      auto strategy = resolve(e.partitioning->strategy(), source.parallelism, info.parallelism);
      if (strategy == ship_strategy::forward && source.parallelism == info.parallelism &&
          upstream.chaining != detail::chaining_strategy::never) {
        info.vertex = source.vertex;
        jg.vertices_[static_cast<std::size_t>(info.vertex)].nodes.push_back(n.id);
        chained = true;
      }
    }
    if (!chained) {
      info.vertex = static_cast<int>(jg.vertices_.size());
      job_vertex v;
      v.id = vertex_id{info.id.high(), info.id.low()};
      v.parallelism = info.parallelism;
      v.max_parallelism = info.max_parallelism;
      v.nodes.push_back(n.id);
      jg.vertices_.push_back(std::move(v));
    }
  }

  // Vertex names and the edges between vertices.
  for (auto& v : jg.vertices_) {
    for (int id : v.nodes)
      v.name += (v.name.empty() ? "" : " -> ") + display_name(nodes[static_cast<std::size_t>(id)]);
  }
  for (const auto& n : nodes) {
    const auto& info = jg.nodes_[static_cast<std::size_t>(n.id)];
    if (!info.kept)
      continue;
    for (const auto& e : n.inputs) {
      const auto& source = jg.nodes_[static_cast<std::size_t>(e.source)];
      if (source.vertex == info.vertex)
        continue; // chained
      job_edge edge;
      edge.source_vertex = source.vertex;
      edge.target_vertex = info.vertex;
      edge.source_node = e.source;
      edge.target_node = n.id;
      edge.side_output = e.side_output;
      edge.side_fanout = e.side_fanout;
      edge.target_input = e.target_input;
      edge.strategy = resolve(e.partitioning->strategy(), source.parallelism, info.parallelism);
      edge.partitioning = e.partitioning;
      auto index = static_cast<int>(jg.edges_.size());
      auto& from = jg.vertices_[static_cast<std::size_t>(source.vertex)];
      auto& to = jg.vertices_[static_cast<std::size_t>(info.vertex)];
      edge.output_index = static_cast<int>(from.outputs.size());
      edge.input_index = static_cast<int>(to.inputs.size());
      from.outputs.push_back(index);
      to.inputs.push_back(index);
      jg.edges_.push_back(std::move(edge));
    }
  }
  return jg;
}

int job_graph::node_parallelism(int node) const {
  return nodes_[static_cast<std::size_t>(node)].parallelism;
}

int job_graph::node_max_parallelism(int node) const {
  return nodes_[static_cast<std::size_t>(node)].max_parallelism;
}

operator_id job_graph::node_operator_id(int node) const {
  return nodes_.at(static_cast<std::size_t>(node)).id;
}

int job_graph::slots_needed() const {
  int slots = 0;
  for (const auto& v : vertices_)
    slots = std::max(slots, v.parallelism);
  return slots;
}

result<void> job_graph::validate_resources(bool restoring) const {
  for (const auto& v : vertices_) {
    for (int id : v.nodes) {
      const auto& n = stream_->nodes[static_cast<std::size_t>(id)];
      if (!n.validate)
        continue;
      if (auto problem = n.validate(restoring))
        return failure{*problem};
    }
  }
  return {};
}

} // namespace flinkcpp

#include "cluster/execution_graph.hpp"

#include <utility>

#include "graph/channel_layout.hpp"

namespace flinkcpp {

void execution_graph::begin_attempt(std::shared_ptr<const job_graph> graph) {
  ++attempt_;
  phase_ = phase::scheduling;
  rescaling_ = false;
  resize(std::move(graph));
}

void execution_graph::resize(std::shared_ptr<const job_graph> graph) {
  graph_ = std::move(graph);
  const auto& vertices = graph_->vertices();
  subtasks_.assign(vertices.size(), {});
  total_ = deployed_ = connected_ = finished_ = done_ = 0;
  for (std::size_t v = 0; v < vertices.size(); ++v) {
    subtasks_[v].resize(static_cast<std::size_t>(vertices[v].parallelism));
    total_ += subtasks_[v].size();
  }
}

subtask_record& execution_graph::record(vertex_index vertex, subtask_index subtask) {
  return subtasks_[vertex.position()][subtask.position()];
}

const subtask_record& execution_graph::record(vertex_index vertex, subtask_index subtask) const {
  return subtasks_[vertex.position()][subtask.position()];
}

std::string execution_graph::task_name(vertex_index vertex, subtask_index subtask) const {
  const auto& v = graph_->vertices()[vertex.position()];
  return v.name + " (" + std::to_string(subtask.value() + 1) + "/" + std::to_string(v.parallelism) +
         ")";
}

bool execution_graph::deployed(vertex_index vertex, subtask_index subtask, subtask_actor actor) {
  record(vertex, subtask).actor = std::move(actor);
  if (++deployed_ != total_)
    return false;
  phase_ = phase::connecting;
  return true;
}

bool execution_graph::connected() {
  if (++connected_ != total_)
    return false;
  phase_ = phase::running;
  return true;
}

bool execution_graph::mark_done(vertex_index vertex, subtask_index subtask) {
  auto& r = record(vertex, subtask);
  if (r.done)
    return false;
  r.done = true;
  ++done_;
  return true;
}

void execution_graph::begin_stopping(bool rescale) noexcept {
  phase_ = phase::stopping;
  rescaling_ = rescale;
}

bool execution_graph::finish_stopping() noexcept {
  if (phase_ != phase::stopping || done_ < total_)
    return false;
  phase_ = phase::stopped;
  return true;
}

task_connections execution_graph::connections_of(vertex_index vertex, subtask_index subtask) const {
  const auto& graph = *graph_;
  const auto& v = graph.vertices()[vertex.position()];
  task_connections c;
  for (int e : v.outputs) {
    const auto& edge = graph.edges()[static_cast<std::size_t>(e)];
    auto& targets = c.partitions.emplace_back();
    for (auto end : consumers_of(graph, edge, subtask.value()))
      targets.push_back({record(vertex_index{edge.target_vertex}, subtask_index{end.subtask}).actor,
                         static_cast<std::uint32_t>(edge.input_index), end.channel});
  }
  for (int e : v.inputs) {
    const auto& edge = graph.edges()[static_cast<std::size_t>(e)];
    auto& sources = c.gates.emplace_back();
    for (auto end : producers_of(graph, edge, subtask.value()))
      sources.push_back({record(vertex_index{edge.source_vertex}, subtask_index{end.subtask}).actor,
                         static_cast<std::uint32_t>(edge.output_index), end.channel});
  }
  return c;
}

} // namespace flinkcpp

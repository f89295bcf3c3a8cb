#include "sql/planner/explain.hpp"

#include <map>
#include <set>

namespace flinkcpp::sql {

namespace {

/// Writes the plan of a job graph from its sinks down, a node that several
/// others read in full once (marked with its reuse id) and then as a
/// reference to it, as Flink's plans show a reused sub-plan.
class plan_writer {
public:
  explicit plan_writer(const detail::stream_graph& graph) : graph_(graph) {
    std::set<int> running;
    for (const auto& n : graph.nodes)
      if (n.kind == detail::node_kind::sink)
        mark_running(n.id, running);
    std::map<int, int> readers;
    for (int id : running)
      for (const auto& e : graph.nodes.at(static_cast<std::size_t>(id)).inputs)
        if (++readers[e.source] == 2)
          reuse_ids_.emplace(e.source, static_cast<int>(reuse_ids_.size()) + 1);
  }

  void write(int id, const std::string& indent, std::string& out) {
    auto reused = reuse_ids_.find(id);
    if (reused != reuse_ids_.end() && !written_.emplace(id).second) {
      out += "Reused(reference_id=[" + std::to_string(reused->second) + "])\n";
      return;
    }
    const auto& node = graph_.nodes.at(static_cast<std::size_t>(id));
    out += node.name;
    if (reused != reuse_ids_.end())
      out += "(reuse_id=[" + std::to_string(reused->second) + "])";
    out += "\n";
    for (const auto& input : node.inputs) {
      auto child = indent + "   ";
      out += indent + "+- ";
      if (input.partitioning && input.partitioning->strategy() == spi::ship_strategy::hash) {
        out += "Exchange(distribution=[hash])\n" + child + "+- ";
        child += "   ";
      }
      write(input.source, child, out);
    }
  }

private:
  /// Adds `id` and the nodes it reads to `running`.
  void mark_running(int id, std::set<int>& running) const {
    if (!running.insert(id).second)
      return;
    for (const auto& e : graph_.nodes.at(static_cast<std::size_t>(id)).inputs)
      mark_running(e.source, running);
  }

  const detail::stream_graph& graph_;
  std::map<int, int> reuse_ids_; ///< node -> reuse id, for nodes read more than once
  std::set<int> written_;
};

} // namespace

std::string explain_plan(const detail::stream_graph& graph) {
  // From each sink: what reaches none does not run (a window table
  // function a window aggregate took over, say).
  std::string out = "== Optimized Execution Plan ==\n";
  plan_writer writer{graph};
  for (const auto& n : graph.nodes)
    if (n.kind == detail::node_kind::sink)
      writer.write(n.id, "", out);
  return out;
}

} // namespace flinkcpp::sql

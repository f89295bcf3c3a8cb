#include "sql/planner/explain.hpp"

namespace flinkcpp::sql {

namespace {

void explain_node(const detail::stream_graph& graph, int id, const std::string& indent,
                  std::string& out) {
  const auto& node = graph.nodes.at(static_cast<std::size_t>(id));
  out += node.name + "\n";
  for (const auto& input : node.inputs) {
    auto child = indent + "   ";
    out += indent + "+- ";
    if (input.partitioning && input.partitioning->strategy() == spi::ship_strategy::hash) {
      out += "Exchange(distribution=[hash])\n" + child + "+- ";
      child += "   ";
    }
    explain_node(graph, input.source, child, out);
  }
}

} // namespace

std::string explain_plan(const detail::stream_graph& graph) {
  // From each sink: what reaches none does not run (a window table
  // function a window aggregate took over, say).
  std::string out = "== Optimized Execution Plan ==\n";
  for (const auto& n : graph.nodes)
    if (n.kind == detail::node_kind::sink)
      explain_node(graph, n.id, "", out);
  return out;
}

} // namespace flinkcpp::sql

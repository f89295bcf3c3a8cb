#include "graph/plan_json.hpp"

namespace flinkcpp {

namespace {

/// As Flink escapes vertex descriptions: HTML entities, newlines as <br/>.
std::string html_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "<br/>";
        break;
      case '\\':
        out += "&#92;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

} // namespace

nlohmann::json plan_json(const job_graph& graph, const job_id& id) {
  auto nodes = nlohmann::json::array();
  for (const auto& v : graph.vertices()) {
    nlohmann::json node = {
      {"id", v.id.to_string()},
      {"parallelism", v.parallelism},
      {"operator", ""},
      {"operator_strategy", ""},
      {"description", html_escaped(v.name)},
      {"optimizer_properties", nlohmann::json::object()},
    };
    if (!v.is_source()) {
      auto inputs = nlohmann::json::array();
      for (int e : v.inputs) {
        const auto& edge = graph.edges()[static_cast<std::size_t>(e)];
        inputs.push_back({
          {"num", edge.input_index},
          {"id", graph.vertices()[static_cast<std::size_t>(edge.source_vertex)].id.to_string()},
          {"ship_strategy", std::string{spi::ship_strategy_name(edge.strategy)}},
          {"exchange", "pipelined_bounded"},
        });
      }
      node["inputs"] = std::move(inputs);
    }
    nodes.push_back(std::move(node));
  }
  return {{"plan",
           {{"jid", id.to_string()},
            {"name", graph.name()},
            {"type", graph.mode() == runtime_mode::batch ? "BATCH" : "STREAMING"},
            {"nodes", std::move(nodes)}}}};
}

} // namespace flinkcpp

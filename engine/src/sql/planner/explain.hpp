#pragma once

// EXPLAIN: a planned job graph as Flink's "== Optimized Execution Plan =="
// shows it, a tree from each sink down to its sources, an Exchange where
// rows are redistributed by key.

#include <string>

#include "flinkcpp/detail/stream_graph.hpp"

namespace flinkcpp::sql {

std::string explain_plan(const detail::stream_graph& graph);

} // namespace flinkcpp::sql

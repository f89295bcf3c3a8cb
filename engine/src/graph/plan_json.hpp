#pragma once

#include <nlohmann/json.hpp>

#include "graph/job_graph.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// The job graph as Flink's REST API shows it under /jobs/:jobid/plan:
/// {"plan": {"jid", "name", "type", "nodes": [{"id", "parallelism", "operator",
/// "operator_strategy", "description", "inputs": [{"num", "id",
/// "ship_strategy", "exchange"}], "optimizer_properties"}]}}.
nlohmann::json plan_json(const job_graph& graph, const job_id& id);

} // namespace flinkcpp

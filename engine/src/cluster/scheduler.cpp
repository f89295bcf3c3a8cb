#include "cluster/scheduler.hpp"

#include <algorithm>
#include <set>

#include "flinkcpp/spi/key_groups.hpp"

namespace flinkcpp {

void scheduler::set_parallelism_bound(std::int32_t upper) noexcept {
  parallelism_bound_ = std::max(1, upper);
}

scheduler::slot_request scheduler::request(const job_graph& graph) const {
  if (graph.reactive())
    return {1, most_slots(graph)};
  auto needed = static_cast<std::int32_t>(graph.slots_needed());
  return {needed, needed};
}

std::int32_t scheduler::most_slots(const job_graph& graph) const {
  int limit = spi::max_key_groups;
  for (const auto& v : graph.vertices())
    for (int n : v.nodes)
      limit = std::min(limit, graph.node_max_parallelism(n));
  return parallelism_bound_ > 0 ? std::min(limit, parallelism_bound_) : limit;
}

bool scheduler::runs_on(subtask_index subtask, const std::string& task_manager) const {
  return subtask.position() < slots_.size() && slot_of(subtask).task_manager == task_manager;
}

scheduler::peer_plan scheduler::peers() const {
  peer_plan plan;
  std::set<std::string> seen;
  for (const auto& slot : slots_) {
    if (slot.data_port == 0 || !seen.insert(slot.task_manager).second)
      continue;
    plan.task_managers.push_back({slot.task_manager, slot.executor});
    plan.addresses.push_back({slot.host, slot.data_port});
  }
  return plan;
}

std::string location(const slot_offer& slot) {
  return slot.data_port == 0 ? slot.task_manager : slot.host + ":" + std::to_string(slot.data_port);
}

} // namespace flinkcpp

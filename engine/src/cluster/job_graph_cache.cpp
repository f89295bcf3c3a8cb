#include "cluster/job_graph_cache.hpp"

namespace flinkcpp {

job_graph_cache& job_graph_cache::instance() {
  static job_graph_cache cache;
  return cache;
}

void job_graph_cache::put(const job_id& id, std::shared_ptr<const job_graph> graph) {
  std::lock_guard<std::mutex> guard{mutex_};
  graphs_[id] = std::move(graph);
}

std::shared_ptr<const job_graph> job_graph_cache::get(const job_id& id) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = graphs_.find(id);
  return i == graphs_.end() ? nullptr : i->second;
}

void job_graph_cache::remove(const job_id& id) {
  std::lock_guard<std::mutex> guard{mutex_};
  graphs_.erase(id);
}

} // namespace flinkcpp

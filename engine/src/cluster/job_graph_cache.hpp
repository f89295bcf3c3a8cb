#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "graph/job_graph.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// The job graphs this process already holds, by job id. The dispatcher puts
/// a job's graph here when it submits it, so task executors of the same
/// process (the embedded mini-cluster) use it instead of building it again,
/// which also serves graphs built in code, without a job spec. Thread-safe.
class job_graph_cache {
public:
  static job_graph_cache& instance();

  void put(const job_id& id, std::shared_ptr<const job_graph> graph);
  std::shared_ptr<const job_graph> get(const job_id& id) const;
  void remove(const job_id& id);

private:
  mutable std::mutex mutex_;
  std::map<job_id, std::shared_ptr<const job_graph>> graphs_;
};

} // namespace flinkcpp

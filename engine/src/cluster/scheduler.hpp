#pragma once

// The planning half of Flink's schedulers, for one job: how many slots to ask
// for, which slot each subtask takes (slot sharing: slot k takes subtask k of
// every vertex), which taskmanagers connect to each other before deployment,
// and, for an adaptive or reactive job (Flink's adaptive scheduler), the
// parallelism its slots allow. Deploying (the messages) is the job master's.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cluster/protocol.hpp"
#include "graph/job_graph.hpp"

namespace flinkcpp {

/// Plans for the job's current graph, which each call names. Not
/// thread-safe: owned and used by one job master.
class scheduler {
public:
  /// An adaptive job's most slots (its resource requirements' upper bound);
  /// 0 (the default) for none but its max parallelism.
  std::int32_t parallelism_bound() const noexcept { return parallelism_bound_; }
  /// A new upper bound (at least 1) from the job's resource requirements.
  void set_parallelism_bound(std::int32_t upper) noexcept;

  /// What to ask the resource manager for: every slot the graph needs, or for
  /// a reactive job at least one and at most most_slots().
  struct slot_request {
    std::int32_t needed = 0;
    std::int32_t most = 0;
  };
  slot_request request(const job_graph& graph) const;

  /// The most slots a reactive job can use: its smallest max parallelism,
  /// and its parallelism bound.
  std::int32_t most_slots(const job_graph& graph) const;

  /// The slots of the current attempt, or none between attempts.
  const std::vector<slot_offer>& slots() const noexcept { return slots_; }
  void assign(std::vector<slot_offer> slots) {
    slots_ = std::move(slots);
    joined_ = false;
  }

  /// A taskmanager joined after the slots were assigned: a reactive job that
  /// is not running yet grows into it once it runs.
  void note_joined() noexcept { joined_ = true; }
  bool joined_since_assigned() const noexcept { return joined_; }
  void release() noexcept { slots_.clear(); }

  /// Whether the graph runs one subtask per slot it got; a reactive job that
  /// does not is rebuilt at parallelism slots().size() first.
  bool fits_slots(const job_graph& graph) const {
    return graph.slots_needed() == static_cast<int>(slots_.size());
  }

  /// The slot subtask `subtask` of every vertex runs in.
  const slot_offer& slot_of(subtask_index subtask) const { return slots_[subtask.position()]; }

  /// Whether subtask `subtask` runs on taskmanager `task_manager`.
  bool runs_on(subtask_index subtask, const std::string& task_manager) const;

  /// The taskmanagers holding the slots that exchange data over the network,
  /// each once with its data endpoint. When there are two or more, each is
  /// told the others before deployment, so that data between them travels
  /// directly.
  struct peer {
    std::string task_manager;
    task_executor_actor executor;
  };
  struct peer_plan {
    std::vector<peer> task_managers;
    std::vector<peer_address> addresses;
  };
  peer_plan peers() const;

private:
  std::int32_t parallelism_bound_ = 0;
  std::vector<slot_offer> slots_;
  bool joined_ = false;
};

/// Where `slot` is, as the REST API shows a subtask's location: host:data
/// port, or the taskmanager's id inside the jobmanager's process.
std::string location(const slot_offer& slot);

} // namespace flinkcpp

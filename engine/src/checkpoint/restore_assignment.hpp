#pragma once

// Which state each subtask of a job restores from a checkpoint or savepoint,
// at whatever parallelism the job runs now (Flink's StateAssignmentOperation):
// operators are matched by operator id; keyed state goes by key group, so a
// subtask reads the files whose groups overlap its own; operator state lists
// stay with their subtask when the parallelism is unchanged, else `split`
// lists are pooled and dealt out round robin and `union_all` lists go to all.

#include <memory>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "graph/job_graph.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// What one operator of one subtask restores, before its files are read.
struct operator_restore_spec {
  operator_id op;
  std::vector<operator_list_state> lists; ///< the entries this subtask gets
  std::vector<keyed_state_handle> keyed;  ///< the files holding groups it owns
  std::int32_t first_group = 0;           ///< the groups it owns: [first, end)
  std::int32_t end_group = 0;
};

template <class Inspector>
auto inspect(Inspector& f, operator_restore_spec& x) {
  return f(x.op, x.lists, x.keyed, x.first_group, x.end_group);
}

/// What one subtask restores. Empty operators: a fresh start.
struct subtask_restore {
  checkpoint_id checkpoint;
  std::string directory; ///< the snapshot's directory, where its files are
  std::vector<operator_restore_spec> operators;

  bool restoring() const { return !checkpoint.is_none(); }
};

template <class Inspector>
auto inspect(Inspector& f, subtask_restore& x) {
  return f(x.checkpoint, x.directory, x.operators);
}

/// Checks that `metadata` fits `graph`: each operator with state exists in
/// the graph (unless `allow_non_restored`, Flink's --allowNonRestoredState),
/// and keyed state keeps its max parallelism. Fails naming the operator.
result<void> check_restore(const checkpoint_metadata& metadata, const job_graph& graph,
                           bool allow_non_restored);

/// The snapshot execution.state-recovery.path names (its directory or its
/// _metadata), read and checked against `graph`, allowing state of removed
/// operators with execution.savepoint.ignore-unclaimed-state; null when the
/// key is unset. Blocking. Fails naming the file and the problem.
result<std::shared_ptr<const restore_point>> load_savepoint(const configuration& config,
                                                            const job_graph& graph);

/// The state subtask `subtask` of vertex `vertex` restores from `point`.
subtask_restore restore_of(const restore_point& point, const job_graph& graph, int vertex,
                           int subtask);

} // namespace flinkcpp
